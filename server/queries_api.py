"""The named queries over HTTP: ``/queries`` (the catalogue) and ``/queries/NAME`` (one query).

Every page has machine twins, chosen by URL suffix or by ``Accept``:

- ``/queries`` (HTML) and ``/queries.json`` (or ``Accept: application/json``): the catalogue;
- ``/queries/NAME?param=value`` (HTML): a parameter form (a GET form, so the URL is a bookmark)
  and the result as a table with a label beside each IRI;
- ``/queries/NAME.json``: the result with labels and local links (``application/json``);
- ``.srj``, ``.srx``, ``.csv``, ``.tsv``: standard SPARQL 1.1 results (JSON, XML, CSV, TSV);
- ``.ttl``, ``.nt``, ``.jsonld``: the graph a CONSTRUCT query builds.

Parameter values are parsed by the registry (:meth:`NamedQuery.bind`) and bound as typed RDF
terms; the query runs through :func:`diplograph.server.context.run_query`, the same checks, worker
processes, timeout and result cap as ``/sparql``. A bad value is a 400 naming the parameter (on
the HTML page, next to its field); an unknown query a 404 with close names suggested.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, render_template, request
from rdflib.term import Node

from diplograph.errors import QueryNotFound, QueryParameterError, UnknownEntity, UnsupportedFormat
from diplograph.graph.store.results import QueryResult
from diplograph.queries import NamedQuery, get, parse_value
from diplograph.queries import catalogue as named_queries
from diplograph.queries.run import check_entities
from diplograph.server import urls
from diplograph.server.conditional import conditional, not_modified
from diplograph.server.context import TRUNCATED_HEADER, current_state, run_query, state_key
from diplograph.server.guarded_graph import GuardedGraph, export_graph
from diplograph.server.negotiation import choose_media, prefers_html
from diplograph.server.page_results import PageResult, json_term, run_for_page

bp = Blueprint("queries", __name__)


@dataclass(frozen=True)
class Twin:
    """One representation of a named query's result."""

    key: str
    media_type: str
    result_format: str | None  # the diplograph.formats key the endpoint writes; None: built here
    label: str


