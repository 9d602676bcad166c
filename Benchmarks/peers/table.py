"""Prints one table from the peers' JSON lines and hch-bench's cases: microseconds per node per case."""

import json
import sys

# ICE logs its trace addresses on stdout: keep only the result lines.
peers = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
swift = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]


def key(row):
    return (row["leaves"], row["branching"], row["latencyMs"], row["cap"])


columns = ["asyncio_hch", "ice_hch", "ice_hch+tracing", "langgraph_hch"]
titles = ["asyncio", "ICE", "ICE+trace", "LangGraph", "floor", "engine", "engine+trace",
          "ICE+trace/eng+tr", "LangGraph/eng", "asyncio/eng"]
print(f"{'N':>7} {'k':>2} {'L ms':>4} {'C':>4} " + " ".join(f"{t:>12}" for t in titles))
for case in sorted({key(row) for row in peers}, key=lambda c: (c[0], c[1], c[2], c[3] or 0)):
    per_peer = {row["peer"]: row["microsecondsPerNode"] for row in peers if key(row) == case}
    plain = next((r for r in swift if key(r) == case and not r["tracing"]), None)
    traced = next((r for r in swift if key(r) == case and r["tracing"]), None)
    engine = plain["nanosecondsPerNode"] / 1000 if plain else None
    floor = plain["floorNanosecondsPerNode"] / 1000 if plain else None
    engine_traced = traced["nanosecondsPerNode"] / 1000 if traced else None
    cells = [per_peer.get(name) for name in columns] + [floor, engine, engine_traced]

    def ratio(a, b):
        return a / b if a is not None and b else None

    cells += [ratio(per_peer.get("ice_hch+tracing"), engine_traced or engine),
              ratio(per_peer.get("langgraph_hch"), engine), ratio(per_peer.get("asyncio_hch"), engine)]
    text = [f"{c:12.2f}" if c is not None else f"{'-':>12}" for c in cells[:7]]
    text += [f"{c:11.1f}x" if c is not None else f"{'-':>12}" for c in cells[7:]]
    n, k, latency, cap = case
    print(f"{n:>7} {k:>2} {latency:>4} {cap if cap else '-':>4} " + " ".join(text))
print("us/node, median after a discarded warm-up; ratios: peer us/node over the engine's "
      "(ICE with tracing over the engine with tracing; the rest over the engine without).")
