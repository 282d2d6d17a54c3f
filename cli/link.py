"""``diplograph link FILE.csv``: add verified links to Wikidata from a CSV of
``entity,qid,source`` (or to DBpedia from a CSV of ``entity,dbpedia,source``, the DBpedia
resource name such as ``Russia``).

Every row needs the source that verifies it (the Wikidata page, or another page naming the
item); a row without one, a malformed entity path or Q-ID, a duplicate, or an entity the store
knows nothing about stops the command with ``file:line`` and nothing is written (exit 2). The
links go into their own named graph ``…/graph/links/<file stem>`` with provenance (file, hash,
citation, licence) in the metadata graph, each ``owl:sameAs`` with an ``rdf:Statement`` naming
its source, exactly as the bundled links (:mod:`diplograph.graph.load.links`). Running it again with
the same file replaces that graph. The check and the write are
:func:`diplograph.graph.load.writes.add_links`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from diplograph.cli.base import cli
from diplograph.cli.served import write

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph


@cli.command("link")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def link_command(ctx: click.Context, csv_file: str) -> None:
    """Add verified owl:sameAs links from FILE.csv: to Wikidata (columns entity,qid,source) or
    to DBpedia (columns entity,dbpedia,source).

    Rows without a source are refused; nothing is written unless every row is right.
    """
    from diplograph.graph.load.writes import add_links

    def precheck(view: DiploGraph) -> None:
        add_links(view, Path(csv_file), dry_run=True)

    done = write(ctx, "link", {"file": csv_file}, precheck=precheck)
    click.echo(
        f"Added {done['links']} link(s) from {csv_file} into the named graph <{done['graph']}>."
    )
