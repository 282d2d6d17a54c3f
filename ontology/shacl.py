"""Validate data against the SHACL shapes (``shapes.ttl``) and say what is wrong in plain words.

:func:`validate_shacl` runs pySHACL over the data with the ontology as its ``ont_graph`` (so that
``sh:targetClass dg:Claim`` also reaches ``dg:OfficialStatement``, and ``sh:class dg:Actor``
accepts a ``dg:Person``), adds the bundled code lists unless told not to (the shapes check that
an event type is in the CAMEO scheme), and returns one :class:`Violation` per result.
:func:`describe` turns a violation into a sentence naming the record and field, e.g.
``article-001.yaml:41: claim c7: 'speaker' is missing: every claim has exactly one speaker, ...``.

SHACL: https://www.w3.org/TR/shacl/ (validation results, section 3.6).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from diplograph import iri
from diplograph.ontology.load import ontology_graph, shapes_graph

Locate = Callable[[URIRef], "str | None"]

#: Named graphs that are not data: left out when a whole store's dataset is validated.
NON_DATA_GRAPHS = frozenset({iri.ONTOLOGY_GRAPH, iri.SHAPES_GRAPH, iri.META_GRAPH})


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result."""

    focus: Node  # the node that failed (a claim, a tenure ...)
    path: Node | None  # the property (dg:speaker), None for node-level results
    value: Node | None  # the offending value, None when a value is missing
    message: str  # the rule, from the shape's sh:message
    severity: str  # Violation, Warning or Info
    component: str = ""  # the constraint component, e.g. MinCount, Datatype, Class
    limit: Node | None = None  # the bound of a count constraint (sh:minCount 1 → 1)

    @property
    def field(self) -> str | None:
        """The local name of the path (``speaker``), or None."""
        return _local(self.path) if isinstance(self.path, URIRef) else None

    def __str__(self) -> str:
        return describe(self)


@cache
def _code_graph() -> Graph:
    from diplograph.ontology.codes import code_sources

    g = Graph()
    for _, triples in code_sources():
        for t in triples:
            g.add(t)
    return g


def data_graph(data: Graph | Dataset, *, include_codes: bool = True) -> Graph:
    """One graph of the data to validate: the data's triples (for a Dataset, those of every named
    graph except the ontology, shapes and metadata graphs) plus, by default, the code lists."""
    out = Graph()
    if isinstance(data, Dataset):
        for s, p, o, g in data.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            if name not in NON_DATA_GRAPHS:
                out.add((s, p, o))
    else:
        for t in data:
            out.add(t)
    if include_codes:
        for t in _code_graph():
            out.add(t)
    return out


def validate_shacl(
    data: Graph | Dataset,
    *,
    include_codes: bool = True,
    shapes: Graph | None = None,
    inplace: bool = False,
    fast: bool = True,
) -> list[Violation]:
    """Validate ``data`` against the shapes; an empty list means it conforms.

    ``include_codes`` adds the bundled CAMEO, PLOVER and small concept schemes to the data (set
    it to False when the data already holds them, e.g. a dataset read from a built store).
    ``inplace=True`` lets the validator add the code lists and the ontology to ``data`` (a Graph)
    instead of copying it first: worth it for a large throw-away graph.
    ``fast`` checks the shapes that only constrain datatypes and counts (the date shapes) in
    Python rather than through pySHACL, which evaluates ``sh:or`` per value; the results are the
    same (a test compares the two).
    """
    shapes = shapes if shapes is not None else shapes_graph()
    rules: list[_DatatypeRule] = []
    if fast:
        shapes, rules = _split_datatype_shapes(shapes)
    if inplace and isinstance(data, Graph) and not isinstance(data, Dataset):
        graph = data
        if include_codes:
            graph += _code_graph()
    else:
        graph = data_graph(data, include_codes=include_codes)
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        inplace=True,
    )
    assert isinstance(results, Graph)
    found = _violations(results, shapes) + _check_datatypes(graph, rules)
    found.sort(key=lambda v: (str(v.focus), v.field or "", v.component, str(v.value)))
    return found


# --------------------------------------------------------------------------------------------
# Datatype-only shapes, checked natively
# --------------------------------------------------------------------------------------------

_RULE_PREDICATES = {RDF.type, SH.path, SH.maxCount, SH.datatype, SH["or"], SH.message, SH.name}
_NODE_PREDICATES = {RDF.type, SH.targetSubjectsOf, SH.property, RDFS.label, RDFS.comment}


