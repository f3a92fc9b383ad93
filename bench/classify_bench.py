#!/usr/bin/python3
"""Text classification benchmark: `embkit classify` against Debian's fastText 0.9.2 (`fasttext
supervised`, `test`, `quantize`) on the same labelled sets with the same settings.

Sets (scripts/make_labelled_sets.py, made into --data when missing): debian-section (58 classes,
softmax and hs), fortunes (43 classes, softmax) and debian-debtags (multi-label, ova). Settings for
both tools: dim 100, 25 epochs, lr 0.5, word bigrams (bucket 2,000,000), min_count 1, 2 threads.
Each tool tests its own model on the held-out part with its own `test` (P@1, R@1).

Per run and tool: wall seconds of the training process (reading, initialising, training and writing
the model) and its peak RSS from /usr/bin/time -v, the training loop's own throughput (tokens/s:
embkit's summary line; fastText's last words/sec/thread report x threads), the model size, then (in
the first --quantize-runs runs) `quantize` with the same flags for both
(cutoff 100,000, retrain on the training data for 5 epochs at lr 0.5, qnorm; fastText refuses qout
below 256 labels, so neither uses it): seconds, .ftz size, P@1. embkit and fastText alternate run by
run so that a change of machine load hits both; the table shows medians and fastText / embkit
ratios (speed-up, size; embkit's P@1 minus fastText's).

usage: /usr/bin/python3 bench/classify_bench.py [--build DIR] [--data DIR] [--runs 3]
           [--sets debian-section:softmax,debian-section:hs,fortunes:softmax,debian-debtags:ova]
           [--epochs 25] [--threads 2] [--no-quantize] [--quantize-runs 1]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FASTTEXT = "/usr/bin/fasttext"


def timed(command):
    """Runs a command under /usr/bin/time -v: (wall seconds, peak RSS MB, its stderr)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"classify_bench: {' '.join(command)} failed:\n{p.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return seconds, rss, p.stderr


def precision_recall(test_output):
    p = float(re.search(r"^P@1\t(\S+)", test_output, re.M).group(1))
    r = float(re.search(r"^R@1\t(\S+)", test_output, re.M).group(1))
    return p, r


def run_embkit(embkit, train, test, loss, args, work, quantize):
    model = os.path.join(work, "embkit.bin")
    seconds, rss, log = timed([embkit, "classify", "train", "--input", train, "--output", model,
                             "--loss", loss, "--dim", "100", "--epochs", str(args.epochs), "--lr", "0.5",
                             "--word-ngrams", "2", "--bucket", "2000000", "--min-count", "1",
                             "--threads", str(args.threads)])
    p1, r1 = precision_recall(subprocess.run([embkit, "classify", "test", model, test], check=True,
                                             capture_output=True, text=True).stdout)
    rate = re.search(r"training \((\S+) tokens/s\)", log).group(1)
    scale = {"k": 1e3, "M": 1e6, "G": 1e9}.get(rate[-1], 1)
    tokens_per_s = float(rate.rstrip("kMG")) * scale
    result = {"train_s": seconds, "tokens_per_s": tokens_per_s, "rss_mb": rss, "p1": p1, "r1": r1,
              "size_mb": os.path.getsize(model) / 1e6}
    if quantize:
        ftz = os.path.join(work, "embkit.ftz")
        q_seconds, _, _ = timed([embkit, "classify", "quantize", "--input", model, "--output", ftz,
                                 "--cutoff", "100000", "--retrain", "--input-data", train, "--qnorm",
                                 "--epochs", "5", "--lr", "0.5", "--threads", str(args.threads)])
        q1, _ = precision_recall(subprocess.run([embkit, "classify", "test", ftz, test], check=True,
                                                capture_output=True, text=True).stdout)
        result.update(quant_s=q_seconds, ftz_kb=os.path.getsize(ftz) / 1e3, q_p1=q1)
    os.remove(model)
    return result


def run_fasttext(train, test, loss, args, work, quantize):
    prefix = os.path.join(work, "fasttext")
    seconds, rss, log = timed([FASTTEXT, "supervised", "-input", train, "-output", prefix, "-loss", loss,
                               "-dim", "100", "-epoch", str(args.epochs), "-lr", "0.5", "-wordNgrams", "2",
                               "-bucket", "2000000", "-minCount", "1", "-thread", str(args.threads),
                               "-verbose", "2"])
    # fastText's last progress report: words/sec/thread over its training loop alone.
    per_thread = float(re.findall(r"words/sec/thread:\s*(\d+)", log)[-1])
    model = prefix + ".bin"
    p1, r1 = precision_recall(subprocess.run([FASTTEXT, "test", model, test], check=True,
                                             capture_output=True, text=True).stdout)
    result = {"train_s": seconds, "tokens_per_s": per_thread * args.threads, "rss_mb": rss, "p1": p1,
              "r1": r1, "size_mb": os.path.getsize(model) / 1e6}
    if quantize:
        q_seconds, _, _ = timed([FASTTEXT, "quantize", "-output", prefix, "-input", train, "-cutoff", "100000",
                                 "-retrain", "-qnorm", "-epoch", "5", "-lr", "0.5", "-thread",
                                 str(args.threads), "-verbose", "0"])
        q1, _ = precision_recall(subprocess.run([FASTTEXT, "test", prefix + ".ftz", test], check=True,
                                                capture_output=True, text=True).stdout)
        result.update(quant_s=q_seconds, ftz_kb=os.path.getsize(prefix + ".ftz") / 1e3, q_p1=q1)
        os.remove(prefix + ".ftz")
    os.remove(model)
    if os.path.exists(prefix + ".vec"):
        os.remove(prefix + ".vec")
    return result


