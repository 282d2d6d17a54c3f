"""``diplograph extract ARTICLE.txt [-o draft.yaml] [--accept]``: draft claim records from an
article with the event coder; ``diplograph eval-extract --gold FILE [--records FILE.yaml]``:
score the coder (``docs/extract.md``).

``extract`` reads the store's actors when it can open the store (read-only), else only the
bundled Phoenix dictionaries (with a warning). Bad input (empty, binary, too large) is exit 2 with
a message saying why; a text with nothing to draft (not English, no known actor) writes nothing
and says so (exit 2). ``--accept`` loads the draft into the store at once, its claims marked
``dg:machineCoded true`` (sent to the running server when one holds the store).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click
import yaml

from diplograph.cli.base import (
    atomic_output,
    cli,
    open_store,
    open_store_or_none,
    store_url,
    with_progress,
)
from diplograph.cli.served import write
from diplograph.errors import Problem


@cli.command("extract")
@click.argument("article", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the draft here (default: standard output).",
)
@click.option("--id", "slug", default=None, help="The article id (default: the file's stem).")
@click.option(
    "--accept",
    is_flag=True,
    help="Ingest the draft into the store now, claims marked machine-coded.",
)
@click.option(
    "--date",
    "date",
    default=None,
    metavar="YYYY-MM-DD",
    help="The article's publication day, if known: picks the roles, posts and states of that "
    "day, resolves relative dates ('on Saturday') against it, and is written as the article's "
    "date. Without it relative dates stay undated.",
)
@with_progress("extract")
@click.pass_context
def extract_command(
    ctx: click.Context,
    article: Path,
    output: Path | None,
    slug: str | None,
    accept: bool,
    date: str | None,
) -> None:
    """Draft claim records (YAML) from a news article in plain text."""
    from diplograph.graph.extract import ExtractError, draft_yaml, extract
    from diplograph.server import discovery

    served = accept and discovery.find(store_url(ctx))[0] is not None
    graph = (
        open_store(ctx, read_only=served)
        if accept
        else open_store_or_none(ctx, "Coding with the bundled dictionaries only.")
    )
    try:
        draft = extract(article, graph=graph, slug=slug, date=date)
    finally:
        if graph is not None:
            graph.close()  # closed before --accept writes: a direct write opens it again
    for warning in draft.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if not draft.claims:
        raise ExtractError(
            [Problem(str(article), "has no event-bearing sentence the coder could code.")],
            summary=f"{article}: nothing to draft; no file was written.",
        )
    text = draft_yaml(draft, source=str(article))
    if output is not None:
        with atomic_output(output) as fh:
            fh.write(text.encode("utf-8"))
        click.echo(f"{len(draft.claims)} draft claim(s) written to {output}.", err=True)
    elif not accept:
        click.echo(text, nl=False)
    if accept:
        with tempfile.TemporaryDirectory() as tmp:
            path = output or Path(tmp) / f"{draft.records['article']['id']}.yaml"
            if output is None:
                path.write_text(text, encoding="utf-8")
            done = write(ctx, "accept", {"file": str(path), "origin": str(article)})
        click.echo(
            f"{len(draft.claims)} machine-coded claim(s), {done['triples']} triples into "
            f"<{done['graph']}>."
        )


class _Anything:
    """References to other sources are not scored: any is taken as known."""

    def __contains__(self, node: object) -> bool:
        return True


_ANY = _Anything()


def _record_claims(path: Path) -> list[dict[str, Any]]:
    """The claims of a record file with speakers and targets as full IRIs (the unnamed author
    of any article as ``author``), and their dates."""
    from diplograph.graph.extract.output import loadable
    from diplograph.graph.records import load_records

    with loadable(path) as readable:
        records = load_records(readable, location=str(path), known=_ANY)
        data = yaml.safe_load(readable.read_text(encoding="utf-8"))
    authors = {k for k, e in data["entities"].items() if e.get("type") == "Author"}

    def ref(local: str) -> str:
        return "author" if local in authors else str(records.ref(local))

    out = []
    for c in data["claims"]:
        targets = c.get("targets", [])
        when = c.get("date")
        out.append(
            {
                "speaker": ref(c["speaker"]),
                "event_type": str(c["event_type"]),
                "targets": [ref(t) for t in (targets if isinstance(targets, list) else [targets])],
                "date": str(when) if when not in (None, "unknown") else None,
            }
        )
    return out


@cli.command("eval-extract")
@click.option(
    "--gold",
    "gold",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Gold-standard records in the PLOVER JSON format.",
)
@click.option(
    "--records",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Also score the draft of this claim-record file's article against its hand-written "
    "claims (repeatable: every article shipped with hand-written claims).",
)
@click.option(
    "--save",
    "save",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the tables into this Markdown file's extract section (bench/RESULTS.md).",
)
def eval_extract_command(gold: Path, records: tuple[Path, ...], save: Path | None) -> None:
    """Score the event coder: precision, recall, F1 for event type, source and target.

    Prints a table per gold file and, last, one line: event F1 ..., source F1 ..., target F1 ...
    """
    from diplograph.graph.extract.evaluate import save_section, score_gold, table

    out: list[str] = []

    for path in records:
        out.append(_score_article(path))
    scores_gold, n = score_gold(gold)
    out.append(table(f"{gold.name}: PLOVER gold standard", scores_gold, n))
    if save is not None:
        from diplograph.graph.extract import CODER_VERSION

        save_section(save, _results(out, CODER_VERSION))
    click.echo("\n\n".join(out))


def _score_article(records: Path) -> str:
    """The table of one article's draft against its hand-written claims."""
    from diplograph.graph.extract import draft_yaml
    from diplograph.graph.extract.draft import draft_article
    from diplograph.graph.extract.evaluate import score_records, table
    from diplograph.graph.extract.text import parse_article
    from diplograph.graph.load.build import build
    from diplograph.graph.records import article_source, load_records
    from diplograph.graph.store import open_graph

    loaded = load_records(records, known=_ANY)
    text = loaded.text
    if text.split("\n", 1)[0].strip() != loaded.title:  # the coder reads a title line first
        text = f"{loaded.title}\n{text}"
    with open_graph("memory:") as g:
        # the graph's actors are the records' own entities (with the ontology and codes)
        build(g, parts=("ontology", "codes"))
        g.replace_graph(*article_source(records, known=_ANY))
        draft = draft_article(parse_article(text), slug=f"{loaded.slug}-draft", graph=g)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.yaml"
        path.write_text(draft_yaml(draft, source=str(records)), encoding="utf-8")
        scores = score_records(_record_claims(path), _record_claims(records))
    return table(f"{records.name}: draft vs hand-written claims", scores, len(loaded.claims))


def _results(tables: list[str], version: str) -> str:
    from datetime import UTC, datetime

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Event coder: article text to claims (`make eval-extract`)",
        "",
        f"{version}, {when}. Precision, recall and F1 of `diplograph eval-extract` "
        "(method and what fails: `docs/extract.md`).",
        "",
    ]
    for t in tables:
        title, _, rest = t.partition("\n")
        lines += [f"### {title}", rest.strip(), ""]
    return "\n".join(lines)


__all__ = ["eval_extract_command", "extract_command"]
