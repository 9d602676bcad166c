"""The hch-bench workload for Python peers: the sum of the integers in [lo, hi), answered by HCH.

A range of at most one element is a leaf answered by the assistant (which may wait L ms, capped at C
concurrent calls); otherwise H splits it into k contiguous parts, asks them in parallel and adds the answers.
Each peer module defines `make_solver(branching, latency, cap, tracing)` returning an async `solve(lo, hi)`.
"""

import argparse
import asyncio
import gc
import importlib
import json
import statistics
import sys
import time


def split(lo, hi, branching):
    """The contiguous parts of [lo, hi) split k ways, empty parts dropped (as in hch-bench)."""
    count = hi - lo
    parts = []
    lower = lo
    for index in range(1, branching + 1):
        upper = lo + count * index // branching
        if upper > lower:
            parts.append((lower, upper))
        lower = upper
    return parts


def tree_nodes(count, branching):
    if count <= 1:
        return 1
    return 1 + sum(tree_nodes(hi - lo, branching) for lo, hi in split(0, count, branching))


async def measure(solve, leaves, runs):
    expected = leaves * (leaves - 1) // 2
    samples = []
    for run in range(runs + 1):  # the first run is a discarded warm-up
        gc.collect()
        start = time.perf_counter()
        answer = await solve(0, leaves)
        elapsed = time.perf_counter() - start
        if answer != expected:
            raise SystemExit(f"wrong answer {answer}, expected {expected}")
        if run > 0:
            samples.append(elapsed)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peer", help="asyncio_hch, ice_hch or langgraph_hch")
    parser.add_argument("--leaves", type=int, required=True)
    parser.add_argument("--branching", type=int, default=2)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--cap", type=int, default=None)
    parser.add_argument("--tracing", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)
    peer = importlib.import_module(args.peer)
    solve, setup = peer.make_solver(args.branching, args.latency_ms / 1000, args.cap, args.tracing)

    async def run_all():
        if setup:
            await setup()
        return await measure(solve, args.leaves, args.runs)

    samples = asyncio.run(run_all())
    nodes = tree_nodes(args.leaves, args.branching)
    median = statistics.median(samples)
    print(json.dumps({
        "peer": args.peer + ("+tracing" if args.tracing else ""),
        "leaves": args.leaves, "branching": args.branching, "latencyMs": args.latency_ms, "cap": args.cap,
        "nodes": nodes, "medianSeconds": median, "minSeconds": min(samples), "maxSeconds": max(samples),
        "microsecondsPerNode": median / nodes * 1e6,
    }))


if __name__ == "__main__":
    main()
