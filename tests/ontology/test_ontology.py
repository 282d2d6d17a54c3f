"""The ontology file: parses, every term documented, OWL 2 DL-shaped, loadable by owlready2."""

from __future__ import annotations

from collections import Counter

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from diplograph.graph import iri
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


def test_every_term_has_an_english_label_and_definition() -> None:
    g = ontology_graph()
    terms = dg_terms(g)
    assert len(terms) > 100
    missing = []
    for t in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            values = [v for v in g.objects(t, prop) if isinstance(v, Literal)]
            if not any(v.language == "en" and str(v).strip() for v in values):
                missing.append(f"{t} {prop}")
    assert missing == []


def test_no_dg_term_is_used_without_declaration() -> None:
    g = ontology_graph()
    declared = dg_terms(g)
    used = {
        n
        for triple in g
        for n in triple
        if isinstance(n, URIRef)
        and str(n).startswith(str(iri.ONTOLOGY))
        and str(n) != str(iri.ONTOLOGY)
    }
    assert used - declared == set()


def test_every_term_is_declared_with_one_kind_only() -> None:
    """No punning between classes, object, datatype and annotation properties (OWL 2 DL)."""
    g = ontology_graph()
    kinds: Counter[URIRef] = Counter()
    for kind in DECLARATION_KINDS[:5]:
        for s in set(g.subjects(RDF.type, kind)):
            if isinstance(s, URIRef):
                kinds[s] += 1
    assert [t for t, n in kinds.items() if n > 1] == []


def test_every_external_term_used_is_declared() -> None:
    """Classes and properties from ORG, PROV, schema.org, SEM, SKOS, OWL-Time, FOAF, LKIF used in
    axioms are declared, so that an OWL 2 DL parser knows what each one is."""
    g = ontology_graph()
    declared = {s for kind in DECLARATION_KINDS for s in g.subjects(RDF.type, kind)}
    used: set[URIRef] = set()
    for s, p, o in g:
        if p in (RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.disjointWith):
            used |= {n for n in (s, o) if isinstance(n, URIRef)}
        if p == RDFS.subPropertyOf:
            used |= {s, o} if isinstance(o, URIRef) else set()
        if p not in (RDF.type, RDF.first, RDF.rest) and not str(p).startswith(BUILTIN):
            used.add(p)  # every predicate used must be declared (annotation or property)
    external = {u for u in used if not str(u).startswith(BUILTIN)}
    assert sorted(external - declared) == []


def test_datatypes_in_ranges_are_in_the_owl2_datatype_map() -> None:
    g = ontology_graph()
    datatype_props = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    ranges = {r for p in datatype_props for r in g.objects(p, RDFS.range)}
    assert ranges, "some datatype properties have ranges"
    assert {r for r in ranges if not isinstance(r, BNode)} - OWL2_DATATYPES == set()
    # dates hold xsd:date/gYearMonth/gYear, outside the map: no OWL range, SHACL checks them
    for p in (DG.date, DG.startDate, DG.endDate):
        assert g.value(p, RDFS.range) is None


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
