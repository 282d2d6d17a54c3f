"""``diplograph queries``, ``diplograph query`` and ``diplograph sparql``: the named-query
catalogue and ad-hoc SPARQL from the command line.

``--format json`` prints standard SPARQL 1.1 JSON results, ``csv``/``tsv``/``xml`` the standard
SPARQL CSV/TSV/XML results (a CONSTRUCT prints ``turtle``, ``ntriples``, ``jsonld`` ...); ``table``
(the default) aligned columns with labels instead of bare IRIs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from diplograph import formats
from diplograph.cli.base import cli, open_store
from diplograph.errors import QueryError, QueryParameterError
from diplograph.graph.search import search
from diplograph.graph.store import DiploGraph
from diplograph.iri import ID
from diplograph.queries.registry import NamedQuery, catalogue, get, load_query
from diplograph.queries.run import check_entities, labels_for
from diplograph.queries.table import render_table, result_iris

_FORMAT_HELP = (
    "Output format: table (labels, the default), json, csv, tsv or xml (SPARQL "
    "results), or an RDF format for CONSTRUCT (turtle, ntriples, jsonld, rdfxml)."
)


def _parse_param_options(items: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryParameterError(
                f"--param {item!r} is not of the form NAME=VALUE (e.g. --param actor=state/russia)."
            )
        values[name.strip()] = value
    return values


def _output(graph: DiploGraph, sparql: str, fmt: str, bindings: dict | None = None) -> None:
    if fmt == "table":
        result = graph.query(sparql, bindings=bindings)
        labels = labels_for(graph, result_iris(result))
        click.echo(render_table(result, labels))
        return
    chosen = formats.get(fmt, kinds=("results", "graph", "dataset"))
    data, _ = graph.query_serialized(sparql, chosen, bindings=bindings)
    out = sys.stdout.buffer
    out.write(data)
    if not data.endswith(b"\n"):
        out.write(b"\n")
    out.flush()


def _check_format(fmt: str) -> str:
    if fmt.lower() == "table":
        return "table"
    return formats.get(fmt, kinds=("results", "graph", "dataset")).key


@cli.command("queries")
@click.option("--tag", default=None, help="Only queries with this tag.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: name and title; json: the full headers.",
)
def queries_command(tag: str | None, fmt: str) -> None:
    """List the named queries with their titles."""
    found = [q for q in catalogue().values() if tag is None or tag in q.tags]
    if fmt == "json":
        click.echo(json.dumps([q.to_dict() for q in found], indent=2, ensure_ascii=False))
        return
    width = max((len(q.name) for q in found), default=0)
    for q in found:
        params = " ".join(f"{p.name}={p.type}" + ("" if p.required else "?") for p in q.params)
        click.echo(f"{q.name.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))


@cli.command("query")
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeatable), e.g. --param actor=state/russia.",
)
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Run the query in this .rq file (a header is optional) instead of a named one.",
)
@click.option("--format", "fmt", default="table", show_default=True, help=_FORMAT_HELP)
@click.option(
    "--show",
    is_flag=True,
    help="Print the query's header and SPARQL, do not run it; with --param values, the query "
    "as it would run (the values bound in a VALUES block).",
)
@click.pass_context
def query_command(
    ctx: click.Context,
    name: str | None,
    params: tuple[str, ...],
    file: Path | None,
    fmt: str,
    show: bool,
) -> None:
    """Run the named query NAME (see `diplograph queries`) with --param values."""
    if (name is None) == (file is None):
        raise QueryError("Give either a query NAME or --file X.rq (one of them).")
    named: NamedQuery = load_query(file) if file is not None else get(str(name))
    values = _parse_param_options(params)
    fmt = _check_format(fmt)
    if show and not values:  # the query as written: no parameter is needed to read it
        click.echo(named.text.rstrip("\n"))
        return
    bindings = named.bind(values)
    if show:  # the query as it would run: the values checked and bound as a VALUES block
        click.echo(named.editable(bindings).rstrip("\n"))
        return
    with open_store(ctx, read_only=True) as graph:
        check_entities(graph, named, bindings)
        _output(graph, named.text, fmt, bindings)


@cli.command("search")
@click.argument("text")
@click.option("--kind", "kinds", multiple=True, help="Only entities of this kind (repeatable).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def search_command(
    ctx: click.Context, text: str, kinds: tuple[str, ...], limit: int, fmt: str
) -> None:
    """Find entities by name, label or alias: exact names first, then prefixes, then words."""
    with open_store(ctx, read_only=True) as graph:
        hits = search(graph, text, limit=limit, kinds=list(kinds) or None)
    if fmt == "json":
        click.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo(f"Nothing is named like {text!r}.", err=True)
        return
    base = len(str(ID))
    rows = [(h.label, h.kind, h.iri[base:] if h.iri.startswith(str(ID)) else h.iri) for h in hits]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for label, kind, path in rows:
        click.echo(f"{label.ljust(widths[0])}  {kind.ljust(widths[1])}  {path}")


@cli.command("sparql")
@click.argument("sparql", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Read the query from this file ('-' for standard input).",
)
@click.option("--format", "fmt", default="table", show_default=True, help=_FORMAT_HELP)
@click.pass_context
def sparql_command(ctx: click.Context, sparql: str | None, file: Path | None, fmt: str) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) given as text."""
    if (sparql is None) == (file is None):
        raise QueryError(
            "Give the query as an argument or with --file (one of them), e.g. "
            'diplograph sparql "SELECT * WHERE { ?s ?p ?o } LIMIT 5".'
        )
    if file is not None:
        if str(file) == "-":
            sparql = sys.stdin.read()
        else:
            try:
                sparql = file.read_text(encoding="utf-8")
            except OSError as exc:
                raise QueryError(
                    f"Cannot read the query file {str(file)!r}: {exc.strerror}."
                ) from exc
    fmt = _check_format(fmt)
    with open_store(ctx, read_only=True) as graph:
        _output(graph, str(sparql), fmt)
