"""Rule 2 of the fast path (:mod:`.fastpath`): a query's triple patterns counted in the store's
indexes, and whether the product of their counts is within the budget.

A :class:`Pattern` holds, for each position, None (anything) or the constants it may be. Each
count is a one-pattern query of the engine with a ``LIMIT`` (a Python loop over the quads would
cost microseconds each), so counting is bounded too: at most ``budget + 1`` matches per pattern.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

Term = ox.NamedNode | ox.Literal | ox.BlankNode
#: one position of a pattern: None (anything), or the constants it may be
Slot = list[Term] | None


@dataclass
class Pattern:
    subject: Slot
    predicate: Slot
    object: Slot
    graph: Slot
    in_graph: bool = False  # inside GRAPH (a variable graph: the named graphs only)


def _choices(slot: Slot) -> Iterator[Term | None]:
    if slot is None:
        yield None
    else:
        yield from slot


def _count_one(store: ox.Store, terms: Sequence[Term | None], graph: str | None, cap: int) -> int:
    """Quads matching one choice of constants (None: anything), up to ``cap + 1``, counted by
    the engine (a Python loop over the quads costs microseconds each)."""
    s, p, o = (str(t) if t is not None else f"?v{n}" for n, t in enumerate(terms))
    triple = f"{s} {p} {o}"
    where = triple if graph is None else f"GRAPH {graph} {{ {triple} }}"
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ {where} }} LIMIT {cap + 1} }}"
    try:
        solutions = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, ValueError):  # a literal where the engine takes no literal
        return cap + 1
    for row in solutions:  # type: ignore[union-attr]
        return int(row[0].value)
    return 0


def count(store: ox.Store, pattern: Pattern, cap: int) -> int:
    """Quads matching ``pattern``'s constants, up to ``cap + 1``."""
    total = 0
    graphs: list[str | None] = (
        ["?g"]
        if pattern.graph is None and pattern.in_graph
        else [None]
        if pattern.graph is None
        else [str(g) for g in pattern.graph]
    )
    combos = itertools.product(
        _choices(pattern.subject), _choices(pattern.predicate), _choices(pattern.object), graphs
    )
    for s, p, o, g in combos:
        total += _count_one(store, (s, p, o), g, cap - total)
        if total > cap:
            break
    return total


def shape(patterns: Sequence[Pattern]) -> tuple[object, ...]:
    """What :func:`bounded` reads of ``patterns``, as a key: their constants and graphs."""
    return tuple(
        (*(None if s is None else tuple(s) for s in (p.subject, p.predicate, p.object, p.graph)),
         p.in_graph)
        for p in patterns
    )  # fmt: skip


def _constants(pattern: Pattern) -> int:
    slots = (pattern.subject, pattern.predicate, pattern.object, pattern.graph)
    return sum(slot is not None for slot in slots)


def bounded(store: ox.Store, patterns: Sequence[Pattern], budget: int) -> bool:
    """Whether the product of ``count + 1`` over ``patterns`` is at most ``budget`` (rule 2).
    A pattern without any constant matches the whole store: no count is needed to say no. The
    patterns with more constants are counted first, so a query over the budget is usually
    known to be after a few small counts."""
    if any(_constants(p) == 0 for p in patterns):
        return False
    product = 1
    for pattern in sorted(patterns, key=_constants, reverse=True):
        product *= count(store, pattern, budget // product) + 1
        if product > budget:
            return False
    return True
