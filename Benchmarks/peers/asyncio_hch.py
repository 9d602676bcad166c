"""The workload in plain asyncio: the floor of the Python world."""

import asyncio

from workload import split


def make_solver(branching, latency, cap, tracing):
    limiter = asyncio.Semaphore(cap) if cap else None

    async def assistant(lo, hi):
        if latency:
            await asyncio.sleep(latency)
        return lo if hi > lo else 0

    async def leaf(lo, hi):
        if limiter is None:
            return await assistant(lo, hi)
        async with limiter:
            return await assistant(lo, hi)

    async def solve(lo, hi):
        if hi - lo <= 1:
            return await leaf(lo, hi)
        answers = await asyncio.gather(*(solve(a, b) for a, b in split(lo, hi, branching)))
        return sum(answers)

    return solve, None
