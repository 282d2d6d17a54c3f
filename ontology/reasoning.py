"""OWL consistency of the ontology plus data, checked by HermiT through owlready2.

:func:`check_consistency` writes the ontology and the data to N-Triples in a temporary
directory, loads them into a fresh, isolated owlready2 :class:`~owlready2.World` and runs HermiT
(Java). HermiT says whether the whole is consistent and which classes are unsatisfiable; it does
not say why an inconsistent ABox is inconsistent, so :func:`explain` looks for the usual causes
itself and says them in plain words: an individual that is, by its types or by the domains and
ranges of the properties it is used with, in two classes the ontology declares disjoint (a state
typed as a person; a tenure whose holder is a state), or two values of a functional datatype
property.

The code lists (about 3,600 triples of SKOS concepts) are left out of the reasoning input by
default: they add nothing the axioms can contradict and make HermiT slower. Dates are
``xsd:date``/``xsd:gYearMonth``/``xsd:gYear`` literals, outside the OWL 2 datatype map, so HermiT
runs with ``--ignoreUnsupportedDatatypes``; the SHACL shapes check dates instead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from diplograph import iri
from diplograph.errors import ReasonerError
from diplograph.ontology.load import ontology_graph
from diplograph.ontology.shacl import NON_DATA_GRAPHS, Locate

_CODES_PREFIX = str(iri.GRAPH["codes/"])


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT found. ``consistent`` is the verdict; ``unsatisfiable`` lists classes that can
    have no instance (a modelling error even when the data is consistent); ``explanations`` are
    plain sentences about the likely causes of an inconsistency."""

    consistent: bool
    unsatisfiable: tuple[URIRef, ...] = ()
    explanations: tuple[str, ...] = ()
    triples: int = 0
    reasoner: str = "HermiT"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Consistent and every class satisfiable."""
        return self.consistent and not self.unsatisfiable

    def summary(self) -> str:
        """A short plain-text account of the check."""
        if self.ok:
            n = self.triples
            return f"{self.reasoner}: the ontology and data ({n} triples) are consistent."
        lines = []
        if not self.consistent:
            lines.append(
                f"{self.reasoner}: the ontology and data ({self.triples} triples) are inconsistent."
            )
        else:
            lines.append(f"{self.reasoner}: consistent, but some classes can have no instance.")
        lines += [f"- class {c} is unsatisfiable" for c in self.unsatisfiable]
        lines += [f"- {e}" for e in self.explanations]
        return "\n".join(lines)


def _reasoning_input(data: Graph | Dataset | None, include_codes: bool) -> Graph:
    g = Graph()
    for t in ontology_graph():
        g.add(t)
    if data is None:
        return g
    if isinstance(data, Dataset):
        for s, p, o, ctx in data.quads((None, None, None, None)):
            name = ctx.identifier if isinstance(ctx, Graph) else ctx
            if name in NON_DATA_GRAPHS or (
                not include_codes and str(name).startswith(_CODES_PREFIX)
            ):
                continue
            g.add((s, p, o))
    else:
        for t in data:
            g.add(t)
        if include_codes:
            from diplograph.ontology.codes import code_sources

            for _, triples in code_sources():
                for t in triples:
                    g.add(t)
    return g


def check_consistency(
    data: Graph | Dataset | None = None,
    *,
    include_codes: bool = False,
    explain_causes: bool = True,
    locate: Locate | None = None,
) -> ConsistencyReport:
    """Check the ontology (plus ``data``, if given) with HermiT.

    ``data`` is an rdflib Graph of instance data, or a Dataset (then the ontology, shapes and
    metadata graphs in it are skipped, and the code-list graphs unless ``include_codes``).
    ``locate`` names the record of a node in explanations (see :func:`explain`).
    Raises :class:`~diplograph.errors.ReasonerError` when Java or HermiT cannot run.
    """
    import owlready2

    graph = _reasoning_input(data, include_codes)
    tmp = Path(tempfile.mkdtemp(prefix="diplograph-hermit-"))
    world = owlready2.World()
    try:
        path = tmp / "input.nt"
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
        except Exception as exc:  # owlready2 raises plain exceptions on unparsable input
            raise ReasonerError(f"owlready2 could not load the ontology and data: {exc}") from exc
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            causes = explain(graph, locate=locate) if explain_causes else []
            if not causes:
                causes = [
                    "HermiT found no model of the ontology and data, and no simple cause "
                    "(disjoint types, two values of a functional property) was found."
                ]
            return ConsistencyReport(False, (), tuple(causes), len(graph))
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerError(f"HermiT failed: {exc}") from exc
        except FileNotFoundError as exc:
            raise ReasonerError(
                "HermiT needs Java, which was not found: install a Java runtime "
                "(default-jre-headless; `make setup` does it)."
            ) from exc
        unsat = tuple(
            sorted(
                URIRef(c.iri)
                for c in world.inconsistent_classes()
                if isinstance(getattr(c, "iri", None), str) and c.iri != str(OWL.Nothing)
            )
        )
        return ConsistencyReport(True, unsat, (), len(graph))
    finally:
        world.close()
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------------------------


@dataclass
class _Schema:
    parents: dict[Node, set[Node]]
    disjoint: set[frozenset[Node]]
    domains: dict[Node, set[Node]]
    ranges: dict[Node, set[Node]]
    functional_data: set[Node]
    labels: dict[Node, str]


def _schema(graph: Graph) -> _Schema:
    parents: dict[Node, set[Node]] = defaultdict(set)
    for c, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sup, URIRef):
            parents[c].add(sup)
    disjoint: set[frozenset[Node]] = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        disjoint.add(frozenset((a, b)))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(node, OWL.members)
        items = list(graph.items(members)) if members is not None else []
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                disjoint.add(frozenset((a, b)))
    sup_props: dict[Node, set[Node]] = defaultdict(set)
    for p, q in graph.subject_objects(RDFS.subPropertyOf):
        sup_props[p].add(q)

    def with_supers(p: Node) -> set[Node]:
        seen, todo = {p}, [p]
        while todo:
            for q in sup_props.get(todo.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    domains: dict[Node, set[Node]] = {}
    ranges: dict[Node, set[Node]] = {}
    props = set(graph.subjects(RDFS.domain, None)) | set(graph.subjects(RDFS.range, None))
    props |= set(sup_props)
    for p in props:
        domains[p] = {d for q in with_supers(p) for d in graph.objects(q, RDFS.domain)}
        ranges[p] = {r for q in with_supers(p) for r in graph.objects(q, RDFS.range)}
        domains[p] = {d for d in domains[p] if isinstance(d, URIRef)}
        ranges[p] = {r for r in ranges[p] if isinstance(r, URIRef)}
    functional_data = set(graph.subjects(RDF.type, OWL.FunctionalProperty)) & set(
        graph.subjects(RDF.type, OWL.DatatypeProperty)
    )
    labels: dict[Node, str] = {
        s: str(o)
        for s, o in graph.subject_objects(RDFS.label)
        if isinstance(s, URIRef) and isinstance(o, Literal) and o.language in (None, "en")
    }
    return _Schema(parents, disjoint, domains, ranges, functional_data, labels)


def _ancestors(schema: _Schema, cls: Node) -> set[Node]:
    seen, todo = {cls}, [cls]
    while todo:
        for sup in schema.parents.get(todo.pop(), ()):
            if sup not in seen:
                seen.add(sup)
                todo.append(sup)
    return seen


def _name(node: Node) -> str:
    text = str(node)
    return text[len(str(iri.ID)) :] if text.startswith(str(iri.ID)) else f"<{text}>"


def _curie(node: Node) -> str:
    text, ns = str(node), str(iri.ONTOLOGY)
    return "dg:" + text[len(ns) :] if text.startswith(ns) else _name(node)


def _term(schema: _Schema, node: Node) -> str:
    return schema.labels.get(node) or _name(node)


def _a(text: str) -> str:
    return f"an {text}" if text[:1].lower() in "aeiou" else f"a {text}"


def explain(graph: Graph, *, locate: Locate | None = None) -> list[str]:
    """Plain sentences about the likely causes of an inconsistency in ``graph`` (ontology and
    data together): individuals in two disjoint classes, and functional datatype properties
    with two values. ``locate`` maps a node to its record (``article-001.yaml:16: entity
    russia``), named after the node when known."""
    schema = _schema(graph)

    def where(node: Node) -> str:
        found = locate(node) if locate is not None and isinstance(node, URIRef) else None
        return f"{_name(node)} ({found})" if found else _name(node)

    is_class = set(graph.subjects(RDF.type, OWL.Class))
    # why each individual is in each class: {individual: {class: reason}}
    reasons: dict[Node, dict[Node, str]] = defaultdict(dict)
    for s, p, o in graph:
        if isinstance(s, BNode) or s in is_class:
            continue
        if p == RDF.type:
            if isinstance(o, URIRef) and o in is_class:
                reasons[s].setdefault(o, f"it is typed {_curie(o)}")
            continue
        for d in schema.domains.get(p, ()):
            reasons[s].setdefault(d, f"it has a {_term(schema, p)}")
        if isinstance(o, URIRef):
            for r in schema.ranges.get(p, ()):
                if r in is_class:
                    reasons[o].setdefault(r, f"it is the {_term(schema, p)} of {_name(s)}")
    out: list[str] = []
    for ind, direct in sorted(reasons.items(), key=lambda kv: str(kv[0])):
        full: dict[Node, tuple[Node, str]] = {}
        for cls, why in direct.items():
            for anc in _ancestors(schema, cls):
                full.setdefault(anc, (cls, why))
        for pair in sorted(schema.disjoint, key=lambda fs: sorted(map(str, fs))):
            a, b = sorted(pair, key=str)
            if a in full and b in full:
                wa, wb = full[a][1], full[b][1]
                out.append(
                    f"{where(ind)} is {_a(_term(schema, a))} ({wa}) and {_a(_term(schema, b))} "
                    f"({wb}), but nothing can be both: the ontology declares "
                    f"{_term(schema, a)} and {_term(schema, b)} disjoint."
                )
    for p in sorted(schema.functional_data, key=str):
        values: dict[Node, set[Node]] = defaultdict(set)
        for s, o in graph.subject_objects(p):
            values[s].add(o)
        for s, vals in sorted(values.items(), key=lambda kv: str(kv[0])):
            if len({v.toPython() if isinstance(v, Literal) else v for v in vals}) > 1:
                shown = ", ".join(sorted(str(v) for v in vals))
                out.append(
                    f"{where(s)} has {len(vals)} values of {_term(schema, p)} ({shown}), "
                    f"but it can have only one."
                )
    return _dedupe(out)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


__all__ = ["ConsistencyReport", "check_consistency", "explain"]
