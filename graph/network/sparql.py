"""The SPARQL behind each network view: one query per kind of link, run through the store.

Each view function adds edges to a :class:`Builder`; :func:`~diplograph.graph.network.build_view`
then describes the nodes (labels, kinds) and applies the filters. The queries wrap the triple that
makes a link in ``GRAPH ?g`` so that every edge knows the named graph (the source) it came from.
Vocabulary: ``ontology/diplo.ttl`` (dg:Tenure, dg:Membership, dg:Participation,
dg:DiplomaticMission, dg:Rivalry, dg:Claim ...).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from diplograph import formats
from diplograph import iri as iris
from diplograph.graph.describe.labels import LABEL_PATTERN, pick_labels
from diplograph.graph.network.filters import Filters, disjoint, earlier, later
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.terms import to_oxigraph
from diplograph.ontology.schemes import MISSION_STATUS

#: The mission status that means no representation at all (US mission status data, code 9).
NO_MISSION = MISSION_STATUS["None"]

PREFIXES = iris.prologue("dg", "rdf", "rdfs", "skos")

#: Named graphs the full view leaves out unless a graph filter names them.
_NOT_DATA = (
    str(iris.ONTOLOGY_GRAPH),
    str(iris.META_GRAPH),
    str(iris.GRAPH["codes/"]),
    str(iris.GRAPH["shapes"]),
)


@dataclass
class Builder:
    """Collects edges (and their endpoints) before the nodes are described."""

    graph: DiploGraph
    edges: list[tuple[str, str, dict[str, object]]] = field(default_factory=list)

    def add(self, u: str | None, v: str | None, **attrs: object) -> None:
        """An edge from ``u`` to ``v``; blank nodes and missing ends are skipped."""
        if not u or not v or u.startswith("_:") or v.startswith("_:"):
            return
        self.edges.append((str(u), str(v), {k: a for k, a in attrs.items() if a is not None}))


def _s(term: str | None) -> str | None:
    return None if term is None else str(term)


#: One result row: each bound variable's lexical value (an IRI, a literal's text; a blank node
#: as ``_:id``). Plain strings are much cheaper than rdflib terms for views of 100,000s of links.
Row = dict[str, str]


def rows(graph: DiploGraph, sparql: str, **bindings: URIRef) -> list[Row]:
    """Run a SELECT through the store, read back as SPARQL JSON results (the store's own fast
    writer and a C JSON parser, rather than one rdflib term per cell)."""
    data, _ = graph.query_serialized(
        PREFIXES + sparql, formats.get("json"), bindings=dict(bindings) or None
    )
    return [
        {k: ("_:" + c["value"] if c["type"] == "bnode" else c["value"]) for k, c in row.items()}
        for row in json.loads(data)["results"]["bindings"]
    ]


def once(found: list[Row], key: str) -> list[Row]:
    """The first row of each ``key`` (a relation stated in two graphs, or with labels in two
    languages, is still one edge)."""
    seen: set[str] = set()
    out = []
    for r in found:
        if r[key] not in seen:
            seen.add(r[key])
            out.append(r)
    return out


# -- the actors view -------------------------------------------------------------------------
_TENURES = """SELECT ?tenure ?person ?post ?in ?start ?end ?g WHERE {
  GRAPH ?g { ?tenure dg:holder ?person ; dg:ofPost ?post . }
  ?post dg:postIn ?in .
  OPTIONAL { ?tenure dg:startDate ?start } OPTIONAL { ?tenure dg:endDate ?end } }"""
_MEMBERSHIPS = """SELECT ?m ?member ?org ?st ?start ?end ?g WHERE {
  GRAPH ?g { ?m dg:member ?member ; dg:ofOrganization ?org . }
  OPTIONAL { ?m dg:membershipStatus ?st }
  OPTIONAL { ?m dg:startDate ?start } OPTIONAL { ?m dg:endDate ?end } }"""
_ALLIANCES = """SELECT ?p ?state ?a ?start ?end ?g WHERE {
  GRAPH ?g { ?p dg:participant ?state ; dg:ofAgreement ?a . }
  ?a rdf:type/rdfs:subClassOf* dg:Alliance .
  OPTIONAL { ?p dg:startDate ?start } OPTIONAL { ?p dg:endDate ?end } }"""
_MISSIONS = """SELECT ?m ?from ?to ?st ?start ?end ?g WHERE {
  GRAPH ?g { ?m dg:sendingState ?from ; dg:receivingState ?to . }
  OPTIONAL { ?m dg:missionStatus ?st }
  OPTIONAL { ?m dg:startDate ?start } OPTIONAL { ?m dg:endDate ?end } }"""
_RIVALRIES = """SELECT ?r ?a ?b ?start ?end ?g WHERE {
  GRAPH ?g { ?r dg:rival ?a, ?b . FILTER(STR(?a) < STR(?b)) }
  OPTIONAL { ?r dg:startDate ?start } OPTIONAL { ?r dg:endDate ?end } }"""
_GOVERNMENTS = """SELECT ?body ?state ?g WHERE { GRAPH ?g { ?body dg:governmentOf ?state } }"""


def actors(b: Builder) -> None:
    post_labels = _label_map(b.graph, "?t dg:ofPost ?x")
    for r in once(rows(b.graph, _TENURES), "tenure"):
        post = _s(r["post"])
        b.add(
            r["person"],
            r["in"],
            relation="post",
            label=post_labels.get(post or "", "post"),
            post=post,
            iri=_s(r["tenure"]),
            start=_s(r.get("start")),
            end=_s(r.get("end")),
            graph=_s(r["g"]),
        )
    statuses = _label_map(b.graph, "{ ?m dg:membershipStatus ?x } UNION { ?m dg:missionStatus ?x }")
    for r in once(rows(b.graph, _MEMBERSHIPS), "m"):
        status = statuses.get(r.get("st", ""))
        b.add(
            r["member"],
            r["org"],
            relation="membership",
            label=f"member of ({status})" if status else "member of",
            status=status,
            iri=_s(r["m"]),
            start=_s(r.get("start")),
            end=_s(r.get("end")),
            graph=_s(r["g"]),
        )
    _alliances(b)
    for r in once(rows(b.graph, _MISSIONS), "m"):
        if str(r.get("st")) == str(NO_MISSION):  # a spell of "no representation" is not a link
            continue
        status = statuses.get(r.get("st", ""))
        b.add(
            r["from"],
            r["to"],
            relation="mission",
            label=status or "diplomatic mission",
            status=status,
            iri=_s(r["m"]),
            start=_s(r.get("start")),
            end=_s(r.get("end")),
            graph=_s(r["g"]),
        )
    for r in once(rows(b.graph, _RIVALRIES), "r"):
        b.add(
            r["a"],
            r["b"],
            relation="rivalry",
            label="rivalry",
            iri=_s(r["r"]),
            start=_s(r.get("start")),
            end=_s(r.get("end")),
            graph=_s(r["g"]),
        )
    for r in rows(b.graph, _GOVERNMENTS):
        b.add(r["body"], r["state"], relation="government", label="government of", graph=_s(r["g"]))


def _alliances(b: Builder) -> None:
    """An edge between every two states in the same alliance, for the time they share."""
    by_alliance: dict[str, list[Row]] = {}
    for r in once(rows(b.graph, _ALLIANCES), "p"):
        by_alliance.setdefault(str(r["a"]), []).append(r)
    names = _label_map(b.graph, "?p dg:ofAgreement ?x")
    for alliance, members in by_alliance.items():
        members.sort(key=lambda r: (str(r["state"]), str(r["p"])))
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                if x["state"] == y["state"]:
                    continue
                start = later(_s(x.get("start")), _s(y.get("start")))
                end = earlier(_s(x.get("end")), _s(y.get("end")))
                if disjoint(start, end):
                    continue
                b.add(
                    x["state"],
                    y["state"],
                    relation="alliance",
                    label=names.get(alliance, "alliance"),
                    alliance=alliance,
                    start=start,
                    end=end,
                    graph=_s(x["g"]),
                )


# -- the claims view -------------------------------------------------------------------------
_CLAIMS = """SELECT ?claim ?speaker ?target ?behalf ?type ?code ?goldstein ?quad ?date ?source ?g
WHERE {
  GRAPH ?g { ?claim dg:speaker ?speaker . }
  ?claim dg:target ?target .
  OPTIONAL { ?claim dg:onBehalfOf ?behalf }
  OPTIONAL { ?claim dg:eventType ?type .
             OPTIONAL { ?type skos:notation ?code }
             OPTIONAL { ?type dg:goldsteinScore ?goldstein }
             OPTIONAL { ?type dg:quadClass ?q . ?q skos:prefLabel|rdfs:label ?quad } }
  OPTIONAL { ?claim dg:date ?date }
  OPTIONAL { ?claim dg:source ?source } }"""


def event_code(concept: str | None, notation: str | None = None) -> str | None:
    """The CAMEO code of an event-type concept: its skos:notation, else its IRI's last segment."""
    if notation:
        return notation
    prefix = str(iris.ID["cameo/"])
    if concept and concept.startswith(prefix):
        return concept[len(prefix) :]
    return None


