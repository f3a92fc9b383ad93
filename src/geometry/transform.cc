// Fitting and applying transform pipelines (transform.h).
#include "embkit/transform.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/threads.h"
#include "embkit/abtt.h"
#include "embkit/anisotropy.h"
#include "embkit/error.h"
#include "embkit/kernels.h"
#include "embkit/pca.h"
#include "embkit/quantize.h"
#include "core/random.h"

namespace embkit {
namespace {

Matrix normalize_rows(const Matrix& x, int threads) {
  Matrix y(x.rows(), x.cols());
  const long rows = static_cast<long>(x.rows());
  const size_t dim = x.cols();
#pragma omp parallel for schedule(static) num_threads(resolve_threads(threads))
  for (long r = 0; r < rows; ++r) {
    const float* in = x.row(static_cast<size_t>(r));
    float* out = y.mutable_row(static_cast<size_t>(r));
    const double norm = std::sqrt(kernels::sum_squares(in, dim));
    const double scale = norm > 0 ? 1.0 / norm : 0.0;  // zero rows stay zero
    for (size_t c = 0; c < dim; ++c) out[c] = static_cast<float>(in[c] * scale);
  }
  return y;
}

std::vector<double> top_ratios(const PrincipalAxes& axes, size_t count) {
  std::vector<double> ratios;
  for (size_t i = 0; i < std::min(count, axes.dim); ++i)
    ratios.push_back(axes.explained_variance_ratio(i));
  return ratios;
}

FittedStep fit_step(const Matrix& x, const StepSpec& spec, size_t index,
                    const TransformOptions& options, StepReport& report) {
  FittedStep step;
  step.spec = spec;
  step.in_dim = step.out_dim = x.cols();
  switch (spec.kind) {
    case StepKind::Center: {
      std::vector<double> mean = row_mean(x, options.threads);
      step.map = AffineMap{x.cols(), x.cols(), std::vector<float>(mean.begin(), mean.end()), {}};
      report.what = "subtracted the mean";
      break;
    }
    case StepKind::Normalize:
      step.normalize = true;
      report.what = "scaled every vector to unit length";
      break;
    case StepKind::Whiten: {
      PrincipalAxes axes = principal_axes(x, options.threads);
      step.map = fit_whitening(axes, spec.whitening);
      report.what = fmt::format("{} whitening, eps {:g}",
                                spec.whitening.kind == WhiteningKind::Zca ? "ZCA" : "PCA",
                                spec.whitening.eps);
      report.explained_variance_ratio = top_ratios(axes, 10);
      break;
    }
    case StepKind::Abtt: {
      PrincipalAxes axes = principal_axes(x, options.threads);
      step.map = fit_all_but_the_top(axes, spec.count);
      report.what = fmt::format("removed the mean and the top {} principal direction{}", spec.count,
                                spec.count == 1 ? "" : "s");
      report.explained_variance_ratio = top_ratios(axes, spec.count);
      break;
    }
    case StepKind::Pca: {
      Pca pca = fit_pca(x, spec.count, options.threads);
      step.map = std::move(pca.projection);
      report.what = fmt::format("projected onto the top {} principal component{}", spec.count,
                                spec.count == 1 ? "" : "s");
      report.explained_variance_ratio = std::move(pca.explained_variance_ratio);
      break;
    }
    case StepKind::RandomProjection: {
      RandomProjectionOptions rp{spec.count, spec.projection,
                                 train::stream_seed(options.seed, index)};
      step.map = random_projection(x.cols(), rp);
      report.what =
          fmt::format("{} random projection", random_projection_kind_name(spec.projection));
      break;
    }
    case StepKind::Quantize: {
      step.quantize = true;
      step.out_dim = x.cols();
      const Int8Matrix codes = quantize_int8(x, options.threads);
      float largest = 0;
      for (float s : codes.scales()) largest = std::max(largest, s);
      report.what = fmt::format(
          "int8 codes with per-dimension scales (largest scale {:.3g}, so at most {:.3g} off)",
          largest, largest / 2);
      break;
    }
  }
  if (!step.normalize && !step.quantize) step.out_dim = step.map.out_dim;
  return step;
}

double measure_anisotropy(const Matrix& x, const TransformOptions& options) {
  if (options.anisotropy_pairs == 0) return 0.0;
  return anisotropy(x, AnisotropyOptions{options.anisotropy_pairs, options.seed, options.threads});
}

}  // namespace

Matrix FittedStep::apply(const Matrix& x, int threads) const {
  if (x.cols() != in_dim)
    throw UsageError(fmt::format("step '{}' expects vectors of dimension {}, got {}", spec.text,
                                 in_dim, x.cols()));
  if (quantize) return dequantize(quantize_int8(x, threads), threads);
  return normalize ? normalize_rows(x, threads) : map.apply(x, threads);
}

Matrix Transform::apply(const Matrix& x, int threads) const {
  if (steps.empty()) throw UsageError("the transform has no steps");
  if (x.cols() != in_dim())
    throw UsageError(fmt::format("the transform was fitted on vectors of dimension {}, got {}",
                                 in_dim(), x.cols()));
  require_finite(x);
  Matrix current = steps.front().apply(x, threads);
  for (size_t i = 1; i < steps.size(); ++i) current = steps[i].apply(current, threads);
  return current;
}

FittedTransform fit_transform(const Matrix& x, const std::vector<StepSpec>& steps,
                              const TransformOptions& options) {
  if (steps.empty()) throw UsageError("the transform step list is empty");
  if (x.rows() == 0) throw UsageError("no vectors to fit the transform on");
  require_finite(x);
  FittedTransform result;
  const Matrix* input = &x;
  double before = measure_anisotropy(x, options);
  for (size_t i = 0; i < steps.size(); ++i) {
    if (options.on_step) options.on_step(i, steps[i].text);
    const auto start = std::chrono::steady_clock::now();
    StepReport report;
    report.step = steps[i].text;
    report.dim_in = input->cols();
    FittedStep step = fit_step(*input, steps[i], i, options, report);
    result.output = step.apply(*input, options.threads);
    input = &result.output;
    report.dim_out = step.out_dim;
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.anisotropy_before = before;
    report.anisotropy_after = before = measure_anisotropy(result.output, options);
    result.transform.steps.push_back(std::move(step));
    result.reports.push_back(std::move(report));
  }
  return result;
}

}  // namespace embkit
