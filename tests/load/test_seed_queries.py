"""The seed graph (ontology, code lists, article-001, links; built by the real build path) answers
the questions of issue 2 by SPARQL, with the values the article states."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph import iri
from diplograph.graph.store import DiploGraph

PREFIXES = """
PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
ID = iri.ID
ARTICLE = ID["article/article-001"]


def rows(graph: DiploGraph, query: str, **constants: URIRef) -> set[tuple[str, ...]]:
    """The rows of ``query`` as strings; each ``$name`` in it is the IRI ``constants[name]`` (test
    constants written into the text; Oxigraph binds only projected variables)."""
    for name, node in constants.items():
        query = query.replace(f"${name}", node.n3())
    result = graph.query(PREFIXES + query)
    return {tuple(str(v) for v in row) for row in result}


def test_proposals_russias_foreign_minister_rejected_and_who_proposed_them(
    seed_graph: DiploGraph,
) -> None:
    query = """
    SELECT DISTINCT ?proposal ?proposer WHERE {
      ?post dg:postIn $state ; dg:roleType ?role .
      ?role skos:prefLabel "Foreign minister"@en .
      ?tenure dg:ofPost ?post ; dg:holder ?minister .
      ?claim dg:speaker ?minister ; dg:eventType ?type ; dg:about ?p .
      ?type skos:broader* $reject .
      ?p a dg:Proposal ; rdfs:label ?proposal ; dg:proposedBy/rdfs:label ?proposer .
    }"""
    assert rows(seed_graph, query, state=ID["state/russia"], reject=ID["cameo/12"]) == {
        ("Trump peace plan for Ukraine", "Donald Trump"),
        ("United States offer to restore trade relations with Russia", "United States of America"),
    }


def test_the_rejection_of_the_plan_gives_grounds_and_contradicts_trump(
    seed_graph: DiploGraph,
) -> None:
    query = """
    SELECT ?code ?grounds ?plover ?where ?suggestion WHERE {
      ?claim dg:about $plan ; dg:eventType/skos:notation ?code ; dg:grounds ?grounds ;
             dg:ploverType/skos:prefLabel ?plover ; dg:madeAt/rdfs:label ?where ;
             dg:contradicts/dg:paraphrase ?suggestion .
    }"""
    [(code, grounds, plover, where, suggestion)] = rows(
        seed_graph, query, plan=ID["proposal/trump-peace-plan-for-ukraine"]
    )
    assert code == "127"
    assert grounds == "Such territorial exchanges would not halt Russia's military campaign."
    assert plover.upper() == "REJECT"
    assert where == "Meeting of Sergey Lavrov with foreign ambassadors"
    assert "land concessions could lead to peace" in suggestion


def test_russias_stated_preconditions(seed_graph: DiploGraph) -> None:
    query = """
    SELECT DISTINCT ?precondition ?addressee ?quote WHERE {
      ?claim dg:onBehalfOf $russia ; dg:about ?d ; dg:quote ?quote .
      ?d a dg:Precondition ; rdfs:label ?precondition ; dg:proposedBy $russia ;
         dg:addressedTo/rdfs:label ?addressee .
    }"""
    assert rows(seed_graph, query, russia=ID["state/russia"]) == {
        ("Installing a pro-Russian government in Kyiv", "Ukraine", "root causes"),
        ("Ukrainian neutrality", "Ukraine", "root causes"),
        ("Blocking NATO expansion", "North Atlantic Treaty Organization", "root causes"),
    }


def test_agreements_invoked_with_their_year_and_organisation(seed_graph: DiploGraph) -> None:
    query = """
    SELECT DISTINCT ?agreement ?year ?org ?kind ?place WHERE {
      ?claim dg:invokes ?a ; dg:invokes ?principle ; dg:madeAt/rdf:type dg:Roundtable .
      ?a a dg:PoliticalCommitment ; rdfs:label ?agreement ; dg:adoptionDate ?d ;
         dg:adoptedBy ?org ; dg:containsPrinciple ?principle ; rdf:type ?kind ;
         dg:adoptedAt/dg:atPlace/rdfs:label ?place .
      ?principle a dg:Principle ; rdfs:label "indivisible security"@en .
      FILTER (?kind IN (dg:Charter, dg:Declaration))
      BIND (YEAR(?d) AS ?year)
    }"""
    dg = str(iri.ONTOLOGY)
    osce = str(ID["organization/osce"])
    assert rows(seed_graph, query) == {
        ("Charter for European Security", "1999", osce, dg + "Charter", "Istanbul"),
        (
            "Astana Commemorative Declaration: Towards a Security Community",
            "2010",
            osce,
            dg + "Declaration",
            "Astana",
        ),
    }