def _claim_rows(graph: DiploGraph) -> dict[tuple[str, str], Row]:
    """One row per (claim, target); the first of several on-behalf-of/source values is kept."""
    out: dict[tuple[str, str], Row] = {}
    for r in rows(graph, _CLAIMS):
        out.setdefault((str(r["claim"]), str(r["target"])), r)
    return out


def claims(b: Builder) -> None:
    types = _label_map(b.graph, "?c dg:eventType ?x")
    for (claim, _target), r in sorted(_claim_rows(b.graph).items()):
        code = event_code(_s(r.get("type")), _s(r.get("code")))
        gold = r.get("goldstein")
        b.add(
            r["speaker"],
            r["target"],
            relation="claim",
            iri=claim,
            label=types.get(str(r.get("type")), "claim"),
            event_type=_s(r.get("type")),
            event_code=code,
            quad_class=_s(r.get("quad")),
            goldstein=float(str(gold)) if gold is not None else None,
            weight=float(str(gold)) if gold is not None else None,
            on_behalf_of=_s(r.get("behalf")),
            date=_s(r.get("date")),
            document=_s(r.get("source")),
            graph=_s(r["g"]),
        )


# -- the agreements view ---------------------------------------------------------------------
_PARTICIPATIONS = """SELECT ?p ?state ?a ?start ?end ?g WHERE {
  GRAPH ?g { ?p dg:participant ?state ; dg:ofAgreement ?a . }
  OPTIONAL { ?p dg:startDate ?start } OPTIONAL { ?p dg:endDate ?end } }"""
