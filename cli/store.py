"""Store commands: ``init``, ``ingest``, ``build``, ``validate``, ``stats``, ``dump``, ``sources``,
``drop``. Each is thin over a library function of :mod:`diplograph.graph`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from diplograph.cli.base import (
    cli,
    named_graph,
    open_store,
    store_url,
    text_table,
    with_progress,
)
from diplograph.cli.served import write
from diplograph.errors import UsageError
from diplograph.graph.load.progress import step
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.embedded import OxigraphGraph

# rdflib logs a traceback for each ill-typed literal ("2024-13-45"^^xsd:date); our validation
# reports those as problems, in one line each
logging.getLogger("rdflib.term").setLevel(logging.ERROR)


#: RDF files up to this size are checked here before they are sent to a running server (larger
#: ones are checked by the server alone: reading them twice would cost more than it saves).
PRECHECK_BYTES = 50_000_000


def _show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


# -- init ------------------------------------------------------------------------------------
@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create an empty store (or check an existing one) and print where it is."""
    from diplograph.server import discovery

    found, _ = discovery.find(store_url(ctx))
    if found is not None:  # its server holds it: look without writing
        click.echo(f"The store is held by the running server at {found.url} (pid {found.pid}).")
    with open_store(ctx, read_only=found is not None) as graph:
        n = graph.count()
        where = graph.url
        if isinstance(graph, OxigraphGraph) and graph.path is not None:
            where = f"{graph.url} ({graph.path.resolve()})"
        if n:
            click.echo(
                f"Store ready at {where}: it already holds {n} triples in "
                f"{len(graph.named_graphs())} named graphs."
            )
        else:
            click.echo(f"Empty store ready at {where}.")


