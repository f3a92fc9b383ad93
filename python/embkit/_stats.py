"""Two-sided p-values of correlation coefficients, as SciPy's pearsonr and spearmanr report them.

For n pairs and coefficient r, t = r * sqrt((n - 2) / (1 - r^2)) follows Student's t distribution with
n - 2 degrees of freedom under the null hypothesis; p = 2 * P(T > |t|) = I_x(df / 2, 1 / 2) with
x = df / (df + t^2), the regularized incomplete beta function. SciPy's special.stdtr gives the t
distribution when SciPy is importable; otherwise the incomplete beta is evaluated here by its
continued fraction (Lentz's method).
"""

import math

__all__ = ["correlation_p_value"]


def _incomplete_beta_fraction(a, b, x):
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        m2 = 2 * m
        # Even step, then odd step, of the continued fraction for I_x(a, b).
        for numerator in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                          -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return result


def _regularized_incomplete_beta(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def correlation_p_value(r, n):
    """Two-sided p-value of correlation r over n pairs (NaN when r is NaN or n < 3)."""
    if math.isnan(r) or n < 3:
        return math.nan
    df = n - 2
    if abs(r) >= 1.0:
        return 0.0
    t_squared = r * r * df / ((1.0 - r) * (1.0 + r))
    try:
        from scipy import special
    except ImportError:
        return _regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t_squared))
    return float(2.0 * special.stdtr(df, -math.sqrt(t_squared)))
