"""Network commands: ``export`` (a view in a network format) and ``analyze`` (centrality, path,
balance, communities, contested). Thin over :mod:`diplograph.graph.network`,
:mod:`diplograph.graph.network.export` and :mod:`diplograph.graph.network.analysis`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from diplograph import formats
from diplograph.cli.base import cli, with_graph, write_atomically
from diplograph.graph.network import VIEWS, analysis, build_view, resolve
from diplograph.graph.network.export import export as write_view
from diplograph.graph.network.export import network_format
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import DiploGraph

F = TypeVar("F", bound=Callable[..., Any])

_VIEW_HELP = (
    "actors (states, officials, organisations), claims (speaker to target), agreements, or full "
    "(every link); see docs/network.md."
)


def filter_options(fn: F) -> F:
    """The filters every network command takes (see docs/network.md)."""
    options = [
        click.option(
            "--from",
            "start",
            metavar="DATE",
            help="Keep what overlaps this date or later (YYYY, YYYY-MM or YYYY-MM-DD).",
        ),
        click.option(
            "--to", "end", metavar="DATE", help="Keep what overlaps this date or earlier."
        ),
        click.option(
            "--graph",
            "graphs",
            metavar="GRAPH",
            multiple=True,
            help="Keep links stated in this named graph (IRI or a path such as "
            "article/article-001 or dataset/cow-igo); repeatable.",
        ),
        click.option(
            "--actor",
            "actors",
            metavar="IRI",
            multiple=True,
            help="Keep links of this actor or resource (IRI or a path such as "
            "state/russia); repeatable.",
        ),
        click.option(
            "--event-type",
            "event_types",
            metavar="CODE",
            multiple=True,
            help="Keep claims of this CAMEO code and its sub-codes (e.g. 12); repeatable.",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filters(kw: dict[str, Any]) -> Filters:
    return Filters.of(
        start=kw.pop("start"),
        end=kw.pop("end"),
        graphs=kw.pop("graphs"),
        actors=kw.pop("actors"),
        event_types=kw.pop("event_types"),
    )


# -- export ----------------------------------------------------------------------------------
@cli.command("export")
@click.option(
    "--view", type=click.Choice(list(VIEWS)), default="actors", show_default=True, help=_VIEW_HELP
)
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    default=None,
    help="One of: "
    + ", ".join(f.key for f in formats.of_kind("network"))
    + "; default: from the -o suffix, else graphml.",
)
@filter_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (default: standard output).",
)
@with_graph(read_only=True)
def export_command(
    graph: DiploGraph, view: str, fmt: str | None, output: Path | None, **kw: Any
) -> None:
    """Export a network view for Gephi, yEd, Cytoscape, D3 or Graphviz.

    \b
    Formats: graphml, gexf (dynamic, for Gephi's timeline), cytoscape (Cytoscape.js JSON),
    d3 (node-link JSON), dot (Graphviz), csvzip (nodes.csv + edges.csv), svg, png.
    """
    if fmt:
        chosen = network_format(fmt)
    elif output is not None and output.suffix:
        chosen = network_format(output.suffix)
    else:
        chosen = network_format("graphml")
    g = build_view(graph, view, filters=_filters(kw))
    data = write_view(g, chosen)
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream
        return
    write_atomically(output, data)
    click.echo(
        f"Wrote the {view} view ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges) "
        f"as {chosen.label} to {output}.",
        err=True,
    )


# -- analyze ---------------------------------------------------------------------------------
def _table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [list(map(str, header)), *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _emit(as_json: bool, data: object, text: Callable[[], str]) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        click.echo(text())


_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@cli.group()
def analyze() -> None:
    """Analyse the graph as a network: centrality, path, balance, communities, contested."""


@analyze.command("centrality")
@click.option("--view", type=click.Choice(list(VIEWS)), default="actors", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=None,
    help="Estimate betweenness from N source nodes (default: exact up to 2000 nodes, else 500).",
)
@filter_options
@_json_option
@with_graph(read_only=True)
def centrality_command(
    graph: DiploGraph, view: str, top: int, sample: int | None, as_json: bool, **kw: Any
) -> None:
    """Degree, betweenness, eigenvector and PageRank of the nodes of a view."""
    table = analysis.centrality(
        build_view(graph, view, filters=_filters(kw)), top=top, sample=sample
    )
    head = ("label", "kind", "degree", "betweenness", "eigenvector", "pagerank", "iri")
    _emit(
        as_json,
        [dataclasses.asdict(c) for c in table],
        lambda: _table(
            [
                (
                    c.label,
                    c.kind,
                    f"{c.degree:.4f}",
                    f"{c.betweenness:.4f}",
                    f"{c.eigenvector:.4f}",
                    f"{c.pagerank:.4f}",
                    c.iri,
                )
                for c in table
            ],
            head,
        ),
    )


@analyze.command("path")
@click.argument("source")
@click.argument("target")
@filter_options
@_json_option
@with_graph(read_only=True)
def path_command(graph: DiploGraph, source: str, target: str, as_json: bool, **kw: Any) -> None:
    """How SOURCE connects to TARGET: the shortest chain of triples (IRIs or paths such as
    person/sergey-lavrov organization/nato)."""
    steps = analysis.explain_path(graph, resolve(source), resolve(target), filters=_filters(kw))
    _emit(
        as_json,
        [dataclasses.asdict(s) for s in steps],
        lambda: "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)),
    )


@analyze.command("balance")
@click.option(
    "--by",
    type=click.Choice(["state", "speaker"]),
    default="state",
    show_default=True,
    help="Count a claim for the state it was made on behalf of, or for its speaker.",
)
@filter_options
@_json_option
@with_graph(read_only=True)
def balance_command(graph: DiploGraph, by: str, as_json: bool, **kw: Any) -> None:
    """Cooperation and conflict between actors (summed Goldstein scores of the claims between
    them) and the structural balance of every signed triad."""
    pairs, triads = analysis.balance(graph, filters=_filters(kw), by=by)  # type: ignore[arg-type]
    sign = {1: "+", -1: "-", 0: "0"}

    def text() -> str:
        out = _table(
            [
                (
                    p.a_label,
                    p.b_label,
                    p.claims,
                    p.cooperation,
                    p.conflict,
                    f"{p.goldstein:+.1f}",
                    sign[p.sign],
                )
                for p in pairs
            ],
            ("actor", "actor", "claims", "coop", "conflict", "goldstein", "sign"),
        )
        if triads:
            out += "\n\nTriads:\n" + _table(
                [
                    (
                        " / ".join(t.labels),
                        " ".join(sign[s] for s in t.signs),
                        "balanced" if t.balanced else "unbalanced",
                    )
                    for t in triads
                ],
                ("actors", "signs", "balance"),
            )
        return out

    data = {
        "pairs": [dataclasses.asdict(p) for p in pairs],
        "triads": [{**dataclasses.asdict(t), "balanced": t.balanced} for t in triads],
    }
    _emit(as_json, data, text)


@analyze.command("communities")
@click.option("--view", type=click.Choice(list(VIEWS)), default="actors", show_default=True)
@click.option(
    "--method", type=click.Choice(["louvain", "greedy"]), default="louvain", show_default=True
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of Louvain.")
@filter_options
@_json_option
@with_graph(read_only=True)
def communities_command(
    graph: DiploGraph, view: str, method: str, seed: int, as_json: bool, **kw: Any
) -> None:
    """Communities of a view (Louvain, seeded, or greedy modularity), largest first."""
    g = build_view(graph, view, filters=_filters(kw))
    found = analysis.communities(g, method=method, seed=seed)  # type: ignore[arg-type]
    _emit(
        as_json,
        [[{"iri": i, "label": lbl} for i, lbl in c] for c in found],
        lambda: "\n".join(
            f"{n}. ({len(c)}) " + "; ".join(lbl for _, lbl in c) for n, c in enumerate(found, 1)
        ),
    )


@analyze.command("contested")
@click.option(
    "--graph",
    "graphs",
    metavar="GRAPH",
    multiple=True,
    help="Keep contests stated in this named graph; repeatable.",
)
@_json_option
@with_graph(read_only=True)
def contested_command(graph: DiploGraph, graphs: tuple[str, ...], as_json: bool) -> None:
    """Claims that contest or contradict other claims, with who said each."""
    found = analysis.contested(graph, filters=Filters.of(graphs=graphs))

    def text() -> str:
        if not found:
            return "No claim contests or contradicts another."
        return "\n\n".join(
            f"{c.claim_label} ({c.claim_speaker or '?'})\n  {c.relation}\n"
            f"{c.other_label} ({c.other_speaker or '?'})"
            for c in found
        )

    _emit(as_json, [dataclasses.asdict(c) for c in found], text)
