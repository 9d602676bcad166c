#!/usr/bin/env bash
# Runs learn-bench's Python peers (numpy's matmul on OpenBLAS, and a PyTorch twin of the learner's model on the
# CPU) at 1 and 2 threads, then learn-bench itself in two builds, each printing the peers' figures beside its own:
# the default build (the default x86-64 target: SSE2, 4-lane kernels) and the wide build (`-target-cpu native`
# with AMPLIFICATION_WIDE_VECTORS: 16-lane kernels with fused multiply-add), in .build-wide.
#
#   Benchmarks/peers/learn-run.sh [--quick] [--peers-only]
#
# Writes .out/learn-peers.jsonl (one JSON object per measurement, see learn_peers.py) and, unless --peers-only,
# .out/learn-bench.json and .out/learn-bench-wide.json (--quick is passed on to learn-bench).
# The peers live in .venv-torch (git-ignored). LEARN_THREADS=1,2 and LEARN_WORLD_SIZES=8,16,64 override the sweep.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
python=${PYTHON:-python3}
out=${PEERS_OUT:-.out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
quick=false peersOnly=false
for argument in "$@"; do
    case "$argument" in
        --quick) quick=true ;;
        --peers-only) peersOnly=true ;;
        *) echo "usage: learn-run.sh [--quick] [--peers-only]" >&2; exit 2 ;;
    esac
done

venv=.venv-torch
if ! "$venv/bin/python" -c 'import numpy, torch' 2>/dev/null; then
    echo "== installing numpy and a CPU PyTorch into $venv" >&2
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    # PyTorch's own CPU index has the CPU-only wheel (~200 MB, MKL inside). Where that index can't be reached,
    # pip still finds a +cpu wheel in a local wheel folder named by pip's find-links setting, if the machine has
    # one. --no-deps, because the CPU index may not carry torch's pure-Python dependencies (installed below).
    if ! timeout 300 "$venv/bin/pip" install --quiet --no-deps --timeout 10 --retries 0 \
            --index-url https://download.pytorch.org/whl/cpu torch; then
        # PyPI's Linux wheel is the CUDA build: it pulls some 3 GB of nvidia-*/cuda-*/triton wheels, but runs on
        # the CPU. `--no-deps torch` from PyPI does not do: `import torch` fails (libcudart.so / libcublasLt.so
        # not found), so the whole install it is.
        echo "   no CPU wheel reachable: installing PyPI's torch with its CUDA libraries (gigabytes)" >&2
        "$venv/bin/pip" install --quiet torch
    fi
    # torch's own requirements (pure Python), and numpy for both peers.
    "$venv/bin/pip" install --quiet numpy filelock "typing-extensions>=4.10.0" "sympy>=1.13.3" \
        "networkx>=2.5.1" jinja2 "fsspec>=0.8.5" "setuptools>=77.0.3"
    "$venv/bin/python" -c 'import numpy, torch; print("   numpy", numpy.__version__, "torch", torch.__version__)' >&2
fi

peerArgs=(--threads "${LEARN_THREADS:-1,2}" --world-sizes "${LEARN_WORLD_SIZES:-8,16,64}")
$quick && peerArgs+=(--quick)
echo "== running the peers (numpy matmul, PyTorch twin)" >&2
"$venv/bin/python" learn_peers.py "${peerArgs[@]}" >"$out/learn-peers.jsonl"

if ! $peersOnly; then
    peers="$out/learn-peers.jsonl"
    swiftArgs=(--peers "$peers")
    $quick && swiftArgs+=(--quick)
    echo "== learn-bench, default build" >&2
    (cd "$root" && swift build -c release --product learn-bench >&2 \
        && .build/release/learn-bench "${swiftArgs[@]}" --json "$out/learn-bench.json")
    echo "== learn-bench, wide build (-target-cpu native, AMPLIFICATION_WIDE_VECTORS)" >&2
    (cd "$root" && swift build -c release --product learn-bench --scratch-path .build-wide \
        -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DAMPLIFICATION_WIDE_VECTORS >&2 \
        && .build-wide/release/learn-bench "${swiftArgs[@]}" --json "$out/learn-bench-wide.json")
fi

echo "== peers ($out/learn-peers.jsonl)" >&2
"$python" - "$out/learn-peers.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
for row in rows:
    if row["kind"] == "matmul":
        print(f"numpy   {row['shape']:>14} T={row['threads']}  {row['gflops']:8.1f} GFLOP/s")
for row in rows:
    if row["kind"] == "train":
        print(f"pytorch n={row['worldSize']:<3} T={row['threads']}  {row['examplesPerSecond']:8.0f} examples/s"
              f"  {row['secondsPerStep'] * 1000:7.2f} ms/step  {row['parameters']} parameters")
PY