def test_the_osce_documents_carry_only_the_stated_facts(seed_graph: DiploGraph) -> None:
    query = """
    SELECT ?p ?o WHERE {
      $doc ?p ?o . FILTER (?p IN (dg:adoptionDate, dg:signatureDate, dg:documentNumber,
                                   dcterms:isPartOf, dg:adoptedAt, dcterms:title))
    }"""
    charter = {
        (p, o)
        for p, o in rows(seed_graph, query, doc=ID["agreement/charter-for-european-security-1999"])
    }
    assert charter == {
        (str(iri.ONTOLOGY.adoptionDate), "1999-11"),
        (str(iri.ONTOLOGY.signatureDate), "1999-11-19"),
        ("http://purl.org/dc/terms/isPartOf", str(ID["agreement/istanbul-document-1999"])),
        (str(iri.ONTOLOGY.adoptedAt), str(ID["event/osce-istanbul-summit-1999"])),
    }
    astana = {
        (p, o)
        for p, o in rows(
            seed_graph, query, doc=ID["agreement/astana-commemorative-declaration-2010"]
        )
    }
    assert astana == {
        (str(iri.ONTOLOGY.adoptionDate), "2010-12"),
        (str(iri.ONTOLOGY.documentNumber), "SUM.DOC/1/10/Corr.1"),
        ("http://purl.org/dc/terms/title", "Towards a Security Community"),
        (str(iri.ONTOLOGY.adoptedAt), str(ID["event/osce-astana-summit-2010"])),
    }
    summits = """
    SELECT ?start ?end WHERE { $s dg:startDate ?start ; dg:endDate ?end }"""
    assert rows(seed_graph, summits, s=ID["event/osce-istanbul-summit-1999"]) == {
        ("1999-11-18", "1999-11-19")
    }
    assert rows(seed_graph, summits, s=ID["event/osce-astana-summit-2010"]) == {
        ("2010-12-01", "2010-12-02")
    }
    typed = seed_graph.query(PREFIXES + "SELECT ?d WHERE { ?s dg:signatureDate ?d }")
    assert [row[0] for row in typed] == [Literal("1999-11-19", datatype=XSD.date)]


def test_who_holds_which_office(seed_graph: DiploGraph) -> None:
    query = """
    SELECT ?person ?post ?alias WHERE {
      ?tenure a dg:Tenure ; dg:holder ?h ; dg:ofPost ?p ; prov:wasDerivedFrom $article .
      ?h rdfs:label ?person ; org:holds ?p .
      ?p rdfs:label ?post .
      OPTIONAL { ?p dg:alias ?alias }
    }"""
    assert rows(seed_graph, query, article=ARTICLE) == {
        ("Sergey Lavrov", "Minister of Foreign Affairs of Russia", "Russian Foreign Minister"),
        ("Donald Trump", "President of the United States", "U.S. President"),
        ("Dmitry Peskov", "Press Secretary of the President of Russia", "Kremlin spokesman"),
    }
    dates = "ASK { ?t a dg:Tenure . { ?t dg:startDate ?d } UNION { ?t dg:endDate ?d } }"
    assert seed_graph.query(PREFIXES + dates).boolean is False


def test_which_claims_contest_each_other(seed_graph: DiploGraph) -> None:
    query = """
    SELECT ?a ?by ?b ?of ?kindA WHERE {
      ?a dg:contests ?b ; dg:speaker/rdfs:label ?by ; a ?kindA ; dg:source $article .
      ?b dg:speaker/rdfs:label ?of .
      FILTER (?kindA != dg:Claim)
    }"""
    dg = str(iri.ONTOLOGY)
    assert rows(seed_graph, query, article=ARTICLE) == {
        (
            str(ID["claim/article-001/12"]),
            "Institute for the Study of War",
            str(ID["claim/article-001/11"]),
            "Dmitry Peskov",
            dg + "AnalystAssessment",
        ),
        (
            str(ID["claim/article-001/1"]),
            "Sergey Lavrov",
            str(ID["claim/article-001/2"]),
            "Donald Trump",
            dg + "OfficialStatement",
        ),
    }
    contradicts = "SELECT ?a ?b WHERE { ?a dg:contradicts ?b }"
    assert rows(seed_graph, contradicts) == {
        (str(ID["claim/article-001/1"]), str(ID["claim/article-001/2"]))
    }
    # across sources: the U.S. statements of 2022 and 2023 contest Lavrov's and Peskov's claims
    across = rows(seed_graph, query, article=ID["article/article-002"])
    across |= rows(seed_graph, query, article=ID["article/article-003"])
    assert (
        str(ID["claim/article-002/3"]),
        "Michael Carpenter",
        str(ID["claim/article-001/3"]),
        "Sergey Lavrov",
        dg + "OfficialStatement",
    ) in across
    assert {(a, b) for a, _, b, _, _ in across} >= {
        (str(ID["claim/article-003/7"]), str(ID["claim/article-001/11"])),
        (str(ID["claim/article-003/4"]), str(ID["claim/article-001/9"])),
    }


