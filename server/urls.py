"""Every URL the server's pages link to, built in one place.

Templates and JavaScript never concatenate paths: they call these helpers (registered as Jinja
globals by :func:`register`) or read the values they put in the page.

- :func:`resource_url`: where an IRI is shown. Data IRIs minted by :mod:`diplograph.iri`
  under ``https://w3id.org/diplograph/id/`` resolve on this server at ``/id/…`` (the linked-data
  pages); any other IRI links to itself.
- :func:`query_url`: a named query's page or one of its twins (``.json``, ``.csv`` …), with its
  parameters in the query string (a bookmarkable URL).
- :func:`editor_url`: the query editor, optionally opened on a query.
- :func:`nav`: the header navigation.

:func:`register` installs them (and the template tests ``iri`` and ``bnode``) on the app, once, in
:func:`~diplograph.server.app.create_app`. Every blueprint is always registered, so the endpoints
named here always exist (a test checks each :data:`NAV` entry).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from flask import Flask, current_app, has_app_context, has_request_context, request, url_for
from markupsafe import Markup, escape
from rdflib import BNode, URIRef
from rdflib.term import Node

from diplograph.errors import NotFound
from diplograph.iri import GRAPH, ID, ONTOLOGY, ONTOLOGY_IRI, is_valid_iri, shorten

#: The path under which this server answers for data IRIs (``ID`` base → ``/id/``).
LOCAL_ID_PATH = "/id/"

#: Header navigation: label and endpoint of each page.
NAV: tuple[tuple[str, str], ...] = (
    ("Query", "ui.index"),
    ("Queries", "queries.catalogue"),
    ("Browse", "lists.index"),
    ("Ontology", "ontology.docs"),
    ("Graph", "export.graph"),
    ("Extract", "extract.page"),
)

# characters left as they are in a path segment (RFC 3986 pchar, plus "/" between segments)
_PATH_SAFE = "/:@-._~!$&'()*+,;="


def _root() -> str:
    """The path the app is mounted under (``SCRIPT_NAME``), empty at the server root."""
    return request.script_root if has_request_context() else ""


#: Host names that always name this server: loopback.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def public_base() -> str:
    """The server's absolute URL (no trailing slash) for descriptions, VoID and documents.

    The ``public_url`` setting when set. Otherwise the request's own scheme and host, but only
    when its ``Host`` names this server (a loopback name or the ``host`` setting): any other Host
    header is never reflected, and ``http://<host>:<port>`` of the settings is used instead.
    """
    values = current_app.extensions["diplograph"].settings
    public = values.get("public_url")
    if public:
        return str(public).rstrip("/")
    configured = str(values.get("host") or "").strip("[]").lower()
    try:
        given = urlsplit("//" + request.host)
        name, _ = given.hostname, given.port  # .port raises ValueError on a bad port
    except ValueError:
        name = None
    if name is not None and name in (*LOOPBACK_NAMES, configured):
        return request.host_url.rstrip("/")
    host = configured if configured not in ("", "0.0.0.0", "::") else "127.0.0.1"
    return f"http://{f'[{host}]' if ':' in host else host}:{values.get('port')}"


def local_id_base() -> str:
    """The local path prefix that stands for the data base IRI, e.g. ``/id/``."""
    return _root() + LOCAL_ID_PATH


def data_base() -> str:
    """The base IRI of the data: the ``id_base`` setting of the running app, else :data:`ID`."""
    if has_app_context():
        state = current_app.extensions.get("diplograph")
        base = getattr(state, "settings", {}).get("id_base") if state is not None else None
        if base:
            return str(base)
    return str(ID)


def is_data_iri(iri: str) -> bool:
    """True for IRIs under the data base ``https://w3id.org/diplograph/id/``."""
    base = data_base()
    return iri.startswith(base) and len(iri) > len(base)


def resource_url(iri: str) -> str:
    """The URL to link an IRI to: the local page of a data IRI, else the IRI itself.

    >>> resource_url("https://w3id.org/diplograph/id/state/russia")
    '/id/state/russia'
    >>> resource_url("http://www.w3.org/2004/02/skos/core#Concept")
    'http://www.w3.org/2004/02/skos/core#Concept'
    """
    base = data_base()  # is_data_iri, with the base read once (a page links hundreds of IRIs)
    if iri.startswith(base) and len(iri) > len(base):
        return local_id_base() + quote(iri[len(base) :], safe=_PATH_SAFE)
    local = ontology_term_url(iri) or named_graph_url(iri)
    return local if local is not None else iri


# -- linked data (server/resources.py, server/ontology_docs.py) ------------------------------


def data_path(iri: str) -> str:
    """The path of a data IRI below the data base (``state/russia``)."""
    return iri[len(data_base()) :]


def data_iri(path: str) -> str:
    """The data IRI of a path below ``/id/`` (the inverse of :func:`data_path`).

    A path that cannot be part of an IRI (``<``, quotes, spaces...) names no resource: 404.
    """
    iri = data_base() + path
    if not is_valid_iri(iri):
        raise NotFound(f"There is no resource at {path!r}: it is not a valid IRI path.")
    return iri


def page_url(iri: str) -> str:
    """The HTML page of a data IRI (``/page/state/russia``)."""
    return _root() + "/page/" + quote(data_path(iri), safe=_PATH_SAFE)


def data_url(iri: str, suffix: str = "") -> str:
    """The data document of a data IRI, negotiated or with a suffix (``.ttl``, ``.json``)."""
    return _root() + "/data/" + quote(data_path(iri), safe=_PATH_SAFE) + suffix


def picture_url(iri: str) -> str:
    """A small SVG picture of the neighbourhood of a data IRI."""
    return _root() + "/picture/" + quote(data_path(iri), safe=_PATH_SAFE) + ".svg"


