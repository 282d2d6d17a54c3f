"""Commands that read the store: ``stats``, ``dump`` and ``sources``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diplograph import formats
from diplograph.cli.base import atomic_output, cli, named_graph, text_table, with_graph
from diplograph.errors import NotFound, UsageError
from diplograph.graph.store import DiploGraph


# -- stats -----------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--classes",
    "class_limit",
    default=25,
    show_default=True,
    metavar="N",
    help="Show the N most frequent classes.",
)
@with_graph(read_only=True)
def stats(graph: DiploGraph, class_limit: int) -> None:
    """Triples per named graph, instances per class and claims per source."""
    from diplograph.graph.load import inventory

    per_graph = inventory.triples_per_graph(graph)
    click.echo(text_table([(str(g), n) for g, n in per_graph.items()], ("named graph", "triples")))
    click.echo(f"{sum(per_graph.values())} triples in {len(per_graph)} named graphs.\n")
    classes = inventory.instances_per_class(graph, limit=class_limit)
    click.echo(text_table([(str(c), n) for c, n in classes], ("class", "instances")))
    claims = inventory.claims_per_source(graph)
    click.echo("")
    click.echo(text_table([(str(g), n) for g, n in claims], ("source", "claims")))


# -- dump ------------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--format",
    "fmt",
    default="nquads",
    show_default=True,
    metavar="FORMAT",
    help="nquads or trig for the whole store; turtle, ntriples, rdfxml, jsonld, n3 "
    "too with --graph.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="GRAPH",
    default=None,
    help="Dump only this named graph (IRI or a path such as article/article-001 or "
    "dataset/cow-igo, as export --graph takes).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (atomically) instead of standard output.",
)
@with_graph(read_only=True)
def dump(graph: DiploGraph, fmt: str, graph_iri: str | None, output: Path | None) -> None:
    """Write the store, or one named graph, in an RDF format."""
    chosen = formats.get(fmt, kinds=("graph", "dataset"))
    target = named_graph(graph_iri) if graph_iri else None
    if target is not None and target not in graph.named_graphs():
        raise NotFound(f"The store has no named graph <{target}>; `diplograph sources` lists them.")
    if target is None and chosen.kind != "dataset":
        raise UsageError(
            f"{chosen.label} holds one graph: give --graph IRI, or use "
            "--format nquads or trig for the whole store."
        )
    if output is None:
        graph.dump(sys.stdout.buffer, chosen, graph=target)
        sys.stdout.buffer.flush()
        return
    with atomic_output(output) as fh:
        graph.dump(fh, chosen, graph=target)
    click.echo(f"Wrote {output}.", err=True)


# -- sources ---------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--long",
    "long_",
    is_flag=True,
    help="Every provenance field (origin, citation, licence, hash...).",
)
@with_graph(read_only=True)
def sources(graph: DiploGraph, long_: bool) -> None:
    """List the named graphs with their provenance."""
    from diplograph.graph.load import inventory

    infos = inventory.sources(graph)
    if not infos:
        click.echo("The store is empty: `diplograph build` loads the bundled data.")
        return
    if not long_:
        rows = [
            (str(s.graph), s.kind or "-", s.triples, (s.loaded_at or "-"), s.title or "-")
            for s in infos
        ]
        click.echo(text_table(rows, ("named graph", "kind", "triples", "loaded at", "title")))
        return
    for s in infos:
        click.echo(f"<{s.graph}>")
        for label, value in (
            ("title", s.title),
            ("kind", s.kind),
            ("triples", s.triples),
            ("origin", s.origin),
            ("citation", s.citation),
            ("licence", s.license),
            ("version", s.version),
            ("loaded at", s.loaded_at),
            ("diplograph", s.software_version),
            ("sha256", s.content_hash),
        ):
            if value is not None:
                click.echo(f"  {label + ':':<11} {value}")
