"""The workload as an ICE (ought-ice 0.5.0) recipe, written as ICE's primer writes amplification.

`recipe.main` traces every function of this module (as it does for a user's recipe file); tracing is
switched on per run with `enable_trace()`, which is what `recipe.main`'s command line does by default.
"""

import os
import tempfile

os.environ.setdefault("OUGHT_ICE_DIR", tempfile.mkdtemp(prefix="ice-hch-"))
os.environ.setdefault("OUGHT_ICE_AUTO_SERVER", "0")
os.environ.setdefault("OUGHT_ICE_AUTO_BROWSER", "0")

import anyio  # noqa: E402
from ice.recipe import recipe  # noqa: E402
from ice.trace import enable_trace, trace_var  # noqa: E402
from ice.utils import map_async  # noqa: E402

from workload import split  # noqa: E402

settings = {"branching": 2, "latency": 0.0, "limiter": None}


async def answer_leaf(lo: int, hi: int) -> int:
    """The assistant: answers a one-element range, after the simulated model latency."""
    limiter = settings["limiter"]
    if limiter is None:
        if settings["latency"]:
            await anyio.sleep(settings["latency"])
        return lo if hi > lo else 0
    async with limiter:
        if settings["latency"]:
            await anyio.sleep(settings["latency"])
        return lo if hi > lo else 0


async def answer_by_amplification(lo: int, hi: int) -> int:
    """H: a leaf goes to the assistant; otherwise the parts are answered in parallel and added."""
    if hi - lo <= 1:
        return await answer_leaf(lo, hi)
    parts = split(lo, hi, settings["branching"])
    answers = await map_async(parts, lambda part: answer_by_amplification(*part))
    return sum(answers)


recipe.main(answer_by_amplification)


def make_solver(branching, latency, cap, tracing):
    settings["branching"] = branching
    settings["latency"] = latency

    async def setup():
        settings["limiter"] = anyio.Semaphore(cap) if cap else None

    async def solve(lo, hi):
        if tracing:
            enable_trace()  # a fresh trace per run, as each `python recipe.py` run starts one
        try:
            return await answer_by_amplification(lo, hi)
        finally:
            trace_var.set(None)

    return solve, setup
