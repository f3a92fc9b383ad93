"""embkit's files read by other tools, and theirs by embkit, bit for bit.

gensim writes a .vec and a .bin; `embkit convert` turns them into every format; gensim reads our
.vec/.bin back, plain json + numpy read our native (safetensors) file, numpy reads our .npy.
Exit code 77 (skipped) when gensim/numpy or the embkit binary's `convert` command are unavailable.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from gensim.models import KeyedVectors
except ImportError as error:
    print(f"skipped: {error}")
    sys.exit(77)

EMBKIT = os.environ.get("EMBKIT_BIN", "embkit")


def embkit(*args):
    return subprocess.run([EMBKIT, *args], check=True, capture_output=True, text=True).stdout


def cli_available():
    if shutil.which(EMBKIT) is None and not os.access(EMBKIT, os.X_OK):
        return False
    result = subprocess.run([EMBKIT, "convert", "--help"], capture_output=True)
    return result.returncode == 0


def reference_model():
    rng = np.random.default_rng(42)
    words = [f"{stem}{i}" for i, stem in enumerate(["word", "café", "東京", "данные", "😀"] * 60)]
    vectors = rng.normal(0.0, 0.3, size=(len(words), 17)).astype(np.float32)
    vectors[0, :4] = [1e-30, -1e30, 0.0, 123456.79]  # tiny, huge, zero, many digits
    vectors[1, :3] = [-0.0, 1.0, -1.5]
    model = KeyedVectors(vector_size=vectors.shape[1])
    model.add_vectors(words, vectors)
    return model


def read_native(path):
    """An embkit .emb file with nothing but json + numpy (the safetensors layout)."""
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length))
        data = f.read()
    assert (8 + header_length) % 64 == 0, "data section is 64-byte aligned"
    assert header["__metadata__"]["format"] == "embkit"

    def tensor(name, dtype):
        begin, end = header[name]["data_offsets"]
        return np.frombuffer(data[begin:end], dtype=dtype).reshape(header[name]["shape"])

    vectors = tensor("vectors", "<f4")
    offsets = tensor("vocab_offsets", "<u8")
    word_bytes = tensor("vocab_bytes", "u1").tobytes()
    words = [word_bytes[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)]
    import zlib
    assert header["__metadata__"]["checksum"] == f"crc32:{zlib.crc32(data):08x}"
    assert int(header["__metadata__"]["rows"]) == len(words)
    return words, vectors


def assert_same(reference, words, vectors, what):
    assert list(words) == list(reference.index_to_key), f"{what}: words differ"
    assert vectors.dtype == np.float32
    assert np.array_equal(vectors.view(np.uint32), reference.vectors.view(np.uint32)), \
        f"{what}: vectors differ in their bits"


def main():
    if not cli_available():
        print("skipped: embkit binary with `convert` not available")
        return 77
    reference = reference_model()
    with tempfile.TemporaryDirectory() as tmp:
        path = lambda name: os.path.join(tmp, name)
        reference.save_word2vec_format(path("gensim.vec"))
        reference.save_word2vec_format(path("gensim.bin"), binary=True)

        for source in ("gensim.vec", "gensim.bin"):
            embkit("convert", path(source), path("from_" + source + ".emb"))
            words, vectors = read_native(path("from_" + source + ".emb"))
            assert_same(reference, words, vectors, f"native from {source}")

        native = path("from_gensim.vec.emb")
        embkit("convert", native, path("ours.vec"), "--to", "vec")
        embkit("convert", native, path("ours.bin"), "--to", "bin")
        embkit("convert", native, path("ours.txt"), "--to", "glove")
        embkit("convert", native, path("ours.npy"), "--to", "npy")

        ours = KeyedVectors.load_word2vec_format(path("ours.vec"))
        assert_same(reference, ours.index_to_key, ours.vectors, "gensim reading our .vec")
        ours = KeyedVectors.load_word2vec_format(path("ours.bin"), binary=True)
        assert_same(reference, ours.index_to_key, ours.vectors, "gensim reading our .bin")
        # word2vec.c's layout (gensim 4 omits the final '\n' of every record; word2vec.c writes it).
        c_layout = f"{len(reference.index_to_key)} 17\n".encode() + b"".join(
            word.encode() + b" " + vector.tobytes() + b"\n"
            for word, vector in zip(reference.index_to_key, reference.vectors))
        with open(path("ours.bin"), "rb") as f:
            assert f.read() == c_layout, "our .bin has word2vec.c's exact bytes"
        ours = KeyedVectors.load_word2vec_format(path("ours.txt"), binary=False, no_header=True)
        assert_same(reference, ours.index_to_key, ours.vectors, "gensim reading our GloVe text")

        matrix = np.load(path("ours.npy"))
        with open(path("ours.labels.txt"), encoding="utf-8") as f:
            labels = f.read().splitlines()
        assert_same(reference, labels, matrix, "numpy reading our .npy")

        info = json.loads(embkit("info", native, "--json"))
        assert info["vocab"] == len(reference.index_to_key) and info["dim"] == 17, info
    print("ok: gensim, numpy and json read embkit's files bit-exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
