#!/usr/bin/python3
"""Benchmark (b), FAISS side, and the comparison table.

  search_faiss.py measure DIR OUT_JSON --label NAME [--modes batched,single] [--reps 3]
      [--single-queries 200] [--threads 1,2]
    Searches the .npy files that search_bench wrote to DIR with FAISS IndexFlatIP in the same cells
    (batched and one query at a time; 1 and 2 threads), one JSON line per cell to OUT_JSON and the
    ids to DIR/faiss_NAME_<mode>_<threads>.npy. A thread count applies to FAISS's OpenMP loops and
    to OpenBLAS's own threads (FAISS's batched search calls sgemm), so 1 thread means one core.

  search_faiss.py report DIR EMBKIT_JSON FAISS_JSON...
    Pools the runs of each cell (the files may hold several measurements of a cell, taken in turns
    with embkit's so that a change in machine load affects both sides alike). For every cell takes the fastest FAISS configuration measured (for instance with and without
    OMP_WAIT_POLICY=PASSIVE, which decides whether OpenMP's spinning threads starve OpenBLAS's),
    checks that embkit's ids equal FAISS's up to ties, and prints median QPS and embkit / FAISS.
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import numpy as np

K = 10
TIE_TOLERANCE = 1e-5


def load_openblas():
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib
    except OSError:
        return None


def measure(args):
    try:
        import faiss
    except ImportError:
        print("FAISS (python3-faiss) is not installed", file=sys.stderr)
        sys.exit(77)
    base = np.load(os.path.join(args.dir, "base.npy"))
    queries = np.load(os.path.join(args.dir, "queries.npy"))
    blas = load_openblas()
    core = blas.openblas_get_corename().decode() if blas is not None else "unknown"
    config = {
        "faiss": faiss.__version__,
        "openblas_kernel": core,
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "default"),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "unset"),
    }
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    with open(args.out, "w") as out:
        for mode in args.modes.split(","):
            for threads in [int(t) for t in args.threads.split(",")]:
                faiss.omp_set_num_threads(threads)
                if blas is not None:
                    blas.openblas_set_num_threads(threads)
                count = len(queries) if mode == "batched" else args.single_queries
                qps = []
                for _ in range(args.reps):
                    start = time.perf_counter()
                    if mode == "batched":
                        _, ids = index.search(queries, K)
                    else:
                        ids = np.vstack([index.search(queries[q:q + 1], K)[1] for q in range(count)])
                    qps.append(count / (time.perf_counter() - start))
                ids_path = os.path.join(args.dir, f"faiss_{args.label}_{mode}_{threads}.npy")
                np.save(ids_path, ids.astype(np.int32))
                cell = {"side": "faiss", "label": args.label, "mode": mode, "threads": threads,
                        "queries": count, "median_qps": statistics.median(qps), "qps": qps,
                        "ids": ids_path, "config": config}
                out.write(json.dumps(cell) + "\n")
                out.flush()


def read_cells(path):
    """Cells of a JSON-lines file; repeated measurements of a cell are pooled and their median kept."""
    cells = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            cell = json.loads(line)
            key = (cell.get("label", ""), cell["mode"], cell["threads"])
            if key in cells:
                cells[key]["qps"] += cell["qps"]
            else:
                cells[key] = cell
    for cell in cells.values():
        cell["median_qps"] = statistics.median(cell["qps"])
    return list(cells.values())


def mismatches_beyond_ties(base, queries, ours, theirs):
    """Queries whose id lists differ other than by reordering or swapping tied scores."""
    bad = 0
    for q in range(len(theirs)):
        if np.array_equal(ours[q], theirs[q]):
            continue
        s_ours = base[ours[q]].astype(np.float64) @ queries[q].astype(np.float64)
        s_theirs = base[theirs[q]].astype(np.float64) @ queries[q].astype(np.float64)
        if not np.allclose(s_ours, s_theirs, rtol=0, atol=TIE_TOLERANCE):
            bad += 1
    return bad


def report(args):
    base = np.load(os.path.join(args.dir, "base.npy"))
    queries = np.load(os.path.join(args.dir, "queries.npy"))
    embkit = {(c["mode"], c["threads"]): c for c in read_cells(args.embkit_json)}
    faiss_best = {}
    for path in args.faiss_json:
        for cell in read_cells(path):
            key = (cell["mode"], cell["threads"])
            if key not in faiss_best or cell["median_qps"] > faiss_best[key]["median_qps"]:
                faiss_best[key] = cell
    any_cell = next(iter(faiss_best.values()))
    single = next((c["queries"] for c in embkit.values() if c["mode"] == "single"), 0)
    print(f"FAISS {any_cell['config']['faiss']} IndexFlatIP, OpenBLAS kernel "
          f"{any_cell['config']['openblas_kernel']}; embkit ISA {next(iter(embkit.values()))['isa']}")
    print(f"exact top-{K} inner product, {base.shape[0]} x {base.shape[1]}, {len(queries)} queries "
          f"batched / {single} one at a time; median QPS of {len(any_cell['qps'])} runs\n")
    print(f"{'cell':<26}{'embkit':>9}{'FAISS':>9}{'ratio':>8}  {'FAISS OpenMP wait':<19}ids equal up to ties")
    worst = float("inf")
    for mode in ("batched", "single"):
        for threads in sorted(t for (m, t) in faiss_best if m == mode):
            theirs, ours = faiss_best[(mode, threads)], embkit[(mode, threads)]
            their_ids = np.load(theirs["ids"])
            our_ids = np.load(os.path.join(args.dir, f"embkit_{mode}_{threads}.npy"))
            bad = mismatches_beyond_ties(base, queries, our_ids[:len(their_ids)], their_ids)
            ratio = ours["median_qps"] / theirs["median_qps"]
            worst = min(worst, ratio)
            label = f"{'batched' if mode == 'batched' else 'one at a time'}, {threads} thread" + \
                ("s" if threads > 1 else "")
            agree = "yes" if bad == 0 else f"NO ({bad} queries differ)"
            print(f"{label:<26}{ours['median_qps']:>9.1f}{theirs['median_qps']:>9.1f}{ratio:>7.2f}x"
                  f"  {theirs['config']['OMP_WAIT_POLICY']:<19}{agree}")
    print(f"\nlowest ratio embkit / FAISS: {worst:.2f}x")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("dir")
    m.add_argument("out")
    m.add_argument("--label", required=True)
    m.add_argument("--modes", default="batched,single")
    m.add_argument("--reps", type=int, default=3)
    m.add_argument("--single-queries", type=int, default=200)
    m.add_argument("--threads", default="1,2")
    r = sub.add_parser("report")
    r.add_argument("dir")
    r.add_argument("embkit_json")
    r.add_argument("faiss_json", nargs="+")
    args = parser.parse_args()
    measure(args) if args.command == "measure" else report(args)


if __name__ == "__main__":
    main()
