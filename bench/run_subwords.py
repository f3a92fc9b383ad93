#!/usr/bin/python3
"""Subword (character n-gram) training benchmark: embkit against Debian's fastText 0.9.2 and gensim 4.2's
FastText on the same corpus with fastText's settings — dim 100, window 5, negative 5, minn 3, maxn 6,
bucket 2,000,000, lr 0.05, sample 1e-4, min count 5, 5 epochs, 2 threads — for skip-gram and CBOW.

For every tool and algorithm it reports, from the same plain-text copy of the corpus:
  * words/s (corpus tokens x epochs / wall seconds of the whole training process) and peak RSS,
    medians over --runs runs, with embkit's ratio to each reference;
  * analogy accuracy (questions-words, restricted to 30,000 words), WS353 and SimLex-999 Spearman,
    all through `embkit eval` so every model is scored the same way;
  * unseen words: --heldout words of middle frequency (those in WS353 / SimLex first) are removed
    with every line that contains them from a copy of the corpus; each tool trains on that copy, and
    the held-out words' vectors — built from n-grams alone — are scored (a) by the overlap of their
    10 nearest neighbours with the same word's neighbours in the full-corpus model of the same tool,
    and (b) by the Spearman correlation on the WS353 + SimLex pairs that contain a held-out word.

usage: run_subwords.py [--corpus FILE] [--tokens N] [--runs N] [--reference-runs N]
                       [--algos sgns,cbow] [--only embkit,fasttext,gensim] [--heldout 200]
                       [--build DIR] [--threads 2] [--epochs 5] [--out FILE.json]
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"

GENSIM_TRAIN = r'''
import sys, logging
logging.disable(logging.CRITICAL)
from gensim.models import FastText
from gensim.models.fasttext import save_facebook_model
from gensim.models.word2vec import LineSentence
corpus, out, sg, dim, epochs, threads, lr = sys.argv[1:8]
m = FastText(sentences=LineSentence(corpus), vector_size=int(dim), window=5, negative=5, min_count=5,
             min_n=3, max_n=6, bucket=2000000, alpha=float(lr), sample=1e-4, epochs=int(epochs),
             workers=int(threads), sg=int(sg), seed=1)
save_facebook_model(m, out)
'''


def plain_copy(corpus, dest, max_tokens):
    opener = {".xz": ["xz", "-dc"], ".gz": ["gzip", "-dc"], ".zst": ["zstd", "-qdc"]}
    ext = os.path.splitext(corpus)[1]
    cmd = opener.get(ext, ["cat"]) + [corpus]
    tokens = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc, open(dest, "w") as out:
        for line in proc.stdout:
            out.write(line)
            tokens += len(line.split())
            if max_tokens and tokens >= max_tokens:
                proc.kill()
                break
    return tokens


def read_pairs(path):
    pairs = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = re.split(r"\t" if "\t" in line else r"\s+", line.strip())
            if len(parts) < 3:
                continue
            try:
                pairs.append((parts[0].lower(), parts[1].lower(), float(parts[2])))
            except ValueError:
                continue
    return pairs


def choose_heldout(plain, count, pair_words, seed):
    freq = collections.Counter()
    with open(plain) as f:
        for line in f:
            freq.update(line.split())
    ranked = [w for w, c in freq.most_common() if c >= 5]
    middle = ranked[2000:30000] if len(ranked) > 4000 else ranked[len(ranked) // 4:]
    rng = random.Random(seed)
    in_pairs = [w for w in middle if w in pair_words]
    rng.shuffle(in_pairs)
    chosen = in_pairs[:count]
    rest = [w for w in middle if w not in set(chosen)]
    rng.shuffle(rest)
    chosen += rest[:count - len(chosen)]
    return chosen


def drop_lines(plain, dest, words):
    banned = set(words)
    kept = 0
    with open(plain) as f, open(dest, "w") as out:
        for line in f:
            if banned.isdisjoint(line.split()):
                out.write(line)
                kept += len(line.split())
    return kept


def timed(cmd, env=None):
    start = time.time()
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"run_subwords.py: failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    wall, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, time.time() - start


def train(tool, algo, corpus, out_prefix, args):
    ft_mode = "skipgram" if algo == "sgns" else "cbow"
    if tool == "embkit":
        model = out_prefix + ".emb"
        cmd = [args.embkit, "train", "--input", corpus, "--output", model, "--algo", algo, "--dim", "100",
               "--window", "5", "--negative", "5", "--min-count", "5", "--sample", "1e-4", "--epochs",
               str(args.epochs), "--lr", "0.05", "--threads", str(args.threads), "--minn", "3", "--maxn", "6",
               "--bucket", "2000000"]
    elif tool == "fasttext":
        model = out_prefix + ".bin"
        cmd = ["fasttext", ft_mode, "-input", corpus, "-output", out_prefix, "-dim", "100", "-ws", "5", "-neg",
               "5", "-minCount", "5", "-t", "1e-4", "-epoch", str(args.epochs), "-lr", "0.05", "-thread",
               str(args.threads), "-minn", "3", "-maxn", "6", "-bucket", "2000000", "-verbose", "0"]
    else:
        model = out_prefix + ".bin"
        cmd = [PYTHON, "-c", GENSIM_TRAIN, corpus, model, "1" if algo == "sgns" else "0", "100",
               str(args.epochs), str(args.threads), "0.05"]
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    wall, rss, _ = timed(cmd, env)
    if tool == "fasttext" and os.path.exists(out_prefix + ".vec"):
        os.remove(out_prefix + ".vec")
    return model, wall, rss


def evaluate(model, args):
    ev = args.eval_dir
    out = subprocess.run([args.embkit, "eval", model, "--analogies", f"{ev}/questions-words.txt", "--similarity",
                          f"{ev}/wordsim353.tsv", "--similarity", f"{ev}/simlex999.txt", "--restrict", "30000",
                          "--json"], capture_output=True, text=True, check=True).stdout
    e = json.loads(out)
    sims = {s["file"].rsplit("/", 1)[-1]: s for s in e.get("similarity", [])}
    return {"analogy": e["analogy"]["accuracy"], "ws353": sims["wordsim353.tsv"]["spearman"],
            "simlex": sims["simlex999.txt"]["spearman"]}


def neighbours(model, words, args):
    out = subprocess.run([args.embkit, "neighbors", model, "-k", "10", "--json", "--threads", str(args.threads)]
                         + words, capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        r = json.loads(line)
        result[r["query"]] = [n["word"] for n in r["neighbors"]]
    return result


def heldout_scores(full_model, reduced_model, heldout, pairs_file, args):
    full = neighbours(full_model, heldout, args)
    reduced = neighbours(reduced_model, heldout, args)
    overlaps = [len(set(full[w]) & set(reduced[w])) / 10 for w in heldout if w in full and w in reduced]
    out = subprocess.run([args.embkit, "eval", reduced_model, "--similarity", pairs_file, "--json"],
                         capture_output=True, text=True, check=True).stdout
    s = json.loads(out)["similarity"][0]
    return {"overlap10": statistics.mean(overlaps) if overlaps else None, "answered": len(overlaps),
            "pairs": s["pairs"], "pairs_scored": s["pairs"] - s["oov"] + s.get("oov_scored", 0),
            "pairs_spearman": s.get("spearman_with_oov", s["spearman"])}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "data", "corpus", "bench.txt.xz"))
    p.add_argument("--tokens", type=int, default=0, help="use only the first N tokens (0 = all)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--reference-runs", type=int, default=1)
    p.add_argument("--algos", default="sgns,cbow")
    p.add_argument("--only", default="embkit,fasttext,gensim")
    p.add_argument("--heldout", type=int, default=200)
    p.add_argument("--build", default=os.path.join(REPO, "build"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--out", default="")
    args = p.parse_args()
    args.embkit = os.path.join(args.build, "embkit")
    args.eval_dir = os.path.join(REPO, "data", "eval")
    if not os.path.exists(os.path.join(args.eval_dir, "questions-words.txt")):
        args.eval_dir = os.path.join(REPO, "..", "shared", "data", "eval")
    tools = [t for t in args.only.split(",") if t]
    if "fasttext" in tools and not shutil.which("fasttext"):
        sys.exit("run_subwords.py: fasttext missing (scripts/setup.sh --bench)")
    work = tempfile.mkdtemp(prefix="embkit_subword_bench.")
    try:
        plain = os.path.join(work, "corpus.txt")
        tokens = plain_copy(args.corpus, plain, args.tokens)
        pairs = read_pairs(os.path.join(args.eval_dir, "wordsim353.tsv")) + \
            read_pairs(os.path.join(args.eval_dir, "simlex999.txt"))
        pair_words = {w for a, b, _ in pairs for w in (a, b)}
        heldout = choose_heldout(plain, args.heldout, pair_words, 12)
        reduced = os.path.join(work, "reduced.txt")
        reduced_tokens = drop_lines(plain, reduced, heldout)
        hs = set(heldout)
        pairs_file = os.path.join(work, "heldout_pairs.txt")
        with open(pairs_file, "w") as f:
            for a, b, score in pairs:
                if a in hs or b in hs:
                    f.write(f"{a}\t{b}\t{score}\n")
        print(f"corpus {os.path.basename(args.corpus)}: {tokens:,} tokens; {len(heldout)} held-out words, "
              f"reduced copy {reduced_tokens:,} tokens; {sum(1 for _ in open(pairs_file))} eval pairs contain "
              f"a held-out word", file=sys.stderr)
        results = []
        for algo in args.algos.split(","):
            for tool in tools:
                runs = args.runs if tool == "embkit" else args.reference_runs
                walls, rsss = [], []
                model = None
                for run in range(runs):
                    model, wall, rss = train(tool, algo, plain, os.path.join(work, f"{tool}-{algo}-{run}"), args)
                    walls.append(wall)
                    rsss.append(rss)
                    print(f"  {tool} {algo} run {run + 1}: {wall:.1f} s, {tokens * args.epochs / wall:,.0f} words/s, "
                          f"{rss:.0f} MB", file=sys.stderr)
                quality = evaluate(model, args)
                reduced_model, _, _ = train(tool, algo, reduced, os.path.join(work, f"{tool}-{algo}-reduced"), args)
                held = heldout_scores(model, reduced_model, heldout, pairs_file, args)
                wall = statistics.median(walls)
                results.append({"tool": tool, "algo": algo, "runs": runs, "wall_s": wall,
                                "words_per_s": tokens * args.epochs / wall, "rss_mb": statistics.median(rsss),
                                **quality, **held})
                print(f"  {tool} {algo}: {json.dumps(results[-1])}", file=sys.stderr)
                for path in os.listdir(work):
                    if path.startswith(f"{tool}-{algo}"):
                        os.remove(os.path.join(work, path))
        print(f"\nSubword training, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
              f"{tokens:,} tokens x {args.epochs} epochs, {args.threads} threads; embkit median of {args.runs} runs, "
              f"references {args.reference_runs}\n")
        print("| algo | tool | words/s | embkit × | peak RSS MB | analogy | WS353 | SimLex | held-out NN@10 overlap "
              "| held-out pairs ρ (n) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            mine = next((x for x in results if x["tool"] == "embkit" and x["algo"] == r["algo"]), None)
            ratio = f"{mine['words_per_s'] / r['words_per_s']:.2f}" if mine and r["tool"] != "embkit" else ""
            print(f"| {r['algo']} | {r['tool']} | {r['words_per_s']:,.0f} | {ratio} | {r['rss_mb']:.0f} | "
                  f"{r['analogy']:.4f} | {r['ws353']:.4f} | {r['simlex']:.4f} | {r['overlap10']:.3f} | "
                  f"{r['pairs_spearman']:.4f} ({r['pairs_scored']}) |")
        if args.out:
            with open(args.out, "w") as f:
                json.dump(results, f, indent=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
