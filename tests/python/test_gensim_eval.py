#!/usr/bin/python3
"""embkit eval, analogy and neighbors against gensim's KeyedVectors on the same vectors.

Synthetic vectors with planted analogy structure (country -> capital, male -> female and
noun -> plural offsets plus noise) are written in word2vec text format; gensim's
evaluate_word_analogies / evaluate_word_pairs and `embkit eval --json` must report the same correct
and answered counts per section and the same Spearman and Pearson correlations (to 1e-6).
When the shared evaluation data is present (EMBKIT_SHARED_DIR), the same comparison runs on the real
questions-words.txt, wordsim353.tsv and simlex999.txt with synthetic vectors for their words.

Exit status: 0 pass, 1 fail, 77 skipped (gensim or the embkit binary missing).
"""
import json
import logging
import os
import subprocess
import sys
import tempfile
import warnings

SKIP = 77

try:
    import numpy as np
    from gensim.models import KeyedVectors
except ImportError as error:
    print(f"skip: {error}")
    sys.exit(SKIP)

EMBKIT = os.environ.get("EMBKIT_BIN", "")
if not EMBKIT or not os.access(EMBKIT, os.X_OK):
    print("skip: EMBKIT_BIN does not name the embkit binary")
    sys.exit(SKIP)

logging.disable(logging.CRITICAL)
warnings.filterwarnings("ignore")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run_embkit(*args):
    done = subprocess.run([EMBKIT, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"embkit {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def write_word2vec(path, words, vectors):
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"{len(words)} {vectors.shape[1]}\n")
        for word, row in zip(words, vectors):
            out.write(word + " " + " ".join(repr(float(x)) for x in row) + "\n")


def gensim_model(words, vectors):
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def compare_eval(kv, model_path, analogies, pair_files, restrict, label):
    """pair_files: list of (path, delimiter gensim needs for it)."""
    args = ["eval", model_path, "--restrict", str(restrict), "--json"]
    if analogies:
        args += ["--analogies", analogies]
    for path, _ in pair_files:
        args += ["--similarity", path]
    ours = json.loads(run_embkit(*args))

    if analogies:
        _, sections = kv.evaluate_word_analogies(analogies, restrict_vocab=restrict)
        theirs = {s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"]))
                  for s in sections}
        total_correct, total_answered = theirs.pop("Total accuracy")
        mine = ours["analogy"]
        for name, (correct, answered) in theirs.items():
            got = mine["sections"].get(name)
            check(got is not None and (got["correct"], got["answered"]) == (correct, answered),
                  f"{label} restrict {restrict} section {name}: embkit {got} gensim "
                  f"correct {correct} answered {answered}")
        check(len(mine["sections"]) == len(theirs),
              f"{label}: {len(mine['sections'])} sections, gensim {len(theirs)}")
        check((mine["correct"], mine["answered"]) == (total_correct, total_answered),
              f"{label} restrict {restrict} total: embkit {mine['correct']}/{mine['answered']} "
              f"gensim {total_correct}/{total_answered}")
        accuracy = total_correct / total_answered if total_answered else 0.0
        check(abs(mine["accuracy"] - accuracy) < 1e-12, f"{label}: accuracy {mine['accuracy']} vs {accuracy}")
        print(f"{label} restrict {restrict}: analogies {mine['correct']}/{mine['answered']} of "
              f"{mine['total']} ({100 * accuracy:.1f}%), same as gensim: "
              f"{(mine['correct'], mine['answered']) == (total_correct, total_answered)}")

    for entry, (path, delimiter) in zip(ours.get("similarity", []), pair_files):
        pearson, spearman, oov_ratio = kv.evaluate_word_pairs(path, delimiter=delimiter,
                                                              restrict_vocab=restrict)
        check(abs(entry["spearman"] - spearman[0]) < 1e-6,
              f"{label} {path}: spearman {entry['spearman']} vs gensim {spearman[0]}")
        check(abs(entry["pearson"] - pearson[0]) < 1e-6,
              f"{label} {path}: pearson {entry['pearson']} vs gensim {pearson[0]}")
        check(abs(100.0 * entry["oov"] / entry["pairs"] - oov_ratio) < 1e-9,
              f"{label} {path}: oov {entry['oov']} of {entry['pairs']} vs gensim {oov_ratio}%")
        print(f"{label} restrict {restrict}: {os.path.basename(path)} spearman {entry['spearman']:.6f} "
              f"(gensim {spearman[0]:.6f}) pearson {entry['pearson']:.6f} (gensim {pearson[0]:.6f}) "
              f"oov {entry['oov']}/{entry['pairs']}")


def planted_vectors(rng, dim=48, noise=1.9):
    """Relation pairs sharing an offset per relation, fillers, case variants and one zero row."""
    relations = {
        "capital-common-countries": [(f"country{i}", f"capital{i}") for i in range(24)],
        "family": [(f"male{i}", f"female{i}") for i in range(16)],
        "gram8-plural": [(f"noun{i}", f"nouns{i}") for i in range(20)],
    }
    vectors = {}
    for name, pairs in relations.items():
        offset = rng.normal(size=dim) * 1.2
        for x, y in pairs:
            base = rng.normal(size=dim)
            vectors[x] = base
            vectors[y] = base + offset + rng.normal(size=dim) * noise
    for i in range(300):
        vectors[f"filler{i}"] = rng.normal(size=dim)
    words = list(vectors)
    rng.shuffle(words)
    # Upper-case variants later in the vocabulary: case-insensitive lookups must take the first casing.
    for word in words[:12]:
        vectors[word.upper()] = rng.normal(size=dim)
        words.append(word.upper())
    vectors["nothing"] = np.zeros(dim)
    words.append("nothing")
    matrix = np.array([vectors[w] for w in words], dtype=np.float32)
    return words, matrix, relations


def write_planted_questions(path, rng, relations):
    with open(path, "w", encoding="utf-8") as out:
        for name, pairs in relations.items():
            out.write(f": {name}\n")
            for _ in range(150):
                i, j = rng.choice(len(pairs), size=2, replace=False)
                (a, b), (c, d) = pairs[i], pairs[j]
                words = [a, b, c, d]
                if rng.random() < 0.2:  # upper-case in the file
                    words = [w.upper() for w in words]
                if rng.random() < 0.05:  # an unknown word
                    words[rng.integers(4)] = "unknownword"
                out.write(" ".join(words) + "\n")
            out.write("too few words\n")
            out.write("one two three four five\n")


def write_pairs(path, rng, kv, words, delimiter, count=120):
    with open(path, "w", encoding="utf-8") as out:
        out.write("# synthetic pairs\n")
        for _ in range(count):
            a, b = rng.choice(words, size=2, replace=False)
            if rng.random() < 0.05:
                b = "missingword"
            score = (kv.similarity(a, b) if b in kv else 0.0) * 20 + 5 + rng.normal() * 1.5
            if rng.random() < 0.1:
                score = round(score)  # ties in the gold scores
            if rng.random() < 0.2:
                a = a.upper()
            out.write(delimiter.join([a, b, f"{score:.2f}"]) + "\n")


def compare_queries(kv, model_path, words):
    """most_similar via `embkit neighbors`, 3CosAdd/3CosMul via `embkit analogy`."""
    queries = [w for w in words[:40] if w != "nothing"][:15]
    lines = run_embkit("neighbors", model_path, *queries, "-k", "8", "--json").strip().splitlines()
    for line in lines:
        ours = json.loads(line)
        theirs = kv.most_similar(ours["query"], topn=8)
        same = [n["word"] for n in ours["neighbors"]] == [w for w, _ in theirs] and all(
            abs(n["score"] - s) < 1e-5 for n, (_, s) in zip(ours["neighbors"], theirs))
        check(same, f"neighbors {ours['query']}: {ours['neighbors']} vs gensim {theirs}")
    for a, b, c in [("country0", "capital0", "country5"), ("male3", "female3", "male7"),
                    ("noun1", "nouns1", "noun2"), ("filler1", "filler2", "filler3")]:
        for method in ("add", "mul"):
            ours = json.loads(run_embkit("analogy", model_path, a, b, c, "-k", "5", "--method", method,
                                         "--json"))["answers"]
            if method == "add":
                theirs = kv.most_similar(positive=[b, c], negative=[a], topn=5)
            else:
                theirs = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=5)
            same = [n["word"] for n in ours] == [w for w, _ in theirs] and all(
                abs(n["score"] - s) < 1e-5 * max(1.0, abs(s)) for n, (_, s) in zip(ours, theirs))
            check(same, f"analogy {method} {a} {b} {c}: {ours} vs gensim {theirs}")
    print(f"neighbors of {len(lines)} words and 8 analogies (add and mul): compared with gensim")