def class_url(name: str, **params: Any) -> str:
    """The page listing the instances of ontology class ``name`` (``/class/State``)."""
    return url_for("lists.class_page", name=name, **params)


def list_url(predicate: str, value: str) -> str:
    """The page listing the resources with ``predicate`` ``value`` (incoming links)."""
    return url_for("lists.listing", p=predicate, o=value)


def named_graph_url(iri: str) -> str | None:
    """Where this server describes a named graph IRI (``/graph/article/article-001``); None for
    another IRI or outside a request."""
    if not has_request_context():
        return None
    if iri.startswith(str(GRAPH)) and len(iri) > len(str(GRAPH)):
        return url_for("resources.named_graph", path=iri[len(str(GRAPH)) :])
    return None


def ontology_term_url(iri: str) -> str | None:
    """Where this server documents an ontology IRI (``/ontology#Claim``); None for another IRI
    or outside a request."""
    if not has_request_context():
        return None
    if iri == str(ONTOLOGY_IRI) or iri == str(ONTOLOGY):
        return url_for("ontology.docs")
    if iri.startswith(str(ONTOLOGY)) and len(iri) > len(str(ONTOLOGY)):
        return url_for("ontology.docs") + "#" + quote(iri[len(str(ONTOLOGY)) :], safe="")
    return None


#: URL suffixes of a named query's twins, keyed by the format key used in :mod:`.queries_api`.
QUERY_SUFFIXES: Mapping[str, str] = {
    "json": ".json",
    "csv": ".csv",
    "tsv": ".tsv",
    "srj": ".srj",
    "srx": ".srx",
    "ttl": ".ttl",
    "nt": ".nt",
    "jsonld": ".jsonld",
}


def query_url(name: str, params: Mapping[str, str] | None = None, fmt: str | None = None) -> str:
    """The page of named query ``name`` (or its ``fmt`` twin) with ``params`` in the query
    string; empty values are left out so that defaults apply."""
    args = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    path = name + (QUERY_SUFFIXES[fmt] if fmt else "")
    values: dict[str, Any] = dict(args)
    return url_for("queries.query", name=path, **values)


def catalogue_url(fmt: str | None = None) -> str:
    """The catalogue page, or its JSON twin for ``fmt="json"``."""
    return url_for("queries.catalogue_json") if fmt == "json" else url_for("queries.catalogue")


def editor_url(sparql: str | None = None) -> str:
    """The query editor, opened on ``sparql`` when given."""
    base = url_for("ui.index")
    return f"{base}?{urlencode({'query': sparql})}" if sparql else base


def home_url() -> str:
    """The site's home page: the query editor."""
    return url_for("ui.index")


def sparql_endpoint_url() -> str:
    """The SPARQL protocol endpoint the editor sends its queries to."""
    return url_for("sparql.query")


def curie(iri: str) -> str:
    """An IRI as shown on a page: :func:`diplograph.iri.shorten`, as on the CLI and in exports.

    >>> curie("https://w3id.org/diplograph/id/state/russia")
    'id:state/russia'
    """
    return shorten(iri)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    endpoint: str


def nav() -> list[NavItem]:
    """The header navigation: each entry of :data:`NAV`."""
    return [NavItem(label, url_for(endpoint), endpoint) for label, endpoint in NAV]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term(t: Node | None, labels: Mapping[Any, str]) -> Markup:
    """An RDF term on a page (the templates' ``term``): an IRI linked through
    :func:`resource_url` with its label (from ``labels``) and CURIE, a blank node, or a literal
    with its language or datatype; every value escaped. Written in Python, not as a macro: a
    resource's page shows hundreds of terms.

    >>> from rdflib import XSD, Literal
    >>> str(term(Literal("1945", datatype=XSD.gYear), {}))
    '<span class="term-literal">1945</span><span class="term-meta">xsd:gYear</span>'
    """
    if t is None:
        return Markup('<span class="unbound">—</span>')
    if isinstance(t, URIRef):
        label = labels.get(t)
        shown = f'<span class="term-label">{escape(label)}</span>' if label is not None else ""
        return Markup(
            f'<a href="{escape(resource_url(t))}" title="{escape(t)}">{shown}'
            f'<span class="term-iri">{escape(curie(t))}</span></a>'
        )
    if isinstance(t, BNode):
        return Markup(f'<span class="term-bnode">_:{escape(t)}</span>')
    out = f'<span class="term-literal">{escape(t)}</span>'
    language = getattr(t, "language", None)
    datatype = getattr(t, "datatype", None)
    if language:
        out += f'<span class="term-meta">@{escape(language)}</span>'
    elif datatype and str(datatype) != _XSD_STRING:
        out += f'<span class="term-meta">{escape(curie(datatype))}</span>'
    return Markup(out)


def _is_iri(term: object) -> bool:
    return isinstance(term, URIRef)


def _is_bnode(term: object) -> bool:
    return isinstance(term, BNode)


def register(app: Flask) -> None:
    """Make these helpers available to every template, and the tests ``iri`` and ``bnode``."""
    app.jinja_env.tests.update(iri=_is_iri, bnode=_is_bnode)
    app.jinja_env.globals.update(
        resource_url=resource_url,
        query_url=query_url,
        catalogue_url=catalogue_url,
        editor_url=editor_url,
        home_url=home_url,
        sparql_endpoint_url=sparql_endpoint_url,
        nav=nav,
        is_data_iri=is_data_iri,
        curie=curie,
        page_url=page_url,
        data_url=data_url,
        picture_url=picture_url,
        class_url=class_url,
        list_url=list_url,
        term=term,
    )
