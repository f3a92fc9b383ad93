#!/usr/bin/python3
"""Prints the training benchmark's table from the JSON lines bench/run_train.sh writes.

  train_table.py RESULTS.jsonl [MORE.jsonl ...]

Rows with the same corpus, row name and algorithm are pooled over all files: with several runs each
number is the median. Each corpus gets its own table.
After the table, for every algorithm and every embkit row: its words/s and peak-RSS ratios against each
anchor row, its quality deltas against the best anchor on each metric, and PASS/FAIL against the
targets — words/s >= 2x every anchor, analogy / WS353 / SimLex >= best anchor - 0.01, peak RSS <=
largest anchor RSS + 20%.
"""
import json
import statistics
import sys

SPEED_FACTOR = 2.0
QUALITY_SLACK = 0.01
RSS_SLACK = 1.20
QUALITY = ("analogy", "ws353", "simlex")
ALGO_NAMES = {"sgns": "skip-gram", "cbow": "CBOW"}


def load(paths):
    """Records grouped by corpus (file name and token count), in the order first seen."""
    by_corpus = {}
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    sys.exit(f"{path}:{number}: not JSON: {error}")
                by_corpus.setdefault((record["corpus"], record["tokens"]), []).append(record)
    return by_corpus


def median(records, key):
    values = [r[key] for r in records if r.get(key) is not None]
    return statistics.median(values) if values else None


def summarise(records):
    out = {"tool": records[0]["tool"], "runs": len(records)}
    for key in ("words_per_s", "wall_s", "rss_mb", "analogy", "semantic", "syntactic", "ws353", "simlex"):
        out[key] = median(records, key)
    return out


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


def print_table(rows):
    print("| run | runs | words/s | wall s | peak RSS MB | analogy | semantic | syntactic | WS353 | SimLex |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (algo, name), s in rows:
        print(f"| {name} {ALGO_NAMES.get(algo, algo)} | {s['runs']} | {fmt(s['words_per_s'], ',.0f')} "
              f"| {fmt(s['wall_s'], '.1f')} | {fmt(s['rss_mb'], ',.0f')} | {fmt(s['analogy'], '.3f')} "
              f"| {fmt(s['semantic'], '.3f')} | {fmt(s['syntactic'], '.3f')} | {fmt(s['ws353'], '.3f')} "
              f"| {fmt(s['simlex'], '.3f')} |")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def print_targets(algo, name, ours, anchors):
    label = f"{name} {ALGO_NAMES.get(algo, algo)}"
    lines = []
    speed_ok = True
    for anchor_name, anchor in anchors:
        ratio = ours["words_per_s"] / anchor["words_per_s"]
        speed_ok &= ratio >= SPEED_FACTOR
        lines.append(f"  vs {anchor_name}: words/s {ratio:.2f}x, RSS {ours['rss_mb'] / anchor['rss_mb']:.2f}x")
    max_rss = max(a["rss_mb"] for _, a in anchors)
    rss_ok = ours["rss_mb"] <= max_rss * RSS_SLACK
    quality_ok = True
    deltas = []
    for key in QUALITY:
        scored = [(a[key], n) for n, a in anchors if a[key] is not None]
        if ours[key] is None or not scored:
            quality_ok = False
            deltas.append(f"{key} n/a")
            continue
        best, best_name = max(scored)
        delta = ours[key] - best
        quality_ok &= delta >= -QUALITY_SLACK
        deltas.append(f"{key} {delta:+.3f} (best {best:.3f}, {best_name})")
    print(f"{label}:")
    for line in lines:
        print(line)
    print(f"  quality vs best anchor: {'; '.join(deltas)}")
    print(f"  speed >= {SPEED_FACTOR:g}x every anchor: {verdict(speed_ok)}; "
          f"quality >= best - {QUALITY_SLACK}: {verdict(quality_ok)}; "
          f"peak RSS {ours['rss_mb']:.0f} MB <= {max_rss * RSS_SLACK:.0f} MB (largest anchor + 20%): "
          f"{verdict(rss_ok)}")


def print_corpus(records):
    groups = {}
    for record in records:
        groups.setdefault((record["algo"], record["row"]), []).append(record)
    algo_order = {"sgns": 0, "cbow": 1}
    tool_order = {"embkit": 0, "fasttext": 1, "gensim": 2}
    keys = sorted(groups, key=lambda k: (algo_order.get(k[0], 9), k[0],
                                         tool_order.get(groups[k][0]["tool"], 9), k[1]))
    rows = [(key, summarise(groups[key])) for key in keys]
    print_table(rows)
    for algo in dict.fromkeys(k[0] for k in keys):
        ours = [(name, s) for (a, name), s in rows if a == algo and s["tool"] == "embkit"]
        anchors = [(name, s) for (a, name), s in rows if a == algo and s["tool"] != "embkit"]
        if not ours or not anchors:
            continue
        print()
        for name, s in ours:
            print_targets(algo, name, s, anchors)
    first = records[0]
    print()
    print(f"corpus {first['corpus']}: {first['tokens']:,} tokens; words/s = tokens x {first['epochs']} epochs "
          f"/ wall s of the whole process; {first['threads']} threads; medians when runs > 1.")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    by_corpus = load(sys.argv[1:])
    for number, corpus in enumerate(by_corpus):
        if number:
            print()
        print_corpus(by_corpus[corpus])


if __name__ == "__main__":
    main()
