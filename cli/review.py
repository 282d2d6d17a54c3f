"""``diplograph review DRAFT.yaml [-o REVIEWED.yaml]``: review drafted claims on the terminal.

Walks the claims still ``review: pending`` one by one, showing the sentence it was coded from
(its ``span``) in its context, the rule that coded it, speaker, targets, event type and date;
keys: ``a`` accept, ``e`` edit a field (speaker and targets with the file's and the store's
entities as suggestions), ``r`` reject, ``n`` next (leave it pending), ``s`` save and quit, ``q``
quit without saving. Reaching the end saves. The reviewed file is written atomically (the draft
itself unless ``-o``), keeping the draft's header, then checked like any record file; what the
check finds is printed, and ``diplograph ingest`` refuses the file until it is put right.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from diplograph.cli.base import atomic_output, cli, open_store_or_none
from diplograph.errors import ClaimError, DiplographError
from diplograph.graph.records.drafts import EDITABLE, DraftFile, entity_suggestions
from diplograph.graph.records.review import ACCEPTED, PENDING, REJECTED

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph

_KEYS = {
    "a": "accept",
    "e": "edit",
    "r": "reject",
    "n": "next",
    "s": "save & quit",
    "q": "quit without saving",
}


def _code_label(code: object) -> str:
    from diplograph.ontology.codes import cameo_codes

    found = cameo_codes().get(str(code))
    if found is None:
        return f"{code} (not a CAMEO code)"
    plover = f", PLOVER {found.plover}" if found.plover else ""
    return f"{code} {found.label}{plover}"


def _show(draft: DraftFile, claim: dict[str, Any], n: int, total: int) -> None:
    rule = f"  rule: {claim['rule']}" if claim.get("rule") else ""
    click.echo(f"\n── claim {claim.get('id')} ({n} of {total} pending){rule}")
    context = draft.context(claim)
    if context is None:
        click.echo("  (no span: the sentence it was coded from is not known)")
        click.echo(textwrap.fill(str(claim.get("paraphrase", "")), 96, initial_indent="  "))
    else:
        before, span, after = context
        start, end = claim["span"]
        before = f"…{before}" if len(before) < start else before
        after = f"{after}…" if end + len(after) < len(draft.article_text) else after
        shown = before + click.style(f"[{span}]", bold=True) + after
        click.echo(textwrap.fill(" ".join(shown.split()), 96, initial_indent="  "))
    targets = claim.get("targets") or []
    targets = targets if isinstance(targets, list) else [targets]
    click.echo(f"  speaker: {draft.name_of(claim.get('speaker'))}")
    click.echo(f"  targets: {', '.join(draft.name_of(t) for t in targets) or '(none)'}")
    click.echo(f"  type:    {_code_label(claim.get('event_type'))}")
    click.echo(f"  date:    {claim.get('date', 'unknown')}")


def _reference(draft: DraftFile, typed: str, graph: DiploGraph | None) -> str | None:
    """What a typed name stands for: an id of the file or an IRI path as is, else the
    suggestion the reviewer picks (by number)."""
    typed = typed.strip()
    if typed in draft.entities or "/" in typed:
        return typed
    found = entity_suggestions(draft, typed, graph)
    if not found:
        click.echo(f"  Nothing matches {typed!r}: give an entity id of the file or an IRI path.")
        return None
    for i, (ref, label) in enumerate(found, 1):
        click.echo(f"  {i}. {ref} ({label})")
    pick = click.prompt("  Number", type=click.IntRange(1, len(found)), default=1)
    return found[pick - 1][0]


def _edit(draft: DraftFile, claim: dict[str, Any], graph: DiploGraph | None) -> None:
    for name, what in EDITABLE.items():
        click.echo(f"  {name}: {what}")
    name = click.prompt("  Field", type=click.Choice(list(EDITABLE)), show_choices=False)
    if name in ("speaker", "targets"):
        typed = click.prompt("  Name(s), separated by commas" if name == "targets" else "  Name")
        refs = [_reference(draft, t, graph) for t in typed.split(",") if t.strip()]
        if not refs or any(r is None for r in refs):
            return
        value = ", ".join(r for r in refs if r is not None)
    else:
        value = click.prompt(f"  {name}", default=str(claim.get(name, "unknown")))
    try:
        draft.set_field(str(claim["id"]), name, value)
    except ClaimError as exc:
        click.echo(f"  {exc}")


def _walk(draft: DraftFile, graph: DiploGraph | None) -> bool:
    """Review the pending claims; True to save."""
    pending = draft.pending()
    i = 0
    while i < len(pending):
        claim = pending[i]
        _show(draft, claim, i + 1, len(pending))
        menu = "  ".join(f"[{k}] {v}" for k, v in _KEYS.items())
        key = click.prompt(menu, type=click.Choice(list(_KEYS)), show_choices=False)
        if key in ("a", "r"):
            draft.set_review(str(claim["id"]), ACCEPTED if key == "a" else REJECTED)
            i += 1
        elif key == "n":
            i += 1
        elif key == "e":
            _edit(draft, claim, graph)
        elif key == "s":
            return True
        elif click.confirm("Quit without saving the review?", default=False):
            return False
    return True


def _check(path: Path, graph: DiploGraph | None) -> None:
    from diplograph.graph.records import KnownIn, load_records

    try:
        load_records(path, known=KnownIn(graph) if graph is not None else None)
    except DiplographError as exc:
        click.echo(f"Check of the reviewed file: {exc}", err=True)


@cli.command("review")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the reviewed file here (default: over the draft).",
)
@click.pass_context
def review_command(ctx: click.Context, draft: Path, output: Path | None) -> None:
    """Review the drafted claims of DRAFT (review: pending) one by one: accept, edit, reject."""
    reviewed = DraftFile.read(draft)
    if not reviewed.pending():
        click.echo(f"{draft}: no claim is pending review; nothing to do.")
        return
    graph = open_store_or_none(ctx, "Suggesting the file's own entities only.")
    try:
        if not _walk(reviewed, graph):
            click.echo("Nothing was written.")
            return
        target = output or draft
        with atomic_output(target) as fh:
            fh.write(reviewed.text().encode("utf-8"))
        n = reviewed.counts()
        click.echo(
            f"{target}: {n[ACCEPTED]} accepted, {n[REJECTED]} rejected, {n[PENDING]} pending."
        )
        _check(target, graph)
    finally:
        if graph is not None:
            graph.close()


__all__ = ["review_command"]