def median(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--data", default=os.path.join(HERE, ".cache", "labelled"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sets", default="debian-section:softmax,debian-section:hs,fortunes:softmax,"
                                          "debian-debtags:ova")
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-quantize", action="store_true")
    parser.add_argument("--quantize-runs", type=int, default=1, help="runs that also quantize (the first ones)")
    args = parser.parse_args()
    embkit = os.path.join(args.build, "embkit")
    if not os.access(embkit, os.X_OK):
        sys.exit(f"classify_bench: no embkit binary in {args.build} (--build)")
    if not os.access(FASTTEXT, os.X_OK):
        sys.exit("classify_bench: Debian's fastText is missing (apt-get install fasttext)")
    configs = [item.split(":") for item in args.sets.split(",")]
    wanted = sorted({name for name, _ in configs})
    if not all(os.path.exists(os.path.join(args.data, f"{name}.train")) for name in wanted):
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "make_labelled_sets.py"), args.data,
                        "--sets", ",".join(wanted)], check=True)
    work = tempfile.mkdtemp(prefix="classify-bench-")
    rows = []
    try:
        for name, loss in configs:
            train = os.path.join(args.data, f"{name}.train")
            test = os.path.join(args.data, f"{name}.test")
            results = {"embkit": [], "fastText": []}
            for run in range(args.runs):
                for tool in (("embkit", "fastText") if run % 2 == 0 else ("fastText", "embkit")):
                    quantize = not args.no_quantize and run < args.quantize_runs
                    r = (run_embkit(embkit, train, test, loss, args, work, quantize) if tool == "embkit"
                         else run_fasttext(train, test, loss, args, work, quantize))
                    results[tool].append(r)
                    print(f"{name} {loss} run {run + 1} {tool}: " +
                          ", ".join(f"{k} {v:.4g}" for k, v in r.items()), flush=True)
            rows.append((name, loss, results))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    keys = ["train_s", "tokens_per_s", "p1", "r1", "size_mb", "rss_mb", "quant_s", "ftz_kb", "q_p1"]
    print(f"\nmedians of {args.runs} runs; dim 100, {args.epochs} epochs, lr 0.5, wordNgrams 2, "
          f"bucket 2M, {args.threads} threads; quantize: cutoff 100k, retrain 5 epochs, qnorm\n")
    print("| set | loss | tool | train s (process) | training tokens/s | P@1 | R@1 | model MB | peak RSS MB | "
          "quantize s | .ftz KB | P@1 .ftz |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, loss, results in rows:
        for tool in ("embkit", "fastText"):
            m = {k: median(results[tool], k) for k in keys}
            print(f"| {name} | {loss} | {tool} | {m['train_s']:.2f} | {m['tokens_per_s'] / 1e6:.2f}M | "
                  f"{m['p1']:.3f} | {m['r1']:.3f} | "
                  f"{m['size_mb']:.0f} | {m['rss_mb']:.0f} | {m['quant_s']:.2f} | {m['ftz_kb']:.0f} | "
                  f"{m['q_p1']:.3f} |")
        e = {k: median(results["embkit"], k) for k in keys}
        f = {k: median(results["fastText"], k) for k in keys}
        print(f"| {name} | {loss} | embkit vs fastText | {f['train_s'] / e['train_s']:.2f}x faster | "
              f"{e['tokens_per_s'] / f['tokens_per_s']:.2f}x | "
              f"{e['p1'] - f['p1']:+.3f} | {e['r1'] - f['r1']:+.3f} | {f['size_mb'] / e['size_mb']:.2f}x | "
              f"{f['rss_mb'] / e['rss_mb']:.2f}x | {f['quant_s'] / e['quant_s']:.2f}x | "
              f".ftz {e['size_mb'] * 1e3 / e['ftz_kb']:.0f}x smaller than .bin | {e['q_p1'] - e['p1']:+.3f} vs .bin |")


if __name__ == "__main__":
    main()
