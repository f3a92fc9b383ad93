#!/usr/bin/python3
"""Count-based embeddings benchmark: `embkit train --algo ppmi-svd` against the same pipeline in
numpy + scipy.sparse + scikit-learn (bench/ppmi_svd_pipeline.py), and `embkit cooccur` (in memory and
forced to spill to disk) against the Python pipeline's counting. Same corpus, vocabulary (min_count
5), window (symmetric, uniform weights), dim 100, context smoothing 0.75, U * S^0.5; both models are
evaluated with `embkit eval` (questions-words restricted to 30,000 words, WS353, SimLex-999). A second
embkit row uses embkit's own defaults (window 8, 1/d weights, U * S^0.25).

GloVe (`--only glove`): embkit at Stanford GloVe's benchmark settings (window 5, 1/d weights,
x_max 100, 15 epochs, dim 100) and at embkit's defaults, next to skip-gram (`--only sgns`: dim 100,
window 5, negative 5, sample 1e-4, 5 epochs). Stanford GloVe has no Debian package, so its row is the
measurement recorded for this corpus and machine type (572.6 s; analogy 0.129, WS353 0.383,
SimLex 0.147), not a run of this script.

usage: bench/run_count.py [--corpus FILE] [--build DIR] [--runs N] [--window 5] [--dim 100]
                          [--threads 2] [--spill-memory 0.05] [--only embkit|python|glove|sgns]
                          [--out FILE.jsonl]

Prints per-run lines, then a markdown table of medians with embkit's ratios against the Python
pipeline. Wall seconds and peak RSS are those of the whole process (reading the corpus included).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (wall s, peak RSS MB, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("r") as t:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd, capture_output=True,
                           text=True, env=env)
        if p.returncode != 0:
            sys.stderr.write(p.stderr[-3000:])
            raise SystemExit(f"run_count.py: failed: {' '.join(cmd)}")
        wall, rss = t.read().split()[-2:]
    return float(wall), int(rss) / 1024, p.stdout, p.stderr


def evaluate(embkit, model, eval_dir):
    p = subprocess.run([embkit, "eval", model, "--analogies", f"{eval_dir}/questions-words.txt",
                        "--similarity", f"{eval_dir}/wordsim353.tsv", "--similarity",
                        f"{eval_dir}/simlex999.txt", "--restrict", "30000", "--json"],
                       capture_output=True, text=True, check=True)
    e = json.loads(p.stdout)
    sims = {s["file"].rsplit("/", 1)[-1]: s["spearman"] for s in e.get("similarity", [])}
    a = e.get("analogy", {})
    return {"analogy": a.get("accuracy"), "semantic": a.get("semantic"), "syntactic": a.get("syntactic"),
            "ws353": next(v for k, v in sims.items() if k.startswith("wordsim")),
            "simlex": next(v for k, v in sims.items() if k.startswith("simlex"))}


def seconds(summary, label):
    m = re.search(r"([0-9.]+) s " + label, summary)
    return float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "data", "corpus", "bench.txt.xz"))
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--spill-memory", type=float, default=0.05)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--out", default=os.path.join(HERE, "out", time.strftime("count-%Y%m%d.jsonl")))
    a = ap.parse_args()
    only = set(x for o in a.only for x in o.split(",")) or {"embkit", "python", "glove", "sgns"}
    embkit = os.path.join(a.build, "embkit")
    eval_dir = os.path.join(REPO, "data", "eval")
    if not os.path.exists(a.corpus):
        print(f"run_count.py: corpus {a.corpus} not found; skipping", file=sys.stderr)
        return 0
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    env = dict(os.environ)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(k, None)
    env["OPENBLAS_NUM_THREADS"] = str(a.threads)
    env["OMP_NUM_THREADS"] = str(a.threads)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="embkit_count_bench.") as work:
        plain = os.path.join(work, "corpus.txt")
        with open(plain, "wb") as f:
            if a.corpus.endswith(".xz"):
                subprocess.run(["xz", "-dc", "-T2", a.corpus], stdout=f, check=True)
            else:
                subprocess.run(["cat", a.corpus], stdout=f, check=True)
        print(f"corpus {os.path.basename(a.corpus)}; window {a.window}, dim {a.dim}, {a.threads} threads; "
              f"results -> {a.out}", file=sys.stderr)
        common = ["--dim", str(a.dim), "--window", str(a.window), "--min-count", "5"]
        for run in range(1, a.runs + 1):
            results = []
            if "embkit" in only:
                model = os.path.join(work, "embkit.bin")
                for label, args in (("embkit ppmi-svd", common + ["--weighting", "uniform", "--eig-power", "0.5"]),
                                    ("embkit ppmi-svd, defaults", ["--dim", str(a.dim), "--min-count", "5"])):
                    wall, rss, _, err = timed([embkit, "train", "--algo", "ppmi-svd", "--input", plain, "--output",
                                               model, "--threads", str(a.threads)] + args)
                    summary = err.strip().splitlines()[-1]
                    results.append({"row": label, "wall_s": wall, "rss_mb": rss,
                                    "count_s": seconds(summary, r"counting"), "ppmi_s": seconds(summary, r"PPMI"),
                                    "svd_s": seconds(summary, r"SVD"), **evaluate(embkit, model, eval_dir)})
                for label, memory in (("embkit cooccur", 64.0), ("embkit cooccur, spilling", a.spill_memory)):
                    wall, rss, _, err = timed([embkit, "cooccur", "--input", plain, "--output",
                                               os.path.join(work, "counts.npz"), "--weighting", "uniform",
                                               "--window", str(a.window), "--memory", str(memory),
                                               "--temp-dir", work, "--threads", str(a.threads)])
                    summary = err.strip().splitlines()[-1]
                    shards = re.search(r"(\d+) spilled shards", summary)
                    results.append({"row": label, "wall_s": wall, "rss_mb": rss,
                                    "count_s": float(re.search(r"([0-9.]+) s counting", summary).group(1)),
                                    "shards": int(shards.group(1)) if shards else 0})
            if "glove" in only:
                model = os.path.join(work, "glove.bin")
                for label, args in (("embkit glove, Stanford settings",
                                     ["--window", "5", "--x-max", "100", "--epochs", "15"]),
                                    ("embkit glove, defaults", [])):
                    wall, rss, _, err = timed([embkit, "train", "--algo", "glove", "--input", plain, "--output",
                                               model, "--threads", str(a.threads), "--dim", str(a.dim),
                                               "--min-count", "5"] + args)
                    summary = err.strip().splitlines()[-1]
                    results.append({"row": label, "wall_s": wall, "rss_mb": rss,
                                    "count_s": seconds(summary, r"counting"),
                                    "train_s": seconds(summary, r"training"),
                                    "settings": " ".join(args) or "defaults",
                                    **evaluate(embkit, model, eval_dir)})
            if "sgns" in only:
                model = os.path.join(work, "sgns.bin")
                wall, rss, _, err = timed([embkit, "train", "--algo", "sgns", "--input", plain, "--output", model,
                                           "--threads", str(a.threads), "--dim", str(a.dim), "--window", "5",
                                           "--negative", "5", "--sample", "1e-4", "--epochs", "5",
                                           "--min-count", "5"])
                results.append({"row": "embkit sgns", "wall_s": wall, "rss_mb": rss,
                                **evaluate(embkit, model, eval_dir)})
            if "python" in only:
                model = os.path.join(work, "python.vec")
                wall, rss, out, _ = timed(["/usr/bin/python3", os.path.join(HERE, "ppmi_svd_pipeline.py"), plain,
                                           model, "--dim", str(a.dim), "--window", str(a.window)], env=env)
                stages = json.loads(out.strip().splitlines()[-1])
                results.append({"row": "python ppmi-svd", "wall_s": wall, "rss_mb": rss,
                                "count_s": stages["count_s"], "ppmi_s": stages["ppmi_s"],
                                "svd_s": stages["svd_s"], **evaluate(embkit, model, eval_dir)})
            with open(a.out, "a") as f:
                for r in results:
                    r.update({"run": run, "corpus": os.path.basename(a.corpus), "window": a.window,
                              "dim": a.dim, "threads": a.threads, "load_avg": os.getloadavg()[:2]})
                    f.write(json.dumps(r) + "\n")
                    rows.setdefault(r["row"], []).append(r)
                    print(f"  run {run}: {r['row']}: " + ", ".join(
                        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items()
                        if k not in ("row", "run", "corpus", "load_avg")), file=sys.stderr)

    def med(name, key):
        vals = [r[key] for r in rows.get(name, []) if r.get(key) is not None]
        return statistics.median(vals) if vals else None

    def fmt(v, spec):
        return "" if v is None else format(v, spec)

    print(f"\n| run | runs | wall s | peak RSS MB | count s | PPMI s | SVD s | analogy | semantic | syntactic | WS353 | SimLex |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("embkit ppmi-svd", "embkit ppmi-svd, defaults", "python ppmi-svd"):
        if name not in rows:
            continue
        print(f"| {name} | {len(rows[name])} | {fmt(med(name, 'wall_s'), '.1f')} | {fmt(med(name, 'rss_mb'), '.0f')} | "
              f"{fmt(med(name, 'count_s'), '.2f')} | {fmt(med(name, 'ppmi_s'), '.2f')} | {fmt(med(name, 'svd_s'), '.2f')} | "
              f"{fmt(med(name, 'analogy'), '.3f')} | {fmt(med(name, 'semantic'), '.3f')} | {fmt(med(name, 'syntactic'), '.3f')} | "
              f"{fmt(med(name, 'ws353'), '.3f')} | {fmt(med(name, 'simlex'), '.3f')} |")
    print("\n| counting | runs | count s | wall s | peak RSS MB | shards |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("embkit cooccur", "embkit cooccur, spilling", "python ppmi-svd"):
        if name in rows:
            label = "python (numpy + scipy.sparse)" if name.startswith("python") else name
            wall = "" if name.startswith("python") else fmt(med(name, "wall_s"), ".1f")
            rss = "" if name.startswith("python") else fmt(med(name, "rss_mb"), ".0f")
            print(f"| {label} | {len(rows[name])} | {fmt(med(name, 'count_s'), '.2f')} | {wall} | {rss} | "
                  f"{fmt(med(name, 'shards'), '.0f')} |")
    stanford = {"wall_s": 572.6, "rss_mb": 1078, "analogy": 0.129, "semantic": 0.114, "syntactic": 0.136,
                "ws353": 0.383, "simlex": 0.147}
    side = [n for n in ("embkit sgns", "embkit ppmi-svd", "embkit ppmi-svd, defaults", "embkit glove, defaults",
                        "embkit glove, Stanford settings") if n in rows]
    if any(n.startswith("embkit glove") for n in side):
        print("\n| model | runs | wall s | peak RSS MB | analogy | semantic | syntactic | WS353 | SimLex |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name in side:
            print(f"| {name} | {len(rows[name])} | {fmt(med(name, 'wall_s'), '.1f')} | {fmt(med(name, 'rss_mb'), '.0f')} | "
                  + " | ".join(fmt(med(name, k), ".3f") for k in ("analogy", "semantic", "syntactic", "ws353", "simlex"))
                  + " |")
        print("| Stanford GloVe, recorded (window 5, x_max 100, 15 epochs) | 1 | 572.6 | 1078 | "
              + " | ".join(f"{stanford[k]:.3f}" for k in ("analogy", "semantic", "syntactic", "ws353", "simlex")) + " |")
        name = "embkit glove, Stanford settings"
        if name in rows:
            print(f"\nglove at Stanford's settings: {stanford['wall_s'] / med(name, 'wall_s'):.1f}x Stanford GloVe's "
                  f"end-to-end speed (target >= 2x); analogy {med(name, 'analogy') - stanford['analogy']:+.3f}, "
                  f"WS353 {med(name, 'ws353') - stanford['ws353']:+.3f}, SimLex {med(name, 'simlex') - stanford['simlex']:+.3f}")
        name = "embkit glove, defaults"
        if name in rows:
            print(f"glove defaults against Stanford GloVe: analogy {med(name, 'analogy') - stanford['analogy']:+.3f}, "
                  f"WS353 {med(name, 'ws353') - stanford['ws353']:+.3f}, SimLex {med(name, 'simlex') - stanford['simlex']:+.3f}")
    for name in ("embkit ppmi-svd", "embkit ppmi-svd, defaults"):
        if name in rows and "embkit sgns" in rows:
            print(f"{name}: WS353 {med(name, 'ws353') - med('embkit sgns', 'ws353'):+.3f} against "
                  f"embkit's skip-gram (target: within 3 points)")
    if "embkit ppmi-svd" in rows and "python ppmi-svd" in rows:
        e, p = "embkit ppmi-svd", "python ppmi-svd"
        print(f"\nppmi-svd end to end: {med(p, 'wall_s') / med(e, 'wall_s'):.1f}x the Python pipeline "
              f"(target >= 10x); WS353 {med(e, 'ws353') - med(p, 'ws353'):+.3f}, analogy "
              f"{med(e, 'analogy') - med(p, 'analogy'):+.3f} against it")
        for name in ("embkit cooccur", "embkit cooccur, spilling"):
            if name in rows:
                print(f"{name}: counting {med(p, 'count_s') / med(name, 'count_s'):.1f}x the Python pipeline's "
                      f"(target >= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
