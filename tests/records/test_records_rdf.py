"""Claim records as RDF: the triples of article-001, checked against the shapes and the reasoner,
and SHACL messages traced back to the record's line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import ORG, PROV, RDF, RDFS, SDO, TIME, XSD

from diplograph import iri
from diplograph.graph.records import ARTICLES_DIR, article_source, load_records, locate
from diplograph.graph.records.rdf import FIELD_OF, record_triples

DG = iri.ONTOLOGY
ID = iri.ID
SEED = ARTICLES_DIR / "article-001.yaml"


def _graph(path: Path = SEED) -> Graph:
    g = Graph()
    for triple in record_triples(load_records(path)):
        g.add(triple)
    return g


def test_the_article_source_describes_the_named_graph() -> None:
    source, triples = article_source(SEED)
    assert source.graph == iri.article_graph("article-001")
    assert source.kind == "article"
    assert source.origin == "graph/data/articles/article-001.yaml"
    assert source.citation == (
        "\"Putin's Right Hand Man Gives Middle Finger To Trump's Peace Efforts\", news article, "
        "publication date unknown."
    )
    assert len(source.content_hash) == 64
    assert len(triples) == len(set(triples))


def test_claim_c1_in_full() -> None:
    g = _graph()
    c1 = ID["claim/article-001/1"]
    assert set(g.objects(c1, RDF.type)) == {DG.Claim, DG.OfficialStatement}
    assert g.value(c1, DG.speaker) == ID["person/sergey-lavrov"]
    assert g.value(c1, DG.onBehalfOf) == ID["state/russia"]
    assert g.value(c1, DG.eventType) == iri.cameo("127")
    assert g.value(c1, DG.ploverType) == iri.plover("REJECT")
    assert set(g.objects(c1, DG.target)) == {
        ID["person/donald-trump"],
        ID["state/united-states-of-america"],
    }
    assert set(g.objects(c1, DG.about)) == {
        ID["proposal/trump-peace-plan-for-ukraine"],
        ID["conflict/war-in-ukraine"],
        ID["topic/territorial-concessions"],  # its topics are also what it is about
        ID["topic/peace-negotiations"],
    }
    assert set(g.objects(c1, DG.topic)) == {
        ID["topic/territorial-concessions"],
        ID["topic/peace-negotiations"],
    }
    assert set(g.objects(c1, DG.respondsTo)) == {ID["claim/article-001/2"]}
    assert g.value(c1, DG.madeAt) == ID["event/meeting-of-sergey-lavrov-with-foreign-ambassadors"]
    assert set(g.objects(c1, DG.section)) == {Literal("Context"), Literal("Dive Deeper")}
    assert g.value(c1, DG.source) == ID["article/article-001"]
    assert g.value(c1, DG.grounds) == Literal(
        "Such territorial exchanges would not halt Russia's military campaign.", lang="en"
    )
    assert (c1, DG.contradicts, ID["claim/article-001/2"]) in g
    assert (c1, DG.contests, ID["claim/article-001/2"]) in g  # entailed, written for queries
    assert g.value(c1, DG.date) is None and g.value(c1, DG.quote) is None


def test_threat_condition_quotes_invocations_and_kinds() -> None:
    g = _graph()
    c6, c9 = ID["claim/article-001/6"], ID["claim/article-001/9"]
    assert g.value(c6, DG.condition) == Literal(
        "European troops are present in Ukraine after the conflict.", lang="en"
    )
    assert g.value(c6, DG.ploverType) == iri.plover("THREATEN")
    assert set(g.objects(c6, DG.supports)) == {ID["claim/article-001/7"], ID["claim/article-001/8"]}
    assert g.value(c9, DG.quote) == Literal("indivisible security", lang="en")
    invoked = set(g.objects(c9, DG.invokes))
    assert invoked == {
        ID["agreement/charter-for-european-security-1999"],
        ID["agreement/astana-commemorative-declaration-2010"],
        ID["principle/indivisible-security"],
    }
    assert invoked <= set(g.objects(c9, DG.about))
    assert (ID["claim/article-001/12"], RDF.type, DG.AnalystAssessment) in g
    assert (ID["claim/article-001/13"], RDF.type, DG.EditorialStatement) in g
    assert g.value(ID["claim/article-001/13"], DG.speaker) == ID["article/article-001/author"]
    # CAMEO 01x has no PLOVER type in the crosswalk: none is written
    assert g.value(ID["claim/article-001/5"], DG.ploverType) is None


def test_entities_posts_tenures_and_agreements() -> None:
    g = _graph()
    lavrov = ID["person/sergey-lavrov"]
    post = ID["post/russia-minister-of-foreign-affairs"]
    tenure = ID["tenure/article-001/sergey-lavrov--russia-minister-of-foreign-affairs"]
    assert set(g.objects(lavrov, RDF.type)) == {DG.Official, DG.Person, DG.Actor}
    assert (lavrov, ORG.holds, post) in g
    assert g.value(tenure, DG.holder) == lavrov and g.value(tenure, DG.ofPost) == post
    assert g.value(tenure, PROV.wasDerivedFrom) == ID["article/article-001"]
    assert g.value(post, DG.postIn) == ID["state/russia"]
    assert g.value(post, DG.roleType) == ID["concept/role-type/foreign-minister"]
    peskov_post = ID["post/russia-presidential-press-secretary"]
    assert g.value(peskov_post, RDFS.label) == Literal(
        "Press Secretary of the President of Russia", lang="en"
    )
    assert (peskov_post, DG.alias, Literal("Kremlin spokesman", lang="en")) in g
    assert (ID["place/kyiv"], DG.alias, Literal("Kiev", lang="en")) in g
    assert g.value(ID["organization/kremlin"], DG.governmentOf) == ID["state/russia"]
    assert (
        ID["organization/institute-for-the-study-of-war"],
        RDF.type,
        DG.ResearchOrganization,
    ) in g
    charter = ID["agreement/charter-for-european-security-1999"]
    assert set(g.objects(charter, RDF.type)) == {DG.Charter, DG.PoliticalCommitment, DG.Agreement}
    assert g.value(charter, DG.signatureDate) == Literal("1999-11-19", datatype=XSD.date)
    assert g.value(charter, DG.adoptionDate) == Literal("1999-11", datatype=XSD.gYearMonth)
    plan = ID["proposal/trump-peace-plan-for-ukraine"]
    assert g.value(plan, DG.proposedBy) == ID["person/donald-trump"]
    # every entity has an English label
    for node in set(g.subjects(RDF.type, None)) - set(g.subjects(RDF.type, RDF.Statement)):
        label = g.value(node, RDFS.label)
        assert isinstance(label, Literal) and label.language == "en", node


def test_the_article_node() -> None:
    g = _graph()
    art = ID["article/article-001"]
    assert g.value(art, RDF.type) == DG.NewsArticle
    assert str(g.value(art, SDO.headline)).startswith("Putin's Right Hand Man")
    assert "Kremlin spokesman Dmitry Peskov" in str(g.value(art, SDO.text))
    assert g.value(art, SDO.publisher) is None and g.value(art, SDO.datePublished) is None


def test_a_plover_override_and_a_known_date_are_written(
    variant: Callable[..., Path],
) -> None:
    path = variant(
        (
            '    event_type: "1211"          # Reject economic cooperation\n',
            '    event_type: "1211"\n    plover: ACCUSE\n    date: 2025-05\n    confidence: 0.8\n',
        ),
    )
    g = _graph(path)
    c4 = ID["claim/article-001/4"]
    assert g.value(c4, DG.ploverType) == iri.plover("ACCUSE")
    assert g.value(c4, DG.date) == Literal("2025-05", datatype=XSD.gYearMonth)
    assert g.value(c4, DG.datePrecision) == TIME.unitMonth
    assert g.value(c4, DG.confidence) == Literal("0.8", datatype=XSD.decimal)


def test_the_article_graph_conforms_to_the_shapes_and_is_consistent() -> None:
    from diplograph.ontology.reasoning import check_consistency
    from diplograph.ontology.shacl import describe_all, validate_shacl

    g = _graph()
    assert describe_all(validate_shacl(g), locate=locate) == []
    report = check_consistency(g)
    assert report.consistent, report


def test_shacl_messages_name_the_record_line_and_field(line_of: Callable[..., int]) -> None:
    from diplograph.ontology.shacl import describe_all, validate_shacl

    g = _graph()
    c3 = ID["claim/article-001/3"]
    g.remove((c3, DG.speaker, None))
    g.remove((c3, DG.eventType, None))
    messages = describe_all(validate_shacl(g), locate=locate)
    where = f"graph/data/articles/article-001.yaml:{line_of(SEED, '- id: c3')}: claim c3"
    assert sorted(messages) == [
        f"{where}: 'eventType' is missing: every claim has exactly one event type, a code of "
        "the CAMEO scheme.",
        f"{where}: 'speaker' is missing: every claim has exactly one speaker, a person, state or "
        "organisation.",
    ]
    assert FIELD_OF[DG.speaker] == "speaker" and FIELD_OF[DG.eventType] == "event_type"
