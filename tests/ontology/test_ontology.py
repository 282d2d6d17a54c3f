"""The ontology file: parses, every term documented, OWL 2 DL-shaped, loadable by owlready2."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from diplograph import iri
from diplograph.ontology.load import ONTOLOGY_FILE, ontology_graph, ontology_version, read_bytes
from diplograph.ontology.namespace import DG

DECLARATION_KINDS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDFS.Datatype,
    OWL.NamedIndividual,
)
# Datatypes of the OWL 2 datatype map (the ones an OWL 2 DL ontology may use without defining).
OWL2_DATATYPES = {
    RDFS.Literal,
    XSD.string,
    XSD.integer,
    XSD.decimal,
    XSD.boolean,
    XSD.double,
    XSD.float,
    XSD.dateTime,
    XSD.dateTimeStamp,
    XSD.anyURI,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.byte,
    XSD.normalizedString,
    XSD.token,
    XSD.language,
    XSD.Name,
    XSD.NCName,
    XSD.NMTOKEN,
    XSD.hexBinary,
    XSD.base64Binary,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    OWL.real,
    OWL.rational,
}
BUILTIN = (str(OWL), str(RDF), str(RDFS), str(XSD))


def dg_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for kind in DECLARATION_KINDS
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(iri.ONTOLOGY))
    }


def test_parses_with_version_and_header() -> None:
    g = Graph().parse(data=read_bytes(ONTOLOGY_FILE), format="turtle")
    assert len(g) > 600
    assert (iri.ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert ontology_version() == "0.1.0"
    assert g.value(iri.ONTOLOGY_IRI, OWL.versionIRI) is not None


def undocumented(g: Graph) -> list[str]:
    """dg: terms without an English rdfs:label or skos:definition."""
    out = []
    for t in sorted(dg_terms(g)):
        for prop in (RDFS.label, SKOS.definition):
            values = [v for v in g.objects(t, prop) if isinstance(v, Literal)]
            if not any(v.language == "en" and str(v).strip() for v in values):
                out.append(f"{t} {prop}")
    return out


def undeclared_dg(g: Graph) -> set[URIRef]:
    """dg: terms used in some triple but never declared."""
    used = {
        n
        for triple in g
        for n in triple
        if isinstance(n, URIRef)
        and str(n).startswith(str(iri.ONTOLOGY))
        and str(n) != str(iri.ONTOLOGY)
    }
    return used - dg_terms(g)


def punned(g: Graph) -> list[URIRef]:
    """Terms declared with more than one kind (class, object/datatype/annotation property,
    datatype): OWL 2 DL forbids that punning for properties."""
    kinds: Counter[URIRef] = Counter()
    for kind in DECLARATION_KINDS[:5]:
        for s in set(g.subjects(RDF.type, kind)):
            if isinstance(s, URIRef):
                kinds[s] += 1
    return sorted(t for t, n in kinds.items() if n > 1)


def undeclared_external(g: Graph) -> list[URIRef]:
    """External classes and properties used in axioms (or as predicates) but not declared."""
    declared = {s for kind in DECLARATION_KINDS for s in g.subjects(RDF.type, kind)}
    used: set[URIRef] = set()
    for s, p, o in g:
        if p in (RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.disjointWith, RDFS.subPropertyOf):
            used |= {n for n in (s, o) if isinstance(n, URIRef)}
        if p not in (RDF.type, RDF.first, RDF.rest) and not str(p).startswith(BUILTIN):
            used.add(p)
    return sorted(u for u in used - declared if not str(u).startswith(BUILTIN))


def non_owl2_ranges(g: Graph) -> list[URIRef]:
    """Datatypes in ranges of datatype properties that are outside the OWL 2 datatype map."""
    props = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    ranges = {r for p in props for r in g.objects(p, RDFS.range) if isinstance(r, URIRef)}
    return sorted(ranges - OWL2_DATATYPES)


def test_the_ontology_passes_every_check() -> None:
    g = ontology_graph()
    assert len(dg_terms(g)) > 100
    assert undocumented(g) == []
    assert undeclared_dg(g) == set()
    assert punned(g) == []
    assert undeclared_external(g) == []
    assert non_owl2_ranges(g) == []
    # dates hold xsd:date/gYearMonth/gYear, outside the map: no OWL range, SHACL checks them
    for p in (DG.date, DG.startDate, DG.endDate):
        assert g.value(p, RDFS.range) is None


def _copy() -> Graph:
    g = Graph()
    for t in ontology_graph():
        g.add(t)
    return g


def test_the_checks_catch_mistakes() -> None:
    """Each check reports a deliberately broken copy of the ontology."""
    g = _copy()
    g.remove((DG.Claim, SKOS.definition, None))
    assert undocumented(g) == [f"{DG.Claim} {SKOS.definition}"]
    g = _copy()
    statement = iri.ONTOLOGY["Utterance"]  # not a term: DG.Utterance would raise
    g.add((DG.Claim, RDFS.subClassOf, statement))
    assert undeclared_dg(g) == {statement}
    g = _copy()
    g.add((DG.quote, RDF.type, OWL.AnnotationProperty))
    assert punned(g) == [DG.quote]
    g = _copy()
    foaf_based_near = URIRef("http://xmlns.com/foaf/0.1/based_near")
    g.add((DG.locatedIn, RDFS.subPropertyOf, foaf_based_near))
    assert undeclared_external(g) == [foaf_based_near]
    g = _copy()
    g.add((DG.date, RDFS.range, XSD.date))
    assert non_owl2_ranges(g) == [XSD.date]


def _disjoint(g: Graph, a: URIRef, b: URIRef) -> bool:
    if (a, OWL.disjointWith, b) in g or (b, OWL.disjointWith, a) in g:
        return True
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = set(g.items(g.value(node, OWL.members)))
        if {a, b} <= members:
            return True
    return False


def test_disjointness_where_it_holds() -> None:
    g = ontology_graph()
    assert _disjoint(g, DG.State, DG.Person)
    assert _disjoint(g, DG.Agreement, DG.Claim)
    assert _disjoint(g, DG.Treaty, DG.PoliticalCommitment)
    assert _disjoint(g, DG.OfficialStatement, DG.AnalystAssessment)
    assert _disjoint(g, DG.Tenure, DG.Membership)
    assert not _disjoint(g, DG.Person, DG.Official)


def test_alignments_to_standard_vocabularies() -> None:
    g = ontology_graph()
    org = "http://www.w3.org/ns/org#"
    assert (DG.Post, RDFS.subClassOf, URIRef(org + "Post")) in g
    assert (DG.Membership, RDFS.subClassOf, URIRef(org + "Membership")) in g
    assert (DG.Claim, RDFS.subClassOf, URIRef("https://schema.org/Claim")) in g
    prov = "http://www.w3.org/ns/prov#"
    assert (DG.speaker, RDFS.subPropertyOf, URIRef(prov + "wasAttributedTo")) in g
    assert (
        DG.eventType,
        RDFS.subPropertyOf,
        URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/eventType"),
    ) in g
    lkif = "http://www.estrellaproject.org/lkif-core/norm.owl#"
    assert (DG.Treaty, RDFS.subClassOf, URIRef(lkif + "Treaty")) in g
    assert (
        DG.PoliticalCommitment,
        RDFS.subClassOf,
        URIRef(lkif + "Non-binding_International_Agreement"),
    ) in g


def test_owlready2_loads_the_ontology(tmp_path) -> None:
    import owlready2

    path = tmp_path / "diplo.nt"
    ontology_graph().serialize(destination=str(path), format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    names = {c.iri for c in onto.classes()}
    assert str(DG.Claim) in names and str(DG.State) in names
    claim = world[str(DG.Claim)]
    assert world[str(DG.OfficialStatement)] in set(claim.subclasses())
    speaker = world[str(DG.speaker)]
    assert claim in speaker.domain
    world.close()
