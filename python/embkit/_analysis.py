"""Linear probes of word vectors and charts (include/embkit/probe.h, plot.h).

Charts are SVG or PNG by the output file's extension and are written atomically."""

import os

import numpy as np

from . import _embkit

__all__ = ["probe", "plot_scatter", "plot_heatmap", "plot_loss"]


def probe(kv, labels, test_fraction=0.2, seed=1, c=1.0, tolerance=0.01, threads=0, examples=False):
    """A one-vs-rest logistic-regression probe (``embkit probe``): can a linear classifier recover
    ``labels`` from the vectors? ``labels`` is a dict word -> label (its order is the file order) or
    the path of a file of ``word label`` lines.

    Returns the keys of ``embkit probe --json`` but ``seconds`` (accuracy, macro_f1,
    baseline_accuracy, train, test, labels, oov, c), plus ``oov_words`` and, with ``examples``,
    ``examples``: (word, label, is_test, predicted) tuples. ValueError when fewer than 2 labels are
    left, no labelled word is in the model or the test set is empty."""
    if isinstance(labels, (str, os.PathLike)):
        source = os.fspath(labels)
    elif isinstance(labels, dict):
        source = [(str(word), str(label)) for word, label in labels.items()]
    else:
        raise TypeError("labels: expected a dict word -> label or a path, got " + type(labels).__name__)
    return _embkit.probe(kv._kv, source, test_fraction, seed, c, tolerance, threads, examples)


def plot_scatter(path, points, labels, groups=None, title="", group_names=None):
    """A labelled 2-D scatter (for instance of :func:`embkit.tsne` or the first two columns of a
    :func:`embkit.pca` projection). ``groups``: one int per point (colour and legend; negative = no
    group); ``group_names`` names the groups in the legend. Labels earlier in the list win the room
    when they compete. Returns how many labels were placed, moved, shrunk and dropped."""
    groups = None if groups is None else [int(g) for g in np.asarray(groups).ravel()]
    return _embkit.plot_scatter(os.fspath(path), points, [str(x) for x in labels], groups, title,
                                list(group_names or []))


def plot_heatmap(path, labels, matrix, title="cosine similarity"):
    """An n x n heatmap (cosine similarities in [-1, 1]) with ``labels`` on both axes."""
    _embkit.plot_heatmap(os.fspath(path), [str(x) for x in labels], matrix, title)


def plot_loss(path_out, loss_csv, title="training loss"):
    """The loss curve of a ``embkit train --loss-log`` CSV file."""
    _embkit.plot_loss(os.fspath(path_out), os.fspath(loss_csv), title)
