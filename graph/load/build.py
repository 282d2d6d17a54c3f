"""Build the graph from everything diplograph bundles: ontology, code lists, article records,
links and datasets, each into its own named graph, all in one transaction.

Each part is produced by the module that owns it; this module only gathers them in order and
writes them. A part is a list of ``(Source, triples)`` pairs, validated before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from diplograph.graph.search import refresh as refresh_search
from diplograph.graph.store import DiploGraph
from diplograph.provenance import Source, Triple

Part = list[tuple[Source, Iterable[Triple]]]

#: The parts of the bundled build, in load order. Names are what ``--only``/``--skip`` take.
PARTS: tuple[str, ...] = ("ontology", "codes", "articles", "links", "datasets")


def _part(
    name: str,
    *,
    strict: bool = False,
    on_dataset: Callable[[str, int, int], None] | None = None,
) -> Part:
    # imported here so that a part's module is loaded only when it is built
    if name == "ontology":
        from diplograph.ontology.load import ontology_sources

        return ontology_sources()
    if name == "codes":
        from diplograph.ontology.codes import code_sources

        return code_sources()
    if name == "articles":
        from diplograph.graph.records import bundled_article_sources

        return bundled_article_sources()
    if name == "links":
        from diplograph.graph.load.links import bundled_link_sources

        return bundled_link_sources()
    if name == "datasets":
        from diplograph.graph.datasets import bundled_dataset_sources

        return bundled_dataset_sources(strict=strict, on_dataset=on_dataset)
    raise ValueError(f"Unknown build part {name!r}; known: {', '.join(PARTS)}.")


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote: triples per named graph."""

    graphs: tuple[tuple[Source, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.graphs)


def build(
    graph: DiploGraph,
    *,
    parts: Sequence[str] = PARTS,
    strict: bool = False,
    on_part: Callable[[str], None] | None = None,
    on_dataset: Callable[[str, int, int], None] | None = None,
) -> BuildReport:
    """Build the bundled parts into ``graph``: validate all first, then write all in one
    transaction (a crash leaves the store as it was before or as it is after, never a mix).

    ``on_part(name)`` is called before each part is read, ``on_dataset(name, i, n)`` before the
    i-th of n datasets (for progress displays)."""
    items: Part = []
    for name in parts:
        if on_part is not None:
            on_part(name)
        for source, triples in _part(name, strict=strict, on_dataset=on_dataset):
            # materialise now so that every problem is found before anything is written
            items.append((source, list(triples)))
    counts = graph.replace_graphs(items)
    refresh_search(graph)  # the search index beside the store, in step with what was written
    return BuildReport(tuple((src, n) for (src, _), n in zip(items, counts, strict=True)))
