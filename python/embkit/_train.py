"""embkit.train(): skip-gram, CBOW, GloVe and PPMI-SVD from a corpus file or an iterable of token lists."""

import os

from . import _embkit
from ._keyed_vectors import KeyedVectors

__all__ = ["train"]

# The options each algorithm takes, from the library's option table (embkit/options.h): the
# defaults, ranges and help live there and nowhere else.
_SCHEMA = _embkit.option_schema("train")
OPTIONS = {
    algo: {o["name"] for o in _SCHEMA["options"]
           if algo in o["algorithms"] and not o["cli_only"] and o["name"] != _SCHEMA["selector"]}
    for algo in _SCHEMA["algorithms"]
}


def train(corpus, algo="sgns", progress=None, **options):
    """Trains word vectors and returns a KeyedVectors (vocabulary in frequency order, with counts).

    ``corpus``: a path (UTF-8 text, one sentence per line, .gz/.xz/.zst too) or an iterable of
    token lists (each a list of str). ``algo``: 'sgns', 'cbow', 'glove' or 'ppmi-svd'. ``options``
    are `embkit train`'s flags with underscores: dim, window, negative, min_count, max_vocab, sample,
    epochs, lr, threads, seed, update ('minibatch' / 'classic'), loss ('ns' / 'hs' / 'softmax'),
    minn, maxn, bucket (subwords when maxn > 0), lowercase (files), loss_log; glove:
    x_max, alpha, glove_output; ppmi-svd: eig_power, svd, shift, cds, power_iterations, oversample,
    range_precision; glove and ppmi-svd: weighting, one_sided, memory, temp_dir. Defaults and ranges
    are the CLI's (``embkit.option_schema("train")`` lists them); an unknown or misplaced option
    raises TypeError, a value out of range ValueError. With threads=1 and a fixed seed the result is bit-identical across runs.

    ``progress(fraction, info)`` is called from the calling thread a few times a second; ``info``
    is a dict (stage, epoch, loss, eta_seconds, rate, learning_rate, fraction). The GIL is released
    while training. Ctrl-C stops training and raises KeyboardInterrupt (PPMI-SVD finishes its
    current stage first); an exception raised by ``progress`` stops training the same way.
    """
    if algo not in OPTIONS:
        raise ValueError(f"algo must be one of {', '.join(sorted(OPTIONS))}, not {algo!r}")
    if isinstance(corpus, os.PathLike):
        corpus = os.fspath(corpus)
    native = _embkit.train(corpus, algo, options, progress)
    return KeyedVectors(_native=native)
