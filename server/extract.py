"""The review page ``/extract``: an article's text to drafted claims, reviewed in the browser.

- ``GET /extract``: the page (script ``static/js/extract.js``): paste or upload a text, with its
  title and publication date if known; the draft's claims are listed with their spans
  highlighted in the text (when the coder gives ``span``) and speaker, targets, type, date and
  review state as fields, the graph's entities as suggestions.
- ``POST /extract/draft``: JSON ``{"text", "title"?, "date"?, "id"?}`` (or a form with the text or
  an uploaded ``file``; a ``.yaml`` file is a draft to review, opened as it is) → the draft:
  ``{"yaml", "article", "entities", "claims", "warnings"}``, every claim ``review: pending``
  (the event coder of :mod:`diplograph.graph.extract`). A text
  over the ``extract_max_bytes`` setting is 413; one the coder cannot read (empty, binary, not a
  day as date, nothing to draft) 422, each with a JSON body.
- ``POST /extract/review``: ``{"yaml", "claims": [{"id", "speaker"?, "targets"?, "event_type"?,
  "date"?, "review"?}]}`` → ``{"yaml", "filename", "counts", "problems"}``: the reviewed file
  (:class:`~diplograph.graph.records.drafts.DraftFile`) and what the record checks find in it
  against the store.
- ``GET /extract/claim-records.schema.json``: the JSON Schema the drafts made here point at.
- ``GET /extract/entities?q=...``: ``{"suggestions": [{"ref", "label"}]}``, the store's actors
  named like the text, from the search index (:mod:`diplograph.graph.search`, as ``/search``).
- ``POST /extract/ingest``: with the update token (``Authorization: Bearer``), ``{"yaml",
  "accept_machine_coded"?, "replace"?}`` → the same validated ingest as ``diplograph ingest``
  (:func:`diplograph.graph.load.articles.ingest_records`): 200 with the graph and triple count,
  or 422 with every problem and nothing written.

Every query goes through the guarded executor (:mod:`.guarded_graph`; the search index is built
through it too); the one write, through the executor's single writer.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date as _date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from diplograph import iri
from diplograph.errors import Problem, ValidationError
from diplograph.graph.records.drafts import EDITABLE, DraftFile, entity_suggestions
from diplograph.server.context import current_state
from diplograph.server.guarded_graph import export_graph, page_graph, writer_graph
from diplograph.server.sparql import authorise_update

bp = Blueprint("extract", __name__)

#: Where the drafts made here say they come from (the draft header's "from ...").
SOURCE = "text pasted on the /extract page"


def _problems(status: int, error: str, problems: list[str] | None = None) -> Response:
    body: dict[str, Any] = {"error": error, "status": status, "problems": problems or []}
    response = jsonify(body)
    response.status_code = status
    return response


def _refused(exc: ValidationError, hide: str = "") -> Response:
    """A validation error as 422 JSON, every problem a line (temporary folders left out)."""
    lines = [str(p).replace(hide, "") for p in exc.problems]
    return _problems(422, str(exc).split("\n", 1)[0].replace(hide, ""), lines)


def _json() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError([Problem("request", "the body must be a JSON object.")])
    return body


@bp.get("/extract", endpoint="page")
def page() -> Response:
    from diplograph.ontology.codes import cameo_codes

    html = render_template(
        "extract.html",
        codes=sorted(cameo_codes().values(), key=lambda c: c.code),
        max_bytes=current_state().settings["extract_max_bytes"],
        update_enabled=current_state().update_enabled,
        active_nav="Extract",
    )
    return Response(html, mimetype="text/html")


def _article_input() -> tuple[str, dict[str, str]]:
    """The text and the fields (title, date, id) of a draft request, JSON or form."""
    if request.is_json:
        body = _json()
        fields = {k: str(body.get(k) or "").strip() for k in ("title", "date", "id")}
        return str(body.get("text") or ""), fields
    fields = {k: (request.form.get(k) or "").strip() for k in ("title", "date", "id")}
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read()
        if upload.filename.endswith((".yaml", ".yml")):
            fields["draft"] = upload.filename  # a draft to review, not a text to code
        try:
            return data.decode("utf-8-sig"), fields
        except UnicodeDecodeError:
            raise ValidationError(
                [Problem(upload.filename, "is not UTF-8 text; save it as UTF-8.")]
            ) from None
    return request.form.get("text") or "", fields


@bp.post("/extract/draft", endpoint="draft")
def draft() -> Response:
    from diplograph.graph.extract import draft_yaml
    from diplograph.graph.extract.draft import draft_article
    from diplograph.graph.extract.text import parse_article

    try:
        text, fields = _article_input()
    except ValidationError as exc:
        return _refused(exc)
    if not text.strip():
        return _problems(422, "There is no text to code: paste the article or upload its file.")
    limit = current_state().settings["extract_max_bytes"]
    size = len(text.encode("utf-8"))
    if size > limit:
        return _problems(
            413,
            f"The text is {size:,} bytes; this page codes at most {limit:,} "
            "(setting extract_max_bytes). Split the article or use diplograph extract.",
        )
    if "draft" in fields:
        return _opened(text, fields["draft"])
    given = fields["date"] or None
    if given is not None:
        try:
            _date.fromisoformat(given)
        except ValueError:
            return _problems(422, f"{given!r} is not a publication day YYYY-MM-DD that exists.")
    if fields["title"]:
        text = f"{fields['title']}\n{text}"  # the coder reads the first line as the title
    try:
        slug = fields["id"] or iri.slug(text.strip().split("\n", 1)[0])[:60].strip("-")
    except ValueError:  # a first line without letters or digits
        slug = "article"
    if not iri.is_slug(slug):
        return _problems(422, f"{slug!r} is not an article id: lower-case letters, digits, -.")
    try:
        article = parse_article(text, location="the text", max_bytes=limit)
        made = draft_article(article, slug=slug, graph=export_graph(), date=given)
    except ValidationError as exc:
        return _refused(exc)
    if not made.claims:
        return _problems(422, "Nothing to draft.", made.warnings)
    reviewed = DraftFile.parse(draft_yaml(made, source=SOURCE))
    reviewed.mark_drafted()
    # editors read the schema from this server, not from a path on its disk
    schema = url_for("extract.schema", _external=True)
    reviewed.header = re.sub(
        r"(?m)^(# yaml-language-server: \$schema=).*$", rf"\g<1>{schema}", reviewed.header
    )
    return jsonify(_described(reviewed, made.warnings))


@bp.get("/extract/claim-records.schema.json", endpoint="schema")
def schema() -> Response:
    """The JSON Schema of claim-record files, which the drafts made here point at."""
    from diplograph.graph.records import SCHEMA_PATH

    return Response(SCHEMA_PATH.read_bytes(), mimetype="application/schema+json")


def _opened(text: str, name: str) -> Response:
    """A draft file uploaded for review (``diplograph extract -o``): its claims as the page
    shows them; a coder's draft without review states has every claim pending."""
    from diplograph.graph.records.review import coder_of

    try:
        opened = DraftFile.parse(text, name)
    except ValidationError as exc:
        return _refused(exc)
    if coder_of(text) is not None:
        opened.mark_drafted()
    return jsonify(_described(opened, []))


