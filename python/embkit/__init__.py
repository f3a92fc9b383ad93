"""embkit: word embeddings in C++ with gensim's KeyedVectors interface.

    import embkit
    kv = embkit.load("model.emb")                 # or .vec / .bin / GloVe text / .npy
    kv.most_similar("king", topn=5)
    kv.evaluate_word_analogies("questions-words.txt")
    kv2 = embkit.train([["a", "b"], ["b", "c"]], algo="sgns", dim=50, min_count=1)
    kv3, reports, fitted = embkit.transform(kv, "center,abtt:2")   # fitted.apply(...), .save(...)
    clusters = embkit.kmeans(kv, 20)                  # .labels, .centroids, .inertia
    points = embkit.tsne(kv.vectors[:500])            # (500, 2) float32

Arrays go in as anything NumPy converts to float32 (TypeError for strings, objects, complex);
arrays that come back are new writable arrays, except KeyedVectors.vectors / norms (read-only
views of the model).

Errors: KeyError (unknown word), ValueError (bad value or shape), embkit.IoError (an OSError: a file
cannot be read or written), embkit.FormatError (a ValueError: a file's content is wrong, with the
file and line in the message).
"""

from ._embkit import FormatError, IoError, option_schema
from ._keyed_vectors import KeyedVectors, load
from ._train import train
from ._documents import (Documents, bag_of_words, cooccurrence, document_vectors, document_vocabulary,
                         one_hot, read_documents, tfidf, top_k)

from ._transform import (Transform, anisotropy, dequantize, jl_min_dim, load_transform, pca,
                         quantize_int8, random_projection, transform)
from ._cluster import KMeans, kmeans, silhouette_score, tsne
from ._analysis import plot_heatmap, plot_loss, plot_scatter, probe
from ._index import VectorIndex, int8_top_k
from . import _classify as classify

# Extension points: further areas are modules of this package (embkit/_<area>.py over a
# bind_<area>() in python/src/), re-exported here.

from_gensim = KeyedVectors.from_gensim

__version__ = "0.1.0"

__all__ = ["KeyedVectors", "load", "train", "from_gensim", "FormatError", "IoError", "Documents",
           "read_documents", "document_vocabulary", "one_hot", "bag_of_words", "tfidf",
           "document_vectors", "cooccurrence", "top_k", "Transform", "transform", "load_transform",
           "pca", "anisotropy", "jl_min_dim", "random_projection", "quantize_int8", "dequantize",
           "KMeans", "kmeans", "silhouette_score", "tsne", "probe", "plot_scatter", "plot_heatmap",
           "plot_loss", "VectorIndex", "int8_top_k", "option_schema", "classify"]
