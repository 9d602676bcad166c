#!/usr/bin/env bash
# Installs the peers from PyPI into local virtual environments, runs them and hch-bench on the same cases,
# and prints one table (microseconds per node, median of repeated runs after a discarded warm-up).
#
#   Benchmarks/peers/run.sh [--quick] [--swift-only]
#
# --swift-only reruns only hch-bench and the table, against the peers' figures of the last run (in .out), for
# comparing engine changes without waiting minutes for the peers again.
#
# ought-ice 0.5.0 needs pydantic 1 and LangGraph needs pydantic 2, so each gets its own environment
# (.venv-ice, .venv-langgraph; git-ignored). Plain asyncio runs on the interpreter itself.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
python=${PYTHON:-python3}
out=${PEERS_OUT:-.out}
mkdir -p "$out"
quick=false swiftOnly=false
for argument in "$@"; do
    case "$argument" in
        --quick) quick=true ;;
        --swift-only) swiftOnly=true ;;
        *) echo "usage: run.sh [--quick] [--swift-only]" >&2; exit 2 ;;
    esac
done
if $swiftOnly && [ ! -s "$out/peers.jsonl" ]; then
    echo "run.sh: --swift-only needs the peers' figures of an earlier run in $out/peers.jsonl" >&2
    exit 1
fi

install() {  # install <venv> <requirement>...
    local venv=$1; shift
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv"
        "$venv/bin/pip" install --quiet --upgrade pip
    fi
    "$venv/bin/pip" install --quiet "$@"
}
# Cases: leaves, branching, latency (ms), cap ("-" for none). The same cases exist in hch-bench's full run.
cases=("1000 2 0 -" "1000 4 0 -" "10000 2 0 -" "10000 4 0 -" "1000 2 20 -" "1000 2 20 64")
if $quick; then cases=("1000 2 0 -" "1000 4 0 -" "1000 2 20 64"); fi
runs=${PEER_RUNS:-3}

if ! $swiftOnly; then
    echo "== installing peers"
    # ought-ice 0.5.0 imports pydantic 1 and requests but pins neither; fastapi before 0.100 accepts pydantic 1.
    install .venv-ice ought-ice==0.5.0 "pydantic<2" "fastapi<0.100" requests
    install .venv-langgraph langgraph==1.2.24

    : >"$out/peers.jsonl"
    peer() {  # peer <venv python> <module> <leaves> <branching> <latency> <cap> [--tracing]
        local py=$1 module=$2 leaves=$3 branching=$4 latency=$5 cap=$6; shift 6
        local capArgs=(); [ "$cap" != "-" ] && capArgs=(--cap "$cap")
        echo "   $module $* N=$leaves k=$branching L=${latency}ms C=$cap" >&2
        "$py" workload.py "$module" --leaves "$leaves" --branching "$branching" --latency-ms "$latency" \
            "${capArgs[@]}" --runs "$runs" "$@" >>"$out/peers.jsonl"
    }
    echo "== running peers"
    for case in "${cases[@]}"; do
        read -r leaves branching latency cap <<<"$case"
        peer "$python" asyncio_hch "$leaves" "$branching" "$latency" "$cap"
        peer .venv-ice/bin/python ice_hch "$leaves" "$branching" "$latency" "$cap"
        peer .venv-ice/bin/python ice_hch "$leaves" "$branching" "$latency" "$cap" --tracing
        peer .venv-langgraph/bin/python langgraph_hch "$leaves" "$branching" "$latency" "$cap"
    done
fi

echo "== running hch-bench on the same cases"
filters=()
for case in "${cases[@]}"; do
    read -r leaves branching latency cap <<<"$case"
    size=$leaves; [ "$leaves" -ge 1000 ] && size="$((leaves / 1000))k"
    filters+=("parallel-n$size-k$branching-l${latency}ms-c${cap/-/none}")
done
(cd "$root" && swift build -c release --product hch-bench >/dev/null)
: >"$out/hch-bench.jsonl"
for filter in $(printf '%s\n' "${filters[@]}" | sort -u); do
    "$root/.build/release/hch-bench" --no-memory --filter "$filter" --json "$out/hch-bench-case.json" >&2
    "$python" -c 'import json,sys; [print(json.dumps(c)) for c in json.load(open(sys.argv[1]))["cases"]]' \
        "$out/hch-bench-case.json" >>"$out/hch-bench.jsonl"
done

"$python" table.py "$out/peers.jsonl" "$out/hch-bench.jsonl"