def test_every_claim_has_its_source(seed_graph: DiploGraph) -> None:
    lacking = "ASK { ?c a dg:Claim FILTER NOT EXISTS { ?c dg:source ?s } }"
    assert seed_graph.query(PREFIXES + lacking).boolean is False
    sources = "SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c a dg:Claim ; dg:source ?s } GROUP BY ?s"
    assert rows(seed_graph, sources) == {
        (str(ARTICLE), "13"),
        (str(ID["article/article-002"]), "7"),
        (str(ID["article/article-003"]), "9"),
    }
    article = """
    SELECT ?title WHERE { ?a a dg:NewsArticle ; schema:headline ?title ; schema:text ?text
                          FILTER CONTAINS(?text, "Institute for the Study of War") }"""
    assert rows(seed_graph, article) == {
        ("Putin's Right Hand Man Gives Middle Finger To Trump's Peace Efforts",)
    }


def test_the_check_for_claims_without_source_can_fail(empty_graph: DiploGraph) -> None:
    empty_graph.update(
        PREFIXES
        + """INSERT DATA { GRAPH <urn:test> {
        <urn:c> a dg:Claim ; dg:speaker <urn:s> } }"""
    )
    lacking = "ASK { ?c a dg:Claim FILTER NOT EXISTS { ?c dg:source ?s } }"
    assert empty_graph.query(PREFIXES + lacking).boolean is True


def test_unknowns_stay_unknown(seed_graph: DiploGraph) -> None:
    article = f"ASK {{ {ARTICLE.n3()} schema:publisher|schema:datePublished|schema:url ?x }}"
    assert seed_graph.query(PREFIXES + article).boolean is False
    assert seed_graph.query(PREFIXES + f"ASK {{ {ARTICLE.n3()} ?p ?o }}").boolean is True
    dated = (
        "ASK { ?c a dg:Claim ; dg:source $article . "
        "{ ?c dg:date ?d } UNION { ?c dg:datePrecision ?p } }"
    )
    assert seed_graph.query(PREFIXES + dated, bindings={"article": ARTICLE}).boolean is False


def test_every_claim_is_fully_coded(seed_graph: DiploGraph) -> None:
    query = """
    SELECT ?c WHERE {
      ?c a dg:Claim .
      FILTER NOT EXISTS {
        ?c dg:speaker ?s ; dg:eventType ?t ; dg:target ?target ; dg:about ?about ;
           dg:paraphrase ?p .
        ?t skos:inScheme $cameo .
      }
    }"""
    assert rows(seed_graph, query, cameo=ID["scheme/cameo"]) == set()
    # a claim of an article with sections says which (articles 002 and 003 have none)
    sections = """
    SELECT ?c WHERE {
      ?c a dg:Claim ; dg:source ?a . ?a dg:section ?any .
      FILTER NOT EXISTS { ?c dg:section ?section }
    }"""
    assert rows(seed_graph, sections) == set()
    official = """
    SELECT ?c WHERE { ?c a dg:OfficialStatement FILTER NOT EXISTS { ?c dg:onBehalfOf ?state } }"""
    assert rows(seed_graph, official) == set()


def test_wikidata_links_have_sources(seed_graph: DiploGraph) -> None:
    query = """
    SELECT ?e ?wd ?src WHERE {
      GRAPH $links { ?e owl:sameAs ?wd }
      ?st rdf:subject ?e ; rdf:predicate owl:sameAs ; rdf:object ?wd ; dcterms:source ?src .
    }"""
    found = rows(seed_graph, query, links=iri.LINKS_GRAPH)
    assert len(found) == 9
    assert (
        str(ID["state/russia"]),
        "http://www.wikidata.org/entity/Q159",
        "https://www.wikidata.org/wiki/Q159",
    ) in found
    assert (
        str(ID["post/united-states-of-america-president"]),
        "http://www.wikidata.org/entity/Q11696",
        "https://www.wikidata.org/wiki/Q11696",
    ) in found
    linked = {e for e, _, _ in found}
    assert str(ID["person/sergey-lavrov"]) not in linked
    assert str(ID["organization/institute-for-the-study-of-war"]) not in linked
