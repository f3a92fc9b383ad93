"""evaluate_word_analogies / evaluate_word_pairs against gensim 4 and `embkit eval` on data/eval/."""

import json

import numpy as np
import pytest

from conftest import EVAL, run_cli

QUESTIONS = EVAL / "questions-words.txt"
PAIR_FILES = [EVAL / "wordsim353.tsv", EVAL / "simlex999.txt"]


def normalise_sections(sections):
    return [(s["section"], [tuple(q) for q in s["correct"]], [tuple(q) for q in s["incorrect"]])
            for s in sections]


@pytest.mark.parametrize("restrict_vocab,dummy4unknown", [(300000, False), (2000, False), (300000, True)])
def test_analogies_equal_gensim(kv, gensim_kv, restrict_vocab, dummy4unknown):
    score, sections = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=restrict_vocab,
                                                 dummy4unknown=dummy4unknown)
    g_score, g_sections = gensim_kv.evaluate_word_analogies(str(QUESTIONS), restrict_vocab=restrict_vocab,
                                                            dummy4unknown=dummy4unknown)
    assert score == pytest.approx(g_score, abs=1e-12)
    assert normalise_sections(sections) == normalise_sections(g_sections)
    first = sections[0]
    assert first["section"] == "capital-common-countries"
    if not dummy4unknown:  # planted: nearly all answered questions of the section are right
        assert len(first["correct"]) > 0.9 * (len(first["correct"]) + len(first["incorrect"]))
    assert sections[-1]["section"] == "Total accuracy"


def test_analogies_case_sensitive_and_cosmul_equal_gensim(kv, gensim_kv):
    ours = kv.evaluate_word_analogies(QUESTIONS, case_insensitive=False)
    theirs = gensim_kv.evaluate_word_analogies(str(QUESTIONS), case_insensitive=False)
    assert ours[0] == pytest.approx(theirs[0], abs=1e-12)
    assert normalise_sections(ours[1]) == normalise_sections(theirs[1])
    assert ours[0] < 0.01  # capitalised words are unknown to the lower-case model; gram* sections remain


def test_cosmul_analogies_equal_a_gensim_loop(kv, gensim_kv, tmp_path):
    """gensim 4.2 ignores similarity_function (always 3CosAdd); embkit honours it. The reference is
    gensim's evaluation loop with most_similar_cosmul, on the first two sections."""
    lines, headers = [], 0
    for line in QUESTIONS.read_text().splitlines():
        headers += line.startswith(":")
        if headers > 2:
            break
        lines.append(line)
    path = tmp_path / "two-sections.txt"
    path.write_text("\n".join(lines) + "\n")
    score, sections = kv.evaluate_word_analogies(path, similarity_function="most_similar_cosmul")
    vocab = set(gensim_kv.index_to_key)
    expected = []
    for line in lines:
        if line.startswith(":"):
            expected.append((line[1:].strip(), [], []))
            continue
        a, b, c, d = line.lower().split()
        if not {a, b, c, d} <= vocab:
            continue
        predicted = None
        for word, _ in gensim_kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=5):
            predicted = word
            if word not in (a, b, c):
                break
        expected[-1][1 if predicted == d else 2].append(tuple(line.upper().split()))
    assert normalise_sections(sections[:-1]) == expected
    correct = sum(len(e[1]) for e in expected)
    assert score == pytest.approx(correct / sum(len(e[1]) + len(e[2]) for e in expected))


@pytest.mark.parametrize("path", PAIR_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("dummy4unknown", [False, True])
def test_word_pairs_equal_gensim(kv, gensim_kv, path, dummy4unknown):
    (pearson, p_pearson), (spearman, p_spearman), oov = kv.evaluate_word_pairs(path, dummy4unknown=dummy4unknown)
    g_pearson, g_spearman, g_oov = gensim_kv.evaluate_word_pairs(str(path), dummy4unknown=dummy4unknown)
    assert pearson == pytest.approx(g_pearson[0], abs=1e-6)
    assert spearman == pytest.approx(g_spearman[0], abs=1e-6)
    assert p_pearson == pytest.approx(g_pearson[1], rel=1e-4, abs=1e-12)
    assert p_spearman == pytest.approx(g_spearman[1], rel=1e-4, abs=1e-12)
    assert oov == pytest.approx(g_oov, abs=1e-9)
    assert oov > 0


def test_p_values_without_scipy_match_scipy():
    stats = pytest.importorskip("scipy.stats")
    from embkit import _stats

    rng = np.random.default_rng(3)
    for n in (5, 30, 353):
        x = rng.normal(size=n)
        y = x * 0.3 + rng.normal(size=n)
        r, p = stats.pearsonr(x, y)
        df = n - 2
        t_squared = r * r * df / ((1 - r) * (1 + r))
        ours = _stats._regularized_incomplete_beta(df / 2, 0.5, df / (df + t_squared))
        assert ours == pytest.approx(p, rel=1e-9)
        assert _stats.correlation_p_value(r, n) == pytest.approx(p, rel=1e-9)


def test_evaluations_equal_the_cli(kv, planted_model):
    out = json.loads(run_cli("eval", planted_model[0], "--analogies", QUESTIONS,
                             "--similarity", PAIR_FILES[0], "--json"))
    score, sections = kv.evaluate_word_analogies(QUESTIONS)
    assert score == pytest.approx(out["analogy"]["accuracy"], abs=1e-12)
    assert len(sections[-1]["correct"]) == out["analogy"]["correct"]
    (pearson, _), (spearman, _), _ = kv.evaluate_word_pairs(PAIR_FILES[0])
    assert spearman == pytest.approx(out["similarity"][0]["spearman"], abs=1e-9)
    assert pearson == pytest.approx(out["similarity"][0]["pearson"], abs=1e-9)


def test_evaluation_errors(kv, tmp_path):
    import embkit

    with pytest.raises(embkit.IoError, match="missing.txt"):
        kv.evaluate_word_analogies(tmp_path / "missing.txt")
    with pytest.raises(OSError):
        kv.evaluate_word_pairs(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("no pairs here\n")
    with pytest.raises(embkit.FormatError, match="bad.txt"):
        kv.evaluate_word_pairs(bad)
    oov = tmp_path / "oov.txt"
    oov.write_text("qqqq\tzzzz\t1.0\nxxxx\tyyyy\t2.0\n")
    with pytest.raises(ValueError, match="No valid similarity judgements"):
        kv.evaluate_word_pairs(oov)
