"""The query editor at ``/``: write SPARQL, run it against ``/sparql``, see the rows.

The page carries everything its script (``static/js/editor.js``) needs: the endpoint URL, the data
IRI base and the local path it maps to (from :mod:`.urls`), the project's prefixes (already
declared in the editor's first query) and the named queries as examples, each with its example
parameters bound as a ``VALUES`` block. The editor is CodeMirror 5 with its SPARQL mode, vendored
under ``static/vendor/codemirror`` (no CDN: it works offline). No inline script or style, so a
Content-Security-Policy without ``'unsafe-inline'`` works.

``/?query=…`` opens the editor on a query and runs it (how "view and edit SPARQL" and bookmarks
work). :func:`editor_page` is the view, for the SPARQL endpoint to answer browsers with.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from rdflib.term import Node

from diplograph.errors import QueryParameterError
from diplograph.iri import ID, prologue
from diplograph.ontology.namespace import PREFIXES
from diplograph.queries import NamedQuery, catalogue
from diplograph.server import urls

bp = Blueprint("ui", __name__)

EXAMPLE_BODY = """\
# Claims: who made them, what kind of act (CAMEO) and what they say. Ctrl+Enter runs the query.
SELECT DISTINCT ?claim ?speaker ?eventType ?date ?paraphrase WHERE {
  ?claim a/rdfs:subClassOf* dg:Claim ;
         dg:speaker ?speaker .
  OPTIONAL { ?claim dg:eventType ?eventType }
  OPTIONAL { ?claim dg:date ?date }
  OPTIONAL { ?claim dg:paraphrase ?paraphrase }
}
ORDER BY ?date ?claim
LIMIT 100
"""


def default_query() -> str:
    """The query the editor opens with: the project's prefixes and a first example."""
    return prologue(aligned=True) + "\n" + EXAMPLE_BODY


def example_sparql(q: NamedQuery) -> str:
    """A named query as an example: its example (or default) values bound as VALUES."""
    values: dict[str, str] = {}
    for p in q.params:
        value = p.example if p.example is not None else p.default
        if value is not None:
            values[p.name] = value
    try:
        bindings: dict[str, Node] = q.bind(values)
    except QueryParameterError:  # a broken example still shows its text
        bindings = {}
    return q.editable(bindings)


def examples() -> list[dict[str, Any]]:
    """The named queries, by title, as editor examples."""
    items = sorted(catalogue().values(), key=lambda q: q.title.lower())
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "sparql": example_sparql(q),
            "url": urls.query_url(q.name, q.example_params()),
        }
        for q in items
    ]


def editor_page(query: str | None = None) -> Response:
    """The editor page, opened on ``query`` (else on the default query)."""
    html = render_template(
        "index.html",
        query=query or default_query(),
        examples=examples(),
        prefixes=PREFIXES,
        endpoint=urls.sparql_endpoint_url(),
        id_base=str(ID),
        local_id_base=urls.local_id_base(),
        active_nav="Query",
    )
    return Response(html, mimetype="text/html")


@bp.get("/")
def index() -> Response:
    return editor_page(request.args.get("query") or None)
