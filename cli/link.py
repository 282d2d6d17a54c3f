"""``diplograph link FILE.csv``: add verified links to Wikidata from a CSV of
``entity,qid,source`` (or to DBpedia from a CSV of ``entity,dbpedia,source``, the DBpedia
resource name such as ``Russia``).

Every row needs the source that verifies it (the Wikidata page, or another page naming the
item); a row without one, a malformed entity path or Q-ID, a duplicate, or an entity the store
knows nothing about stops the command with ``file:line`` and nothing is written (exit 2). The
links go into their own named graph ``…/graph/links/<file stem>`` with provenance (file, hash,
citation, licence) in the metadata graph, each ``owl:sameAs`` with an ``rdf:Statement`` naming
its source, exactly as the bundled links (:mod:`diplograph.graph.load.links`). Running it again with
the same file replaces that graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rdflib import URIRef

from diplograph import iri
from diplograph.cli.base import cli, with_graph
from diplograph.errors import Problem, SourceError
from diplograph.graph.load.links import (
    CC0,
    DbpediaLink,
    Link,
    dbpedia_link_triples,
    link_triples,
    load_dbpedia_csv,
    load_links_csv,
)
from diplograph.graph.store import DiploGraph
from diplograph.provenance import Source, sha256_of


def add_links(graph: DiploGraph, path: Path) -> tuple[URIRef, int]:
    """Check the links of ``path`` against ``graph`` and write them into their named graph;
    returns the graph's IRI and the number of links."""
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().strip().replace(" ", "")
    dbpedia = header == "entity,dbpedia,source"
    links: Sequence[Link | DbpediaLink] = (
        load_dbpedia_csv(path) if dbpedia else load_links_csv(path)
    )
    problems: list[Problem] = []
    for link in links:
        known = graph.query("ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", bindings={"e": link.entity})
        if not known.boolean:
            problems.append(
                Problem(
                    f"{path}:{link.line}",
                    f"the store knows nothing about {link.entity}; link only entities it holds.",
                    link.entity_path,
                    "entity",
                )
            )
    if problems:
        raise SourceError(
            problems,
            summary=f"{path}: {len(problems)} problem(s) in the links; nothing was written.",
        )
    target = iri.links_graph(path.stem)
    source = Source(
        graph=target,
        title=f"Links to {'DBpedia' if dbpedia else 'Wikidata'} from {path.name}",
        kind="links",
        origin=str(path),
        content_hash=sha256_of([path]),
        citation=(
            "DBpedia (https://www.dbpedia.org/)"
            if dbpedia
            else "Wikidata, the free knowledge base (https://www.wikidata.org/)"
        )
        + "; each link names the page that verifies it.",
        license=CC0,
        rows_read=len(links),
    )
    if dbpedia:
        triples = dbpedia_link_triples(link for link in links if isinstance(link, DbpediaLink))
    else:
        triples = link_triples(link for link in links if isinstance(link, Link))
    graph.replace_graph(source, triples)
    return target, len(links)


@cli.command("link")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@with_graph()
def link_command(graph: DiploGraph, csv_file: str) -> None:
    """Add verified owl:sameAs links from FILE.csv: to Wikidata (columns entity,qid,source) or
    to DBpedia (columns entity,dbpedia,source).

    Rows without a source are refused; nothing is written unless every row is right.
    """
    target, n = add_links(graph, Path(csv_file))
    click.echo(f"Added {n} link(s) from {csv_file} into the named graph <{target}>.")
