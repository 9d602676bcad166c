"""Python peers of learn-bench: numpy's matmul (OpenBLAS) and a PyTorch twin of the learner's model, on the CPU.

Prints JSON Lines on stdout, one object per measurement (progress goes to stderr):

  {"peer": "numpy", "kind": "matmul", "shape": "MxKxN", "threads": T, "gflops": G, "seconds": S, ...}
  {"peer": "pytorch", "kind": "train", "worldSize": n, "threads": T, "batchSize": 32,
   "examplesPerSecond": E, "secondsPerStep": S, "parameters": P, ...}

Each thread setting runs in a child process whose OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS are set
before numpy or torch is imported, so the setting really holds (a running OpenBLAS or OpenMP pool is not resized
reliably); the PyTorch child also calls torch.set_num_threads(T).

  python learn_peers.py [--quick] [--threads 1,2] [--world-sizes 8,16,64] [--only matmul|train]
                        [--attention math|sdpa]

--attention math (the default) writes attention as matmul + softmax, as the Swift side does; sdpa uses PyTorch's
fused scaled_dot_product_attention (same result, some 10% faster here), to see what PyTorch's fast path gives.

The model (the Swift side implements the same; shapes and parameter count must match): width d=64, 4 heads, 2
pre-norm encoder layers over an example's facts (self-attention, no positions, no mask), final encoder norm as
the memory, a question vector, 2 pre-norm decoder layers (cross-attention of the one query over the memory), a
final norm, word logits (1 "unknown" + W words) and pointer logits (one per fact slot), one joint softmax, loss
logsumexp(target logits) - logsumexp(all logits). Adam (1e-3, betas 0.9/0.98, eps 1e-8) with a linear warm-up and
global-norm clipping at 1.0, then an EMA teacher (0.999) every step.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

BATCH = 32
WIDTH = 64
HEADS = 4
ENCODER_LAYERS = 2
DECODER_LAYERS = 2
FEED_FORWARD = 128
FACT_WIDTH = 2  # tokens per fact (S)
QUESTION_WIDTH = 2  # tokens per question (Sq)
ANSWER_WORDS = 8  # W; the word logits are 1 + W with index 0 "unknown"
WARMUP_STEPS = 200  # learning-rate warm-up (linear), as in the Swift learner's default
TEACHER_DECAY = 0.999

# (M, K, N, role): the square shapes, then the model's own at batch 32, d=64, ff=128.
MATMUL_SHAPES = [
    (256, 256, 256, "square"),
    (512, 512, 512, "square"),
    (1024, 1024, 1024, "square"),
    (512, 64, 192, "n16 encoder QKV"),
    (512, 64, 128, "n16 FFN up"),
    (512, 128, 64, "n16 FFN down / fact input (S*d=128)"),
    (2048, 64, 192, "n64 encoder QKV"),
    (2048, 64, 128, "n64 FFN up"),
    (2048, 128, 64, "n64 FFN down / fact input"),
]


def log(message):
    print(message, file=sys.stderr, flush=True)


def vocabulary(world_size):
    return 4 * world_size


def expected_parameters(world_size):
    """The parameter count by formula, to check the twin against (and the Swift side against the twin)."""
    d, ff, words = WIDTH, FEED_FORWARD, 1 + ANSWER_WORDS
    norm = 2 * d
    feed_forward = d * ff + ff + ff * d + d
    encoder = norm + d * 3 * d + d * d + norm + feed_forward
    decoder = norm + d * d + d * 2 * d + d * d + norm + feed_forward
    return (vocabulary(world_size) * d  # token embedding
            + FACT_WIDTH * d * d + d  # fact input
            + ENCODER_LAYERS * encoder + norm  # encoder and its final norm
            + QUESTION_WIDTH * d * d + d  # question input
            + DECODER_LAYERS * decoder + norm  # decoder and its final norm
            + d * words + words  # word head
            + d * FACT_WIDTH * d)  # pointer head


# ---------------------------------------------------------------------------------------------- numpy matmul

def time_repeated(call, minimum_seconds, timings):
    """One discarded warm-up; then `timings` times: repeat `call` until `minimum_seconds` have passed, and take the
    time per call. Returns the median time per call."""
    call()
    samples = []
    for _ in range(timings):
        count = 0
        start = time.perf_counter()
        while True:
            call()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= minimum_seconds:
                break
        samples.append(elapsed / count)
    return statistics.median(samples)


def matmul_worker(threads, quick):
    import numpy as np

    blas = "?"
    try:  # which BLAS numpy was built against, for the record
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]["name"] + " " + config["Build Dependencies"]["blas"]["version"]
    except Exception:
        pass
    rng = np.random.default_rng(0)
    minimum_seconds, timings = (0.1, 3) if quick else (0.3, 5)
    for m, k, n, role in MATMUL_SHAPES:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
        seconds = time_repeated(lambda: np.matmul(a, b, out=c), minimum_seconds, timings)
        gflops = 2.0 * m * k * n / seconds / 1e9
        log(f"   numpy {m}x{k}x{n} T={threads}: {gflops:.1f} GFLOP/s")
        print(json.dumps({
            "peer": "numpy", "kind": "matmul", "shape": f"{m}x{k}x{n}", "threads": threads,
            "gflops": gflops, "seconds": seconds, "role": role, "blas": blas, "numpy": np.__version__,
        }), flush=True)


# ------------------------------------------------------------------------------------------- the PyTorch twin

def build_model(torch, world_size):
    """The twin as a plain module of parameters; weights are stored input x output and applied as x @ W."""
    nn = torch.nn
    d, ff = WIDTH, FEED_FORWARD

    def weight(rows, columns):
        return nn.Parameter(torch.randn(rows, columns) / math.sqrt(rows))

    def zeros(count):
        return nn.Parameter(torch.zeros(count))

    def ones(count):
        return nn.Parameter(torch.ones(count))

    def norm():
        return nn.ParameterDict({"gain": ones(d), "bias": zeros(d)})

    def feed_forward():
        return {"norm2": norm(), "w1": weight(d, ff), "b1": zeros(ff), "w2": weight(ff, d), "b2": zeros(d)}

    model = nn.Module()
    model.embedding = nn.Parameter(torch.randn(vocabulary(world_size), d) * 0.1)
    model.fact_w = weight(FACT_WIDTH * d, d)
    model.fact_b = zeros(d)
    model.encoder = nn.ModuleList(nn.ParameterDict(
        {"norm1": norm(), "wqkv": weight(d, 3 * d), "wo": weight(d, d), **feed_forward()})
        for _ in range(ENCODER_LAYERS))
    model.encoder_norm = norm()
    model.question_w = weight(QUESTION_WIDTH * d, d)
    model.question_b = zeros(d)
    model.decoder = nn.ModuleList(nn.ParameterDict(
        {"norm1": norm(), "wq": weight(d, d), "wkv": weight(d, 2 * d), "wo": weight(d, d), **feed_forward()})
        for _ in range(DECODER_LAYERS))
    model.final_norm = norm()
    model.word_w = weight(d, 1 + ANSWER_WORDS)
    model.word_b = zeros(1 + ANSWER_WORDS)
    model.pointer_w = weight(d, FACT_WIDTH * d)
    return model


def make_forward(torch, attention):
    functional = torch.nn.functional
    d, heads = WIDTH, HEADS
    head_dim = d // heads

    def layer_norm(x, norm):
        return functional.layer_norm(x, (d,), norm["gain"], norm["bias"], 1e-5)

    def split_heads(x):  # (B, L, d) -> (B, heads, L, head_dim)
        return x.unflatten(-1, (heads, head_dim)).transpose(1, 2)

    def attend(q, k, v):  # (B, heads, Lq, hd) x (B, heads, L, hd) -> (B, Lq, d)
        if attention == "sdpa":
            o = functional.scaled_dot_product_attention(q, k, v)  # scale 1/sqrt(head_dim) by default
        else:
            scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(head_dim))
            o = scores.softmax(-1) @ v
        return o.transpose(1, 2).flatten(-2)

    def feed_forward(x, layer):
        a = layer_norm(x, layer["norm2"])
        return x + functional.relu(a @ layer["w1"] + layer["b1"]) @ layer["w2"] + layer["b2"]

    def forward(model, facts, question):
        """facts: (B, F, S) tokens; question: (B, Sq) tokens. Returns the joint logits (B, 1 + W + F*S)."""
        batch, fact_count, _ = facts.shape
        h = model.embedding[facts].flatten(-2) @ model.fact_w + model.fact_b  # (B, F, d)
        for layer in model.encoder:
            a = layer_norm(h, layer["norm1"])
            q, k, v = (a @ layer["wqkv"]).chunk(3, dim=-1)
            h = h + attend(split_heads(q), split_heads(k), split_heads(v)) @ layer["wo"]
            h = feed_forward(h, layer)
        memory = layer_norm(h, model.encoder_norm)  # (B, F, d)
        u = (model.embedding[question].flatten(-2) @ model.question_w + model.question_b).unsqueeze(1)  # (B, 1, d)
        for layer in model.decoder:
            a = layer_norm(u, layer["norm1"])
            q = a @ layer["wq"]
            k, v = (memory @ layer["wkv"]).chunk(2, dim=-1)
            u = u + attend(split_heads(q), split_heads(k), split_heads(v)) @ layer["wo"]
            u = feed_forward(u, layer)
        z = layer_norm(u, model.final_norm)  # (B, 1, d)
        words = z.squeeze(1) @ model.word_w + model.word_b  # (B, 1 + W)
        pointers = (memory @ model.pointer_w).reshape(batch, fact_count * FACT_WIDTH, d)  # index f*S + s
        pointer_logits = (pointers @ z.transpose(1, 2)).squeeze(-1) * (1.0 / math.sqrt(d))  # (B, F*S)
        return torch.cat([words, pointer_logits], dim=1)

    return forward


def joint_loss(torch, logits, targets):
    """-log of the summed probability of the target entries (a boolean mask), averaged over the batch."""
    target_logits = logits.masked_fill(~targets, float("-inf"))
    return (logits.logsumexp(1) - target_logits.logsumexp(1)).mean()


def make_batches(torch, world_size, count, generator):
    """Random facts, questions and one random pointer target per example (timing only)."""
    batches = []
    outputs = 1 + ANSWER_WORDS + world_size * FACT_WIDTH
    for _ in range(count):
        facts = torch.randint(0, vocabulary(world_size), (BATCH, world_size, FACT_WIDTH), generator=generator)
        question = torch.randint(0, vocabulary(world_size), (BATCH, QUESTION_WIDTH), generator=generator)
        pointer = torch.randint(0, world_size * FACT_WIDTH, (BATCH,), generator=generator)
        targets = torch.zeros(BATCH, outputs, dtype=torch.bool)
        targets[torch.arange(BATCH), 1 + ANSWER_WORDS + pointer] = True
        batches.append((facts, question, targets))
    return batches


def train_worker(threads, world_sizes, quick, attention):
    import torch

    torch.set_num_threads(threads)
    forward = make_forward(torch, attention)
    for world_size in world_sizes:
        torch.manual_seed(0)
        model = build_model(torch, world_size)
        parameters = [p for p in model.parameters()]
        count = sum(p.numel() for p in parameters)
        if count != expected_parameters(world_size):
            raise SystemExit(f"twin has {count} parameters, the formula says {expected_parameters(world_size)}")
        teacher = [p.detach().clone() for p in parameters]
        optimiser = torch.optim.Adam(parameters, lr=1e-3, betas=(0.9, 0.98), eps=1e-8, foreach=True)  # foreach: less per-tensor overhead on the CPU
        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, (step + 1) / WARMUP_STEPS))
        batches = make_batches(torch, world_size, 8, torch.Generator().manual_seed(world_size))
        step_index = [0]

        def step():
            facts, question, targets = batches[step_index[0] % len(batches)]
            step_index[0] += 1
            optimiser.zero_grad(set_to_none=True)
            loss = joint_loss(torch, forward(model, facts, question), targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
            with torch.no_grad():  # teacher = 0.999 teacher + 0.001 weights
                torch._foreach_lerp_(teacher, [p.detach() for p in parameters], 1.0 - TEACHER_DECAY)
            return loss

        start = time.perf_counter()
        for _ in range(5):  # discarded warm-up
            loss = step()
        warmup_per_step = (time.perf_counter() - start) / 5
        if not math.isfinite(loss.item()):
            raise SystemExit(f"loss is {loss.item()}")
        repetitions = 1 if quick else 3
        budget = 0.3 if quick else 1.0  # seconds per repetition, at most 30 steps, at least 5
        steps = max(5, min(10 if quick else 30, int(budget / max(warmup_per_step, 1e-6))))
        samples = []
        for _ in range(repetitions):
            start = time.perf_counter()
            for _ in range(steps):
                step()
            samples.append((time.perf_counter() - start) / steps)
        seconds = statistics.median(samples)
        log(f"   pytorch n={world_size} T={threads}: {BATCH / seconds:.0f} examples/s "
            f"({seconds * 1000:.1f} ms/step, {steps} steps x {repetitions}, {count} parameters)")
        print(json.dumps({
            "peer": "pytorch", "kind": "train", "worldSize": world_size, "threads": threads, "batchSize": BATCH,
            "examplesPerSecond": BATCH / seconds, "secondsPerStep": seconds, "parameters": count,
            "steps": steps, "repetitions": repetitions, "attention": attention, "torch": torch.__version__,
        }), flush=True)


# --------------------------------------------------------------------------------------------------- driver

def run_child(kind, threads, args):
    """Runs one worker in a fresh interpreter with the thread count fixed before numpy or torch loads."""
    environment = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        environment[name] = str(threads)
    command = [sys.executable, os.path.abspath(__file__), "--worker", kind, "--threads", str(threads),
               "--world-sizes", ",".join(map(str, args.world_sizes)), "--attention", args.attention]
    if args.quick:
        command.append("--quick")
    subprocess.run(command, env=environment, check=True)  # the child prints its JSON lines on our stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter repetitions")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    parser.add_argument("--world-sizes", default="8,16,64", help="comma-separated world sizes (default 8,16,64)")
    parser.add_argument("--only", choices=["matmul", "train"], help="run only one of the two peers")
    parser.add_argument("--attention", choices=["math", "sdpa"], default="math",
                        help="attention as explicit matmul + softmax like the Swift side (default), or PyTorch's "
                             "fused scaled_dot_product_attention")
    parser.add_argument("--worker", choices=["matmul", "train"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.world_sizes = [int(n) for n in args.world_sizes.split(",")]
    if args.worker:
        threads = int(args.threads)
        if args.worker == "matmul":
            matmul_worker(threads, args.quick)
        else:
            train_worker(threads, args.world_sizes, args.quick, args.attention)
        return
    thread_counts = [int(t) for t in args.threads.split(",")]
    for kind in ("matmul", "train"):
        if args.only and args.only != kind:
            continue
        for threads in thread_counts:
            run_child(kind, threads, args)


if __name__ == "__main__":
    main()