def _described(draft: DraftFile, warnings: list[str]) -> dict[str, Any]:
    from diplograph.ontology.codes import cameo_codes

    codes = cameo_codes()
    claims = []
    for c in draft.claims:
        code = codes.get(str(c.get("event_type")))
        claims.append(
            {
                **{k: c.get(k) for k in ("id", "kind", "paraphrase", "quote", "rule", "span")},
                **{k: c.get(k) for k in EDITABLE},
                "review": c.get("review"),
                "event_label": code.label if code is not None else None,
            }
        )
    article = draft.data.get("article", {})
    return {
        "yaml": draft.text(),
        "article": {k: article.get(k) for k in ("id", "title", "date", "text")},
        "entities": {
            k: {"label": e.get("label"), "type": e.get("type"), "iri": e.get("iri")}
            for k, e in draft.entities.items()
            if isinstance(e, dict)
        },
        "claims": claims,
        "warnings": warnings,
    }


def _filename(draft: DraftFile) -> str:
    """``<article id>.yaml``: how the reviewed file is named (downloads, messages)."""
    article = draft.data.get("article")
    slug = str(article.get("id")) if isinstance(article, dict) else ""
    return f"{slug}.yaml" if iri.is_slug(slug) else "draft.yaml"


@bp.post("/extract/review", endpoint="review")
def review() -> Response:
    from diplograph.graph.records import KnownIn, load_records

    try:
        body = _json()
        draft = DraftFile.parse(str(body.get("yaml") or ""), "the draft")
        edits = body.get("claims") or []
        if not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits):
            raise ValidationError([Problem("claims", "must be a list of objects with an id.")])
        draft.apply(edits)
    except ValidationError as exc:
        return _refused(exc)
    filename = _filename(draft)
    text, problems = draft.text(), []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_text(text, encoding="utf-8")
        try:
            load_records(path, known=KnownIn(page_graph()), location=filename)
        except ValidationError as exc:
            problems = [str(p) for p in exc.problems]
    return jsonify(
        {"yaml": text, "filename": filename, "counts": draft.counts(), "problems": problems}
    )


@bp.get("/extract/entities", endpoint="entities")
def entities() -> Response:
    typed = (request.args.get("q") or "")[:200]
    found = entity_suggestions(
        None, typed, export_graph(), limit=10, key=current_state().graph
    )  # the search index, as /search and the query editor use it
    return jsonify({"suggestions": [{"ref": ref, "label": label} for ref, label in found]})


@bp.post("/extract/ingest", endpoint="ingest")
def ingest() -> Response:
    from diplograph.graph.load.articles import ingest_records

    authorise_update()
    try:
        body = _json()
        draft = DraftFile.parse(str(body.get("yaml") or ""), "the draft")
    except ValidationError as exc:
        return _refused(exc)
    filename = _filename(draft)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_text(str(body["yaml"]), encoding="utf-8")
        try:
            graph, n, notes = ingest_records(
                writer_graph(),
                path,
                replace=bool(body.get("replace")),
                machine_coded=bool(body.get("accept_machine_coded")),
            )
        except ValidationError as exc:
            return _refused(exc, hide=f"{tmp}/")
    return jsonify({"graph": str(graph), "triples": n, "notes": list(notes)})


__all__ = ["bp"]