TWINS: tuple[Twin, ...] = (
    Twin("html", "text/html", None, "HTML"),
    Twin("json", "application/json", None, "JSON"),
    Twin("srj", "application/sparql-results+json", "json", "SPARQL JSON"),
    Twin("srx", "application/sparql-results+xml", "xml", "SPARQL XML"),
    Twin("csv", "text/csv", "csv", "CSV"),
    Twin("tsv", "text/tab-separated-values", "tsv", "TSV"),
    Twin("ttl", "text/turtle", "turtle", "Turtle"),
    Twin("nt", "application/n-triples", "ntriples", "N-Triples"),
    Twin("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
)
_BY_KEY = {t.key: t for t in TWINS}
#: Twins offered for SELECT/ASK results and for CONSTRUCT/DESCRIBE graphs.
TABLE_TWINS = ("json", "csv", "tsv", "srj", "srx")
GRAPH_TWINS = ("json", "ttl", "nt", "jsonld")


def _negotiate(suffix: str | None, *, keys: tuple[str, ...]) -> Twin:
    """The twin asked for by URL suffix, else by ``Accept`` (HTML when anything goes)."""
    if suffix is not None:
        if suffix not in keys:
            raise UnsupportedFormat(
                f"Unknown format suffix '.{suffix}'; this page is offered as: "
                + ", ".join(f".{k}" for k in keys if k != "html")
                + "."
            )
        return _BY_KEY[suffix]
    offered = [_BY_KEY[k] for k in keys]
    best = choose_media([t.media_type for t in offered])
    return next(t for t in offered if t.media_type == best)


def _split_suffix(name: str) -> tuple[str, str | None]:
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in _BY_KEY and stem:
        return stem, suffix
    return name, None


# -- the catalogue ---------------------------------------------------------------------------


def _catalogue_entry(q: NamedQuery) -> dict[str, Any]:
    entry: dict[str, Any] = q.to_dict()
    entry["url"] = urls.query_url(q.name)
    entry["json_url"] = urls.query_url(q.name, fmt="json")
    entry["example_url"] = urls.query_url(q.name, q.example_params())
    return entry


@bp.get("/queries")
def catalogue() -> Response | str:
    twin = _negotiate(None, keys=("html", "json"))
    if twin.key == "json":
        return catalogue_json()
    tag = request.args.get("tag") or None
    queries = [q for q in catalogue_items() if tag is None or tag in q.tags]
    tags = sorted({t for q in catalogue_items() for t in q.tags})
    html = render_template(
        "queries.html", queries=queries, tags=tags, tag=tag, active_nav="Queries"
    )
    return _vary(Response(html, mimetype="text/html"))


@bp.get("/queries.json")
def catalogue_json() -> Response:
    body = {"queries": [_catalogue_entry(q) for q in catalogue_items()]}
    return _vary(_json(body))


def catalogue_items() -> list[NamedQuery]:
    """The named queries, by title."""
    return sorted(named_queries().values(), key=lambda q: q.title.lower())


# -- one query ---------------------------------------------------------------------------------


@dataclass
class FormState:
    """What the parameter form shows: the values given and the problems found, per field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    submitted: bool = False


def read_params(q: NamedQuery, args: Mapping[str, str]) -> tuple[FormState, dict[str, Node]]:
    """Check the request's parameter values one field at a time (an empty field means "not
    given", so the default applies) and bind them; every problem is kept with its field."""
    state = FormState(submitted=bool(args))
    declared = {p.name for p in q.params}
    for key in args:
        if key not in declared:
            known = ", ".join(sorted(declared)) or "none"
            state.general.append(
                f"Query {q.name!r} has no parameter {key!r}; its parameters are: {known}."
            )
    given: dict[str, str] = {}
    for p in q.params:
        raw = args.get(p.name, "")
        state.values[p.name] = raw
        if raw == "":
            if p.required and p.default is None and state.submitted:
                state.errors[p.name] = f"parameter {p.name!r} is required (a {p.type})."
            continue
        try:
            parse_value(p, raw)
        except QueryParameterError as exc:
            state.errors[p.name] = str(exc)
            continue
        given[p.name] = raw
    if state.errors or state.general:
        return state, {}
    try:
        return state, q.bind(given)
    except QueryParameterError as exc:  # a required parameter not given on a first visit
        if state.submitted:
            state.general.append(str(exc))
        return state, {}


def check_known(q: NamedQuery, state: FormState, bindings: dict[str, Node]) -> dict[str, Node]:
    """``bindings``, or none with the problem kept on its field when a parameter names an
    entity the store does not hold (the query would give no rows, silently)."""
    try:
        check_entities(export_graph(), q, bindings, key=current_state().graph)
    except UnknownEntity as exc:
        state.errors[exc.param] = str(exc)
        return {}
    return bindings


def _run_checked(q: NamedQuery, state: FormState, bindings: dict[str, Node]) -> PageResult | None:
    """The result for the page, the query run in one round with the checks of the entities its
    parameters name (:func:`~diplograph.queries.run.check_entities`); None, with the problem
    kept on its field, when one is unknown."""

    def run(graph: GuardedGraph, sparql: str, values: Mapping[str, Node]) -> QueryResult:
        key = current_state().graph
        found = check_entities(graph, q, values, key=key, then=(sparql, values))
        assert found is not None  # the query's own result
        return found

    try:
        return run_for_page(q.text, bindings, run)
    except UnknownEntity as exc:
        state.errors[exc.param] = str(exc)
        return None


def _ready(q: NamedQuery, state: FormState) -> bool:
    """Whether the query can run: no problem, and every required parameter has a value."""
    if state.errors or state.general:
        return False
    return all(
        not p.required or p.default is not None or state.values.get(p.name) for p in q.params
    )


@bp.get("/queries/<path:name>")
def query(name: str) -> Response:
    stem, suffix = _split_suffix(name)
    if suffix is not None and stem not in named_queries() and name in named_queries():
        stem, suffix = name, None
    try:
        q = get(stem)
    except QueryNotFound as exc:
        if suffix is None and prefers_html():
            return _not_found_page(stem, exc)
        raise
    twin = _negotiate(suffix, keys=tuple(_BY_KEY))
    state, bindings = read_params(q, request.args)
    tag = _etag(q, twin)  # never given with an unknown entity (a 400): checked below
    cached = not_modified(tag, vary=True)
    if cached is not None:
        return cached
    html_ready = twin.key == "html" and _ready(q, state)
    if bindings and not html_ready:
        bindings = check_known(q, state, bindings)
    if twin.key != "html":
        if state.errors or state.general or not _ready(q, state):
            raise QueryParameterError(_first_problem(q, state))
        return conditional(_machine_twin(q, twin, bindings), tag, vary=True)
    result = _run_checked(q, state, bindings) if html_ready else None
    ready = _ready(q, state)
    params_given = {k: v for k, v in state.values.items() if v}
    html = render_template(
        "query.html",
        q=q,
        form=state,
        result=result,
        ready=ready,
        params_given=params_given,
        twins=[_BY_KEY[k] for k in (GRAPH_TWINS if result and result.is_graph else TABLE_TWINS)],
        editor_link=urls.editor_url(q.editable(bindings)),
        example_url=urls.query_url(q.name, q.example_params()) if q.example_params() else None,
        active_nav="Queries",
    )
    if state.errors or state.general:
        return _vary(Response(html, status=400, mimetype="text/html"))
    return conditional(Response(html, mimetype="text/html"), tag, vary=True)


def _etag(q: NamedQuery, twin: Twin) -> str:
    """An entity tag that changes with the store (its generation), the server process, the
    query, the representation and the parameters."""
    return state_key(q.name, q.text, twin.key, sorted(request.args.items(multi=True)))


def _first_problem(q: NamedQuery, state: FormState) -> str:
    if state.general:
        return state.general[0]
    if state.errors:
        return next(iter(state.errors.values()))
    missing = [
        p for p in q.params if p.required and p.default is None and not state.values.get(p.name)
    ]
    p = missing[0]
    example = f" (for example {p.name}={p.example})" if p.example else ""
    return f"Query {q.name!r} needs parameter {p.name!r}, a {p.type}{example}."


def _not_found_page(name: str, exc: QueryNotFound) -> Response:
    names = list(named_queries())
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    suggestions = [
        {"label": named_queries()[n].title + f" ({n})", "url": urls.query_url(n)} for n in close
    ]
    suggestions.append({"label": "All named queries", "url": urls.catalogue_url()})
    html = render_template(
        "error.html",
        status=404,
        title="No such named query",
        error=str(exc),
        suggestions=suggestions,
    )
    return Response(html, status=404, mimetype="text/html")


def _machine_twin(q: NamedQuery, twin: Twin, bindings: dict[str, Node]) -> Response:
    if twin.result_format is not None:
        body, _fmt, headers = run_query(q.text, fmt=twin.result_format, bindings=bindings)
        resp = Response(body, headers=headers)
        if twin.key in ("csv", "tsv"):
            resp.headers["Content-Disposition"] = f'inline; filename="{q.name}.{twin.key}"'
        return resp
    result = run_for_page(q.text, bindings)
    payload = {
        "query": {"name": q.name, "title": q.title, "url": urls.query_url(q.name)},
        "params": {k: json_term(v, {}) for k, v in bindings.items()},
        "columns": result.columns,
        "rows": [
            {
                c: json_term(t, result.labels)
                for c, t in zip(result.columns, row, strict=True)
                if t is not None
            }
            for row in result.rows
        ],
        "count": len(result.rows),
        "truncated": result.truncated,
        "ms": result.ms,
        "editor_url": urls.editor_url(q.editable(bindings)),
    }
    if result.boolean is not None:
        payload["boolean"] = result.boolean
    resp = _json(payload)
    if result.truncated:
        resp.headers[TRUNCATED_HEADER] = "true"
    return resp


def _json(body: object) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2) + "\n", mimetype="application/json"
    )


def _vary(resp: Response) -> Response:
    resp.vary.add("Accept")
    return resp
