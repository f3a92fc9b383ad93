"""Fixtures of the embkit Python API tests: run with PYTHONPATH at the built package (CTest's
python_api test sets it) and EMBKIT_BIN at the command-line tool for the CLI comparisons."""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import embkit

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "data" / "eval"


def embkit_bin():
    path = os.environ.get("EMBKIT_BIN") or shutil.which("embkit")
    if not path:
        pytest.skip("the embkit command-line tool is not available (set EMBKIT_BIN)")
    return path


def run_cli(*args):
    result = subprocess.run([embkit_bin(), *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def evaluation_words():
    """Every word of the shipped evaluation files, lower-cased, in order of first appearance."""
    words = []
    with open(EVAL / "questions-words.txt", encoding="utf8") as f:
        for line in f:
            if not line.startswith(":"):
                words.extend(w.lower() for w in line.split())
    for name in ("wordsim353.tsv", "simlex999.txt"):
        with open(EVAL / name, encoding="utf8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3 and not line.startswith("#"):
                    words.extend(w.lower() for w in parts[:2])
    return list(dict.fromkeys(words))


@pytest.fixture(scope="session")
def planted_model(tmp_path_factory):
    """A random 48-dimensional model over the evaluation words (minus some, for OOV) where, in the
    capital-common-countries section, every country = its capital + one shared offset, so those
    analogies are right and others mostly wrong. Saved as word2vec text; returns (path, words, vectors)."""
    rng = np.random.default_rng(7)
    words = [w for i, w in enumerate(evaluation_words()) if i % 23 != 5]  # leave some out
    index = {w: i for i, w in enumerate(words)}
    vectors = rng.normal(size=(len(words), 48)).astype(np.float32)
    offset = rng.normal(size=48).astype(np.float32) * 3
    section = None
    with open(EVAL / "questions-words.txt", encoding="utf8") as f:
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
            elif section == "capital-common-countries":
                capital, country = (w.lower() for w in line.split()[:2])
                if capital in index and country in index:
                    vectors[index[country]] = vectors[index[capital]] + offset
    # A zero row (not a question word: gensim's answers for those are NaN): zero-length handling.
    words.append("zero-length-row")
    vectors = np.vstack([vectors, np.zeros((1, 48), dtype=np.float32)])
    path = tmp_path_factory.mktemp("planted") / "planted.vec"
    with open(path, "w", encoding="utf8") as f:
        f.write(f"{len(words)} 48\n")
        for w, v in zip(words, vectors):
            f.write(w + " " + " ".join(repr(float(x)) for x in v) + "\n")
    return path, words, vectors


@pytest.fixture(scope="session")
def kv(planted_model):
    return embkit.load(planted_model[0])


@pytest.fixture(scope="session")
def gensim_kv(planted_model):
    gensim_models = pytest.importorskip("gensim.models")
    return gensim_models.KeyedVectors.load_word2vec_format(str(planted_model[0]), binary=False)


def pytest_configure(config):
    # gensim divides by the zero row's norm (0 / 0) in the planted model; embkit scores it 0.
    config.addinivalue_line("filterwarnings", "ignore:invalid value encountered:RuntimeWarning")
    config.addinivalue_line("filterwarnings", "ignore:Call to deprecated:DeprecationWarning")