_AGREEMENT_LINKS = """SELECT ?a ?rel ?x ?g WHERE {
  VALUES (?p ?rel) { (dg:party "party") (dg:containsPrinciple "principle")
                     (dg:adoptedBy "adopted by") }
  GRAPH ?g { ?a ?p ?x } }"""
_INVOKES = """SELECT ?claim ?x ?speaker ?type ?code ?date ?g WHERE {
  GRAPH ?g { ?claim dg:invokes ?x }
  OPTIONAL { ?claim dg:speaker ?speaker }
  OPTIONAL { ?claim dg:eventType ?type OPTIONAL { ?type skos:notation ?code } }
  OPTIONAL { ?claim dg:date ?date } }"""


def agreements(b: Builder) -> None:
    taking_part: set[tuple[str, str]] = set()
    for r in once(rows(b.graph, _PARTICIPATIONS), "p"):
        taking_part.add((str(r["state"]), str(r["a"])))
        b.add(
            r["state"],
            r["a"],
            relation="participation",
            label="participates in",
            iri=_s(r["p"]),
            start=_s(r.get("start")),
            end=_s(r.get("end")),
            graph=_s(r["g"]),
        )
    for r in rows(b.graph, _AGREEMENT_LINKS):
        rel = str(r["rel"])
        if rel == "party":
            if (str(r["x"]), str(r["a"])) not in taking_part:  # a participation says more
                b.add(r["x"], r["a"], relation="party", label="party to", graph=_s(r["g"]))
        else:
            b.add(
                r["a"],
                r["x"],
                relation=rel.replace(" ", "-"),
                label="contains principle" if rel == "principle" else rel,
                graph=_s(r["g"]),
            )
    seen: set[str] = set()
    for r in rows(b.graph, _INVOKES):
        claim = str(r["claim"])
        code = event_code(_s(r.get("type")), _s(r.get("code")))
        timing = {"date": _s(r.get("date")), "event_code": code}
        b.add(r["claim"], r["x"], relation="invokes", label="invokes", graph=_s(r["g"]), **timing)
        if claim not in seen:
            seen.add(claim)
            b.add(
                r.get("speaker"),
                r["claim"],
                relation="speaker",
                label="said",
                graph=_s(r["g"]),
                **timing,
            )