# -- ingest ----------------------------------------------------------------------------------
@cli.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    default=None,
    help="Parser for every FILE (turtle, trig, ntriples, nquads, jsonld, rdfxml, n3, "
    "yaml); default: by file extension.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="GRAPH",
    default=None,
    help="Load RDF into this named graph: an IRI or a path under the graph base such as "
    "file/extra (default: .../graph/file/<file stem>); quads of TriG/N-Quads files are forced "
    "into it too.",
)
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace an article the store holds with other content (the changes are printed); "
    "without it such a re-ingest is refused.",
)
@click.option(
    "--accept-machine-coded",
    "machine_coded",
    is_flag=True,
    help="Load claims not yet reviewed (review: pending) as they are, marked dg:machineCoded "
    "with the coder named in the draft's header; without it such a file is refused "
    "(review it first: diplograph review FILE).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.pass_context
def ingest(
    ctx: click.Context,
    files: tuple[Path, ...],
    fmt: str | None,
    graph_iri: str | None,
    no_shacl: bool,
    replace: bool,
    machine_coded: bool,
    quiet: bool,
) -> None:
    """Validate and load claim-record YAML files and RDF files, each into its own named graph.

    Each FILE is validated before anything is written and loaded all or nothing; loading an RDF
    file again replaces its named graph. Claim records may refer to claims and entities of the
    store and of the other FILEs; an entity the store already has under another IRI must say
    same_as or distinct_from; an article the store holds with other content is replaced only
    with --replace, which prints what changes. Claims drafted by the event coder and not yet
    reviewed (review: pending) are refused unless --accept-machine-coded; rejected claims are
    never loaded. Problems are printed one per line as
    FILE:LINE: ...; the exit code is then 2 and nothing of that file is written. While a
    `diplograph serve` holds the store, the files are checked here, then sent to that server,
    which checks and writes them.
    """
    from diplograph.graph.load.ingest import check_files
    from diplograph.graph.load.writes import Hooks

    into = named_graph(graph_iri) if graph_iri else None
    args = {
        "files": [str(f) for f in files],
        "format": fmt,
        "graph": str(into) if into is not None else None,
        "shacl": not no_shacl,
        "replace": replace,
        "machine_coded": machine_coded,
    }

    def on_file(path: Path) -> None:
        if not quiet:
            click.echo(f"{path}: loading...", err=True)

    def precheck(view: DiploGraph) -> None:
        check_files(
            view,
            files,
            fmt=fmt,
            into=into,
            shacl=not no_shacl,
            replace=replace,
            rdf_limit=PRECHECK_BYTES,
            machine_coded=machine_coded,
        )

    hooks = Hooks(progress=_show_progress(quiet), on_file=on_file)
    _say(write(ctx, "ingest", args, hooks=hooks, precheck=precheck)["reports"], quiet=quiet)


def _say(reports: list[dict[str, Any]], *, quiet: bool) -> None:
    """Print what each ingested file did (with ``quiet``, only what replaced reviewed data)."""
    for report in reports:
        for note in report["notes"]:
            if not quiet or note.startswith("replaced"):
                click.echo(f"{report['path']}: {note}", err=True)
    if not quiet:
        for report in reports:
            for g, n in report["graphs"]:
                click.echo(f"{report['path']}: {n} triples into <{g}>")


# -- build -----------------------------------------------------------------------------------
def _parts(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from diplograph.graph.load.build import PARTS

    names = [p.strip() for v in value for p in v.split(",") if p.strip()]
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        raise click.BadParameter(f"unknown part {unknown[0]!r}; known: {', '.join(PARTS)}.")
    return tuple(names)


@cli.command()
@click.option(
    "--only",
    multiple=True,
    callback=_parts,
    metavar="PART",
    help="Build only these parts (repeat or comma-separate): ontology, codes, "
    "articles, links, datasets.",
)
@click.option("--skip", multiple=True, callback=_parts, metavar="PART", help="Skip these parts.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on any bad dataset row instead of skipping and counting it.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary table.")
@with_progress("build", quiet="quiet")
@click.pass_context
def build(
    ctx: click.Context, only: tuple[str, ...], skip: tuple[str, ...], strict: bool, quiet: bool
) -> None:
    """Build the bundled data (ontology, code lists, articles, links, datasets) into the store,
    each source in its own named graph, all in one transaction. While a `diplograph serve`
    holds the store, the server builds it."""
    from diplograph.graph.load.build import PARTS
    from diplograph.graph.load.writes import Hooks

    parts = tuple(p for p in (only or PARTS) if p not in skip)
    if not parts:
        raise UsageError("Nothing to build: --only and --skip leave no part.")

    def on_dataset(name: str, i: int, n: int) -> None:
        step(f"dataset {i}/{n}: {name}")

    args = {"parts": list(parts), "strict": strict}
    hooks = Hooks(on_part=lambda name: step(f"reading {name}"), on_dataset=on_dataset)
    report = write(ctx, "build", args, hooks=hooks)
    if not quiet:
        rows = [tuple(row) for row in report["graphs"]]
        click.echo(text_table(rows, ("named graph", "kind", "triples")))
        click.echo(
            f"{report['total']} triples in {len(rows)} named graphs written to {report['store']}."
        )


# -- validate --------------------------------------------------------------------------------
@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    default=None,
    help="Parser for every FILE; default: by file extension.",
)
@click.option("--no-reasoning", is_flag=True, help="Skip the OWL consistency check (HermiT).")
@click.pass_context
def validate(
    ctx: click.Context, files: tuple[Path, ...], fmt: str | None, no_reasoning: bool
) -> None:
    """Check FILEs (claim records or RDF), or the whole store when no FILE is given: records
    validation, SHACL shapes and OWL consistency. Prints each problem as a sentence naming the
    file or record and field; exit code 2 when anything is invalid. Writes nothing."""
    from diplograph.graph.load.validate import validate_files, validate_store

    if files:
        problems = validate_files(files, fmt=fmt, reasoning=not no_reasoning)
    else:
        with open_store(ctx, read_only=True) as graph:
            problems = validate_store(graph, reasoning=not no_reasoning)
    for line in problems:
        click.echo(line)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        ctx.exit(2)
    click.echo("Valid.")


# -- drop ------------------------------------------------------------------------------------
@cli.command()
@click.option(
    "--graph",
    "graph_iri",
    metavar="GRAPH",
    required=True,
    help="The named graph to drop (with its description): an IRI or a path such as file/states.",
)
@click.pass_context
def drop(ctx: click.Context, graph_iri: str) -> None:
    """Drop one named graph and its description from the metadata graph."""
    target = str(named_graph(graph_iri))
    write(ctx, "drop", {"graph": target})
    click.echo(f"Dropped <{target}>.")
