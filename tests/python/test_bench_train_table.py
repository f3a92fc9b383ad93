#!/usr/bin/python3
"""bench/train_table.py: medians, ratios and PASS/FAIL verdicts from hand-made benchmark records.

Skip-gram: embkit 650k words/s (median of 600k, 700k, 650k) against fastText 130k and gensim 300k
gives 5.00x and 2.17x (speed PASS); SimLex 0.300 against the best anchor's 0.312 is -0.012 (quality
FAIL); RSS 155 MB (median) <= 274 x 1.2 (PASS). CBOW: 1.5M against gensim's 788k is 1.90x (speed
FAIL), RSS 400 MB > 328.8 MB (FAIL), quality at or above the anchors (PASS).

Exit status: 0 pass, 1 fail.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "..", "bench", "train_table.py")
TOKENS = 1_000_000


def record(tool, row, algo, run, words_per_s, rss_mb, analogy, ws353, simlex, corpus="c.txt.xz"):
    return {"tool": tool, "row": row, "algo": algo, "run": run, "corpus": corpus, "tokens": TOKENS,
            "epochs": 5, "threads": 2, "wall_s": TOKENS * 5 / words_per_s, "words_per_s": words_per_s,
            "rss_mb": rss_mb, "analogy": analogy, "semantic": analogy - 0.1, "syntactic": analogy + 0.05,
            "ws353": ws353, "simlex": simlex}


RECORDS = [
    record("embkit", "embkit", "sgns", 1, 600_000, 150, 0.36, 0.66, 0.30),
    record("embkit", "embkit", "sgns", 2, 700_000, 160, 0.36, 0.66, 0.30),
    record("embkit", "embkit", "sgns", 3, 650_000, 155, 0.36, 0.66, 0.30),
    record("fasttext", "fasttext", "sgns", 1, 130_000, 274, 0.349, 0.645, 0.312),
    record("gensim", "gensim-iterator", "sgns", 1, 300_000, 191, 0.360, 0.663, 0.303),
    record("embkit", "embkit", "cbow", 1, 1_500_000, 400, 0.40, 0.70, 0.31),
    record("fasttext", "fasttext", "cbow", 1, 540_000, 274, 0.362, 0.684, 0.287),
    record("gensim", "gensim-corpus_file", "cbow", 1, 788_000, 197, 0.372, 0.677, 0.285),
    record("gensim", "gensim-iterator", "sgns", 1, 100_000, 50, 0.1, 0.1, 0.1, corpus="other.txt"),
]

failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)


def run_table(lines):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "results.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            out.write("".join(lines))
        result = subprocess.run([sys.executable, TABLE, path], capture_output=True, text=True)
        return result, path


result, _ = run_table(json.dumps(r) + "\n" for r in RECORDS)
text = result.stdout
expect(result.returncode == 0, f"exit status {result.returncode}: {result.stderr}")
expect("| embkit skip-gram | 3 | 650,000 | 7.7 | 155 | 0.360 | 0.260 | 0.410 | 0.660 | 0.300 |" in text,
       "skip-gram median row")
expect("| gensim-corpus_file CBOW | 1 | 788,000 | 6.3 | 197 | 0.372 |" in text, "CBOW anchor row")
expect("  vs fasttext: words/s 5.00x, RSS 0.57x" in text, "skip-gram ratio vs fastText")
expect("  vs gensim-iterator: words/s 2.17x, RSS 0.81x" in text, "skip-gram ratio vs gensim")
expect("simlex -0.012 (best 0.312, fasttext)" in text, "skip-gram SimLex delta")
expect("speed >= 2x every anchor: PASS; quality >= best - 0.01: FAIL; "
       "peak RSS 155 MB <= 329 MB (largest anchor + 20%): PASS" in text, "skip-gram verdicts")
expect("  vs gensim-corpus_file: words/s 1.90x, RSS 2.03x" in text, "CBOW ratio vs gensim")
expect("speed >= 2x every anchor: FAIL; quality >= best - 0.01: PASS; "
       "peak RSS 400 MB <= 329 MB (largest anchor + 20%): FAIL" in text, "CBOW verdicts")
expect("corpus c.txt.xz: 1,000,000 tokens" in text and "corpus other.txt: 1,000,000 tokens" in text,
       "one table per corpus")
expect(text.count("| run | runs |") == 2, "two tables")

bad, path = run_table([json.dumps(RECORDS[0]) + "\n", "{oops\n"])
expect(bad.returncode != 0 and bad.stderr.startswith(f"{path}:2: not JSON"),
       f"bad line reported with its number, got {bad.stderr!r}")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    print(text)
    sys.exit(1)
print("ok")