# -- the full view ---------------------------------------------------------------------------
_LINKS = """SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type) } }"""
_LINKS_OUT = """SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type) } }"""
_LINKS_IN = """SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o . FILTER(isIRI(?s) && ?p != rdf:type) } }"""


def full(b: Builder, filters: Filters) -> None:
    if filters.actors:  # a neighbourhood: ask only for the links of the focus resources
        found: list[Row] = []
        for actor in filters.actors:
            found += rows(b.graph, _LINKS_OUT, s=URIRef(actor))
            found += rows(b.graph, _LINKS_IN, o=URIRef(actor))
    else:
        found = rows(b.graph, _LINKS)
    named = set(filters.graphs)
    predicates = labels(b.graph, {str(r["p"]) for r in found})
    for r in found:
        g = str(r["g"])
        if not named and g.startswith(_NOT_DATA):
            continue
        p = str(r["p"])
        b.add(
            r["s"],
            r["o"],
            relation="link",
            predicate=p,
            label=predicates.get(p) or p.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            graph=g,
        )


# -- labels and kinds ------------------------------------------------------------------------
_LABEL = LABEL_PATTERN


def values(nodes: Iterable[str]) -> str:
    """IRIs written for a VALUES block (N-Triples syntax, escaped by pyoxigraph)."""
    return " ".join(str(to_oxigraph(URIRef(n))) for n in sorted(nodes))


def _label_map(graph: DiploGraph, pattern: str) -> dict[str, str]:
    """Labels of the resources ``?x`` that match a graph pattern."""
    inner = f"{{ SELECT DISTINCT ?x {{ {pattern} }} }}"
    sparql = f"SELECT ?x ?label ?lang ?pref WHERE {{ {inner} {_LABEL} }}"
    return _pick_labels(rows(graph, sparql))


def _pick_labels(found: Iterable[Row]) -> dict[str, str]:
    """One label per resource, by the label rule (:func:`.describe.labels.pick_labels`)."""
    return pick_labels((r["x"], r["label"], r.get("lang", ""), int(r["pref"])) for r in found)


def labels(graph: DiploGraph, nodes: set[str]) -> dict[str, str]:
    """The label of each of ``nodes`` that has one (rdfs:label or skos:prefLabel)."""
    if not nodes:
        return {}
    if len(nodes) <= 2000:
        q = f"SELECT ?x ?label ?lang ?pref WHERE {{ VALUES ?x {{ {values(nodes)} }} {_LABEL} }}"
        return _pick_labels(rows(graph, q))
    everything = _pick_labels(rows(graph, f"SELECT ?x ?label ?lang ?pref WHERE {{ {_LABEL} }}"))
    return {k: v for k, v in everything.items() if k in nodes}