@dataclass(frozen=True)
class _DatatypeRule:
    path: URIRef
    datatypes: frozenset[Node]
    max_count: int | None
    message: str
    union: bool  # sh:or of datatypes (component Or) rather than one sh:datatype


def _datatype_rule(shapes: Graph, ps: Node) -> _DatatypeRule | None:
    if set(shapes.predicates(ps)) - _RULE_PREDICATES:
        return None
    path = shapes.value(ps, SH.path)
    one = shapes.value(ps, SH.datatype)
    alternatives = shapes.value(ps, SH["or"])
    if not isinstance(path, URIRef) or (one is None) == (alternatives is None):
        return None
    datatypes: set[Node] = set()
    if alternatives is not None:
        for item in shapes.items(alternatives):
            if (
                set(shapes.predicates(item)) - {SH.datatype}
                or shapes.value(item, SH.datatype) is None
            ):
                return None
            datatypes.add(shapes.value(item, SH.datatype))  # type: ignore[arg-type]
    else:
        datatypes.add(one)  # type: ignore[arg-type]
    max_count = shapes.value(ps, SH.maxCount)
    return _DatatypeRule(
        path,
        frozenset(datatypes),
        int(max_count) if isinstance(max_count, Literal) else None,
        _message(Graph(), ps, shapes, ps),
        alternatives is not None,
    )


def _split_datatype_shapes(shapes: Graph) -> tuple[Graph, list[_DatatypeRule]]:
    """Node shapes that target the subjects of some properties and only say, per property, 'at
    most n values, each of one of these datatypes' become rules checked by
    :func:`_check_datatypes`; the returned shapes graph no longer targets them."""
    rules: list[_DatatypeRule] = []
    handled: list[Node] = []
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = set(shapes.objects(node, SH.targetSubjectsOf))
        if not targets or set(shapes.predicates(node)) - _NODE_PREDICATES:
            continue
        parsed = [_datatype_rule(shapes, ps) for ps in shapes.objects(node, SH.property)]
        if not parsed or any(r is None for r in parsed):
            continue
        ok = [r for r in parsed if r is not None]
        if {r.path for r in ok} - targets:
            continue  # a rule on a property that does not make its subjects focus nodes
        rules.extend(ok)
        handled.append(node)
    if not handled:
        return shapes, []
    pruned = Graph()
    for t in shapes:
        if not (t[0] in handled and t[1] == SH.targetSubjectsOf):
            pruned.add(t)
    return pruned, rules


def _check_datatypes(graph: Graph, rules: Iterable[_DatatypeRule]) -> list[Violation]:
    out: list[Violation] = []
    for rule in rules:
        for s in set(graph.subjects(rule.path, None)):
            values = list(graph.objects(s, rule.path))
            if rule.max_count is not None and len(values) > rule.max_count:
                limit = Literal(rule.max_count)
                out.append(
                    Violation(s, rule.path, None, rule.message, "Violation", "MaxCount", limit)
                )
            for v in values:
                good = isinstance(v, Literal) and v.datatype in rule.datatypes
                if good and isinstance(v, Literal) and not v.ill_typed:
                    continue
                comp = "Or" if rule.union else "Datatype"
                out.append(Violation(s, rule.path, v, rule.message, "Violation", comp))
    return out


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    out = []
    for r in results.objects(None, SH.result):
        # nested results (sh:detail of an sh:node result) are not reported on their own
        component = results.value(r, SH.sourceConstraintComponent)
        comp = _local(component).removesuffix("ConstraintComponent") if component else ""
        shape = results.value(r, SH.sourceShape)
        path = results.value(r, SH.resultPath)
        severity = results.value(r, SH.resultSeverity)
        out.append(
            Violation(
                focus=results.value(r, SH.focusNode),  # type: ignore[arg-type]
                path=path if isinstance(path, URIRef) else None,
                value=results.value(r, SH.value),
                message=_message(results, r, shapes, shape),
                severity=_local(severity) if severity else "Violation",
                component=comp,
                limit=_limit(shapes, shape, comp),
            )
        )
    return out


def _message(results: Graph, result: Node, shapes: Graph, shape: Node | None) -> str:
    if shape is not None:
        own = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        if own:
            return str(_english(own))
    msgs = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    return str(_english(msgs)) if msgs else "The data does not match its shape."