def real_data_vectors(rng, shared, dim=64, noise=1.7):
    """Vectors for the words of the real files: per section, second-column words sit at a shared
    offset from their first-column partner; lower-case words, a few upper-case variants, some
    words missing so that coverage is below 100%."""
    vectors, offsets = {}, {}
    section = None
    with open(os.path.join(shared, "questions-words.txt"), encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(": "):
                section = line[2:].strip()
                offsets[section] = rng.normal(size=dim) * 1.2
                continue
            a, b, c, d = line.lower().split()
            for x, y in ((a, b), (c, d)):
                if x not in vectors:
                    vectors[x] = rng.normal(size=dim)
                if y not in vectors:
                    vectors[y] = vectors[x] + offsets[section] + rng.normal(size=dim) * noise
    for name in ("wordsim353.tsv", "simlex999.txt"):
        with open(os.path.join(shared, name), encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                for word in line.split("\t")[:2]:
                    vectors.setdefault(word.lower(), rng.normal(size=dim))
    for i in range(3000):
        vectors[f"filler{i}"] = rng.normal(size=dim)
    words = [w for w in vectors if rng.random() > 0.03]
    rng.shuffle(words)
    for word in words[:50]:
        words.append(word.capitalize() if word.capitalize() not in vectors else word.upper())
        vectors[words[-1]] = rng.normal(size=dim)
    matrix = np.array([vectors[w] for w in words], dtype=np.float32)
    return words, matrix


def main():
    rng = np.random.default_rng(20240611)
    with tempfile.TemporaryDirectory(prefix="embkit_gensim_eval_") as tmp:
        words, matrix, relations = planted_vectors(rng)
        model_path = os.path.join(tmp, "planted.vec")
        write_word2vec(model_path, words, matrix)
        kv = gensim_model(words, matrix)
        questions = os.path.join(tmp, "questions.txt")
        write_planted_questions(questions, rng, relations)
        tab_pairs = os.path.join(tmp, "pairs.tsv")
        space_pairs = os.path.join(tmp, "pairs.txt")
        content_words = [w for w in words if w != "nothing"]
        write_pairs(tab_pairs, rng, kv, content_words, "\t")
        write_pairs(space_pairs, rng, kv, content_words, " ")
        pair_files = [(tab_pairs, "\t"), (space_pairs, " ")]
        for restrict in (300000, 250):
            compare_eval(kv, model_path, questions, pair_files, restrict, "planted")
        compare_queries(kv, model_path, words)

        shared = os.path.join(os.environ.get("EMBKIT_SHARED_DIR", ""), "data", "eval")
        if os.path.exists(os.path.join(shared, "questions-words.txt")):
            words, matrix = real_data_vectors(rng, shared)
            model_path = os.path.join(tmp, "real_words.vec")
            write_word2vec(model_path, words, matrix)
            kv = gensim_model(words, matrix)
            real_pairs = [(os.path.join(shared, "wordsim353.tsv"), "\t"),
                          (os.path.join(shared, "simlex999.txt"), "\t")]
            for restrict in (300000, 2500):
                compare_eval(kv, model_path, os.path.join(shared, "questions-words.txt"), real_pairs,
                             restrict, "questions-words")
        else:
            print("shared evaluation data not found: real-file comparison skipped")

    if failures:
        print(f"{len(failures)} mismatches with gensim")
        return 1
    print("all results equal gensim's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
