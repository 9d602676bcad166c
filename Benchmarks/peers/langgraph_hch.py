"""The workload in LangGraph: one node that either answers a leaf or fans its parts out with Send.

The map-reduce pattern of LangGraph's documentation: the answers of the leaves flow into one state key
whose reducer adds them, and a node splits its range by returning `Command(goto=[Send(...) per part])`
(a conditional edge would read the graph's shared state, not the range the Send carried).
"""

import asyncio
import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send

from workload import split


class SumState(TypedDict):
    lo: int
    hi: int
    total: Annotated[int, operator.add]


class RangeState(TypedDict):
    lo: int
    hi: int


def make_solver(branching, latency, cap, tracing):
    limiter = {"semaphore": None}

    async def assistant(lo, hi):
        if latency:
            await asyncio.sleep(latency)
        return lo if hi > lo else 0

    async def answer(state: RangeState):
        lo, hi = state["lo"], state["hi"]
        if hi - lo > 1:
            return Command(goto=[Send("answer", {"lo": a, "hi": b}) for a, b in split(lo, hi, branching)])
        if limiter["semaphore"] is None:
            return {"total": await assistant(lo, hi)}
        async with limiter["semaphore"]:
            return {"total": await assistant(lo, hi)}

    builder = StateGraph(SumState)
    builder.add_node("answer", answer)
    builder.add_edge(START, "answer")
    graph = builder.compile()

    async def setup():
        limiter["semaphore"] = asyncio.Semaphore(cap) if cap else None

    async def solve(lo, hi):
        state = await graph.ainvoke({"lo": lo, "hi": hi, "total": 0}, {"recursion_limit": 10_000})
        return state["total"]

    return solve, setup