def _english(literals: Sequence[Literal]) -> Literal:
    for lit in literals:
        if lit.language in (None, "en"):
            return lit
    return literals[0]


def _limit(shapes: Graph, shape: Node | None, component: str) -> Node | None:
    if shape is None:
        return None
    pred = {"MinCount": SH.minCount, "MaxCount": SH.maxCount}.get(component)
    return shapes.value(shape, pred) if pred is not None else None


def _local(node: Node) -> str:
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _short(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, Literal):
        dt = f"^^xsd:{_local(node.datatype)}" if node.datatype else ""
        lang = f"@{node.language}" if node.language else ""
        return f"'{node}'{dt}{lang}"
    if isinstance(node, URIRef):
        text = str(node)
        return text[len(str(iri.ID)) :] if text.startswith(str(iri.ID)) else f"<{text}>"
    return "a blank node" if isinstance(node, BNode) else str(node)


def _problem(v: Violation) -> str:
    """What went wrong, from the constraint component."""
    field = f"'{v.field}'" if v.field else "it"
    c = v.component
    if c == "MinCount":
        if v.limit is not None and str(v.limit) != "1":
            return f"{field} has fewer than {v.limit} values"
        return f"{field} is missing"
    if c == "MaxCount":
        return f"{field} has more than {v.limit or 'the allowed number of'} value(s)"
    if c in ("Datatype", "Or") and isinstance(v.value, Literal):
        if v.value.ill_typed:
            kind = _local(v.value.datatype) if v.value.datatype else "value"
            return f"{field} value {_short(v.value)} is not a valid {kind}"
        return f"{field} value {_short(v.value)} has the wrong datatype"
    if c in ("Class", "Node", "In", "HasValue", "NodeKind"):
        return f"{field} value {_short(v.value)} is not allowed here"
    if c in ("MinInclusive", "MaxInclusive"):
        return f"{field} value {_short(v.value)} is out of range"
    if v.value is not None:
        return f"{field} value {_short(v.value)} does not conform"
    return f"{field} does not conform" if v.field else "the node does not conform"


def _sentence(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if len(first) == 1 or first[1:2].islower() else text


def describe(violation: Violation, *, locate: Locate | None = None) -> str:
    """One plain sentence for a violation, naming where (``locate(focus)``, e.g.
    ``article-001.yaml:41: claim c7``, else the focus IRI) and the field.

    >>> v = Violation(URIRef(iri.ID["claim/article-001/7"]), iri.ONTOLOGY.speaker, None,
    ...               "Every claim has exactly one speaker.", "Violation", "MinCount")
    >>> describe(v)
    "claim/article-001/7: 'speaker' is missing: every claim has exactly one speaker."
    >>> describe(v, locate=lambda node: "article-001.yaml:41: claim c7")
    "article-001.yaml:41: claim c7: 'speaker' is missing: every claim has exactly one speaker."
    """
    where = locate(violation.focus) if locate and isinstance(violation.focus, URIRef) else None
    head = where or _short(violation.focus)
    prefix = "" if violation.severity == "Violation" else f"{violation.severity.lower()}: "
    if violation.path is None:
        # a node-level rule (e.g. "a title: rdfs:label or dcterms:title"): the rule says it all
        return f"{head}: {prefix}{_sentence(violation.message)}"
    return f"{head}: {prefix}{_problem(violation)}: {_sentence(violation.message)}"


def describe_all(violations: Iterable[Violation], *, locate: Locate | None = None) -> list[str]:
    """:func:`describe` for each violation, in order."""
    return [describe(v, locate=locate) for v in violations]


def shape_messages(shapes: Graph | None = None) -> dict[Node, str]:
    """Every property shape's path and message (for documentation and tests)."""
    shapes = shapes if shapes is not None else shapes_graph()
    out: dict[Node, str] = {}
    for shape in set(shapes.subjects(SH.path, None)):
        msg = shapes.value(shape, SH.message)
        path = shapes.value(shape, SH.path)
        if path is not None and msg is not None:
            out.setdefault(path, str(msg))
    return out


__all__ = [
    "NON_DATA_GRAPHS",
    "Violation",
    "data_graph",
    "describe",
    "describe_all",
    "shape_messages",
    "validate_shacl",
]
