#!/usr/bin/python3
"""embkit's f16 / i8 native files and FAISS index files read by numpy and FAISS directly.

A seeded random model (300 words x 37 values, columns with different spreads and one all-zero
column) is converted with `embkit convert --dtype f16|i8`. The files are read with json + numpy as
docs/formats.md describes: the F16 vectors must equal numpy's float16 rounding of the model bit for
bit, the I8 scales must equal max|x| / 127 computed in float32 (1 for the zero column) and the codes
round(x / scale) with halves away from zero. An index built with `embkit index build --type flat`
is opened with faiss.deserialize_index on the bytes the header points at, and its search must
return embkit's neighbours.

Exit status: 0 pass, 1 fail, 77 skipped (numpy, faiss or the embkit binary missing).
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

SKIP = 77

try:
    import numpy as np
    import faiss
except ImportError as error:
    print(f"skip: {error}")
    sys.exit(SKIP)

EMBKIT = os.environ.get("EMBKIT_BIN", "")
if not EMBKIT or not os.access(EMBKIT, os.X_OK):
    print("skip: EMBKIT_BIN does not name the embkit binary")
    sys.exit(SKIP)

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run_embkit(*args, expect=0):
    done = subprocess.run([EMBKIT, *args], capture_output=True, text=True)
    if done.returncode != expect:
        raise RuntimeError(f"embkit {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def read_tensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()

    def tensor(name, dtype):
        begin, end = header[name]["data_offsets"]
        return np.frombuffer(data[begin:end], dtype=dtype).reshape(header[name]["shape"])

    return header, tensor


def main():
    rng = np.random.default_rng(17)
    words = [f"w{i}" for i in range(300)]
    x = (rng.standard_normal((300, 37)) * np.linspace(0.01, 30, 37)).astype(np.float32)
    x[:, 5] = 0
    x[0, 1] = np.float32(0.5) * (np.abs(x[:, 1]).max() / np.float32(127))  # exactly half a step
    with tempfile.TemporaryDirectory() as tmp:
        vec = os.path.join(tmp, "m.vec")
        with open(vec, "w") as f:
            f.write(f"{len(words)} {x.shape[1]}\n")
            for word, row in zip(words, x):
                f.write(word + " " + " ".join(repr(float(v)) for v in row) + "\n")

        f16 = os.path.join(tmp, "m16.emb")
        run_embkit("convert", vec, f16, "--dtype", "f16")
        header, tensor = read_tensors(f16)
        check(header["vectors"]["dtype"] == "F16", "f16 file stores F16")
        halves = tensor("vectors", "<f2")
        check(np.array_equal(halves.view(np.uint16), x.astype(np.float16).view(np.uint16)),
              "F16 bits equal numpy's float16 rounding")

        i8 = os.path.join(tmp, "m8.emb")
        run_embkit("convert", vec, i8, "--dtype", "i8")
        header, tensor = read_tensors(i8)
        codes = tensor("vectors", "i1")
        scales = tensor("scales", "<f4")
        peak = np.abs(x).max(axis=0)
        expected_scales = np.where(peak > 0, peak / np.float32(127), np.float32(1)).astype(np.float32)
        check(np.array_equal(scales, expected_scales), "scales equal max|x| / 127 (1 for zeros)")
        ratio = (x / expected_scales).astype(np.float64)
        expected_codes = np.clip(np.sign(ratio) * np.floor(np.abs(ratio) + 0.5), -127, 127)
        check(np.array_equal(codes.astype(np.int64), expected_codes.astype(np.int64)),
              "codes equal round-half-away(x / scale)")
        check(codes[0, 1] == (1 if x[0, 1] > 0 else -1), "a value of exactly half a step rounds away")
        check(np.all(np.abs(x - codes * scales) <= scales / 2 * (1 + 1e-6)), "|x - deq| <= scale / 2")
        # embkit reads the i8 file back as the dequantized floats.
        back = os.path.join(tmp, "back.vec")
        run_embkit("convert", i8, back)
        values = np.loadtxt(back, skiprows=1, usecols=range(1, 38), dtype=np.float32)
        check(np.array_equal(values, codes.astype(np.float32) * scales), "load dequantizes")

        big = os.path.join(tmp, "big.vec")
        with open(big, "w") as f:
            f.write("2 2\na 1 2\nhuge 3 70000\n")
        done = run_embkit("convert", big, os.path.join(tmp, "big.emb"), "--dtype", "f16", expect=1)
        check("word 'huge'" in done.stderr, f"f16 overflow names the word: {done.stderr!r}")

        index_path = os.path.join(tmp, "m.index")
        run_embkit("index", "build", vec, "--type", "flat", "--output", index_path)
        with open(index_path, "rb") as f:
            blob = f.read()
        (length,) = struct.unpack("<Q", blob[:8])
        meta = json.loads(blob[8:8 + length])
        start = 8 + length
        index = faiss.deserialize_index(
            np.frombuffer(blob[start:start + meta["faiss_bytes"]], dtype=np.uint8))
        check(index.ntotal == 300 and index.d == 37, "FAISS reads the index part")
        unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-30)
        _, ids = index.search(unit[7:8], 6)
        expected = [words[i] for i in ids[0] if i != 7][:5]
        out = run_embkit("index", "search", index_path, "w7", "-k", "5", "--json").stdout
        found = [n["word"] for n in json.loads(out)["neighbors"]]
        check(found == expected, f"index search equals FAISS on the file: {found} vs {expected}")

    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
