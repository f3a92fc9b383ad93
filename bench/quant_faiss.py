#!/usr/bin/python3
"""Quantization benchmark, FAISS side, and the comparison table.

  quant_faiss.py measure DIR [--reps 3] [--threads 1,2]
    Searches DIR/base.npy with DIR/queries.npy (written by quant_bench) in FAISS IndexFlatIP and
    IndexScalarQuantizer(QT_8bit, inner product), top-10 (SQ8 on the first --sq8-queries queries
    only: Debian's FAISS scans SQ8 codes with scalar code, about 7 queries/s here, so the full
    1,000 would take minutes per run); prints one JSON line per cell: median
    queries/second, recall@10 against DIR/truth.npy (embkit's float32 exact result), bytes of the
    index's codes.

  quant_faiss.py report JSON_FILE
    Reads the JSON lines of both sides (several runs of a cell are pooled: median of all runs) and
    prints the table with ratios against embkit's float32 search at the same thread count.
"""
import argparse
import json
import statistics
import sys
import time

K = 10


def recall(truth, found):
    hits = 0
    for t, f in zip(truth, found):
        hits += len(set(t.tolist()) & set(f.tolist()))
    return hits / (len(truth) * K)


def measure(args):
    try:
        import faiss
        import numpy as np
    except ImportError:
        print("python3-faiss is not installed", file=sys.stderr)
        sys.exit(77)
    base = np.load(f"{args.dir}/base.npy")
    queries = np.load(f"{args.dir}/queries.npy")
    truth = np.load(f"{args.dir}/truth.npy")
    d = base.shape[1]
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    sq8 = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sq8.train(base)
    sq8.add(base)
    cells = [("faiss IndexFlatIP", flat, base.nbytes, len(queries)),
             ("faiss SQ8 (QT_8bit)", sq8, sq8.sa_code_size() * sq8.ntotal, args.sq8_queries)]
    for threads in [int(t) for t in args.threads.split(",")]:
        faiss.omp_set_num_threads(threads)
        for name, index, nbytes, count in cells:
            qps = []
            for _ in range(args.reps):
                start = time.perf_counter()
                _, ids = index.search(queries[:count], K)
                qps.append(count / (time.perf_counter() - start))
            print(json.dumps({"side": "faiss", "method": name, "threads": threads,
                              "median_qps": round(statistics.median(qps), 1),
                              "qps": [round(q, 1) for q in qps],
                              "recall": round(recall(truth[:count], ids), 4),
                              "queries": int(count), "bytes": int(nbytes)}),
                  flush=True)


def report(args):
    cells = {}
    order = []
    for line in open(args.json_file):
        row = json.loads(line)
        if "note" in row:
            print(row["note"])
            continue
        key = (row["method"], row["threads"])
        if key not in cells:
            order.append(key)
            cells[key] = {"qps": [], "recall": row["recall"], "bytes": row["bytes"]}
        cells[key]["qps"] += row["qps"]
    print()
    print(f"| method | threads | queries/s (median) | x fp32 exact | recall@10 | vectors MB |")
    print(f"|---|---|---|---|---|---|")
    for method, threads in sorted(order, key=lambda k: (k[1], order.index(k))):
        cell = cells[(method, threads)]
        qps = statistics.median(cell["qps"])
        base = cells.get(("fp32 exact", threads))
        ratio = qps / statistics.median(base["qps"]) if base else float("nan")
        print(f"| {method} | {threads} | {qps:,.0f} | {ratio:.2f} | {cell['recall']:.4f} | "
              f"{cell['bytes'] / 1e6:.1f} |")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("dir")
    m.add_argument("--reps", type=int, default=3)
    m.add_argument("--threads", default="1,2")
    m.add_argument("--sq8-queries", type=int, default=100)
    r = sub.add_parser("report")
    r.add_argument("json_file")
    args = parser.parse_args()
    measure(args) if args.command == "measure" else report(args)


if __name__ == "__main__":
    main()
