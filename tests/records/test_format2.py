"""Claim-record format 2: references across sources, replies, topics, dates as written,
holdings as of a date, typed events; and format 1 files giving the triples they always gave."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from diplograph import iri
from diplograph.errors import ClaimError
from diplograph.graph.records import ARTICLES_DIR, load_records
from diplograph.graph.records.rdf import record_triples
from diplograph.graph.records.together import load_together

DATA = Path(__file__).parent / "data"
DG = iri.ONTOLOGY
ID = iri.ID

HEAD = """format: 2
article:
  id: {slug}
  title: Test article {slug}
  text: >-
    On Saturday the minister answered the president. Officials said nothing new about NATO.
{date}entities:
  minister:
    type: Official
    label: Test Minister {slug}
  state:
    type: State
    iri: state/russia
    label: Russia
  council:
    type: Conference
    label: Test conference {slug}
    date: 2024-05
  talk:
    type: Speech
    label: Test speech {slug}
    date: 2024-05-04
    part_of: council
claims:
"""
CLAIM = """  - id: c{n}
    kind: official statement
    speaker: minister
    on_behalf_of: state
    event_type: "010"
    paraphrase: Claim {n}.
"""


def write(tmp_path: Path, slug: str, claims: str, *, date: str = "") -> Path:
    path = tmp_path / f"{slug}.yaml"
    path.write_text(HEAD.format(slug=slug, date=date) + claims, encoding="utf-8")
    return path


def line(path: Path, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line of ``path`` that contains ``needle``."""
    hits = [i for i, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    return hits[nth - 1]


def problems(path: Path, **kw: object) -> list[str]:
    with pytest.raises(ClaimError) as caught:
        load_records(path, **kw)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def nt(triples: object) -> list[str]:
    g = Graph()
    for t in triples:  # type: ignore[attr-defined]
        g.add(t)
    return sorted(set(g.serialize(format="nt").strip().splitlines()))


def test_a_format_1_file_gives_the_triples_it_gave_before_format_2(tmp_path: Path) -> None:
    # article-001 as it was written in format 1, and its triples as format-1 diplograph wrote them
    shutil.copy(DATA / "article-001.format1.yaml", tmp_path / "article-001.yaml")
    shutil.copy(ARTICLES_DIR / "article-001.txt", tmp_path / "article-001.txt")
    records = load_records(tmp_path / "article-001.yaml")
    assert records.format == 1
    expected = (DATA / "article-001.format1.nt").read_text(encoding="utf-8").splitlines()
    assert nt(record_triples(records)) == expected


def test_format_2_fields_in_a_format_1_file_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "a1", CLAIM.format(n=1) + "    topics: [trade]\n")
    path.write_text(path.read_text().replace("format: 2", "format: 1"), encoding="utf-8")
    found = problems(path)
    assert (
        f"{path}:{line(path, 'type: Conference')}: "
        "entity council: 'type' is a format 2 type Conference: write 'format: 2' at the top of "
        "the file" in found
    )
    assert any(
        p.startswith(f"{path}:{line(path, 'topics:')}: claim c1: 'topics' is a format 2 field")
        for p in found
    )


def test_topics_dates_as_written_and_typed_events(tmp_path: Path) -> None:
    claims = (
        CLAIM.format(n=1) + "    topics: [NATO Expansion, ceasefire]\n    date_text: On Saturday\n"
    )
    path = write(tmp_path, "a2", claims, date="  date: 2024-05-06\n")
    records = load_records(path)
    triples = set(record_triples(records))
    c1 = iri.claim("a2", 1)
    assert (c1, DG.topic, ID["topic/nato-enlargement"]) in triples
    assert (c1, DG.about, ID["topic/ceasefire"]) in triples
    # published on Monday 6 May 2024: "On Saturday" is 4 May 2024, at day precision
    assert (c1, DG.date, Literal("2024-05-04", datatype=XSD.date)) in triples
    assert (c1, DG.dateText, Literal("On Saturday", lang="en")) in triples
    speech, conference = ID["event/test-speech-a2"], ID["event/test-conference-a2"]
    assert (speech, DG.subEventOf, conference) in triples
    from rdflib.namespace import RDF

    assert (speech, RDF.type, DG.Speech) in triples and (
        conference,
        RDF.type,
        DG.Meeting,
    ) in triples


def test_a_relative_date_needs_a_publication_date_and_the_text(tmp_path: Path) -> None:
    claims = CLAIM.format(n=1) + "    date_text: On Saturday\n" + CLAIM.format(n=2)
    claims += "    date_text: on Tuesday night\n    topics: [the weather]\n"
    path = write(tmp_path, "a3", claims)
    found = problems(path)
    assert (
        f"{path}:{line(path, 'date_text')}: "
        "claim c1: 'date_text' the article's publication date is unknown, so "
        "'On Saturday' cannot be placed" in found
    )
    assert (
        f"{path}:{line(path, 'date_text', 2)}: "
        "claim c2: 'date_text' 'on Tuesday night' is not in the article text" in found
    )
    assert any(
        p.startswith(
            f"{path}:{line(path, 'topics')}: "
            "claim c2: 'topics' 'the weather' is not a topic of the topic scheme"
        )
        for p in found
    )


def test_links_to_claims_of_other_files_and_replies_in_order(tmp_path: Path) -> None:
    first = write(tmp_path, "first", CLAIM.format(n=1) + "    date: 2024-05-02\n")
    reply = CLAIM.format(n=1) + "    date: 2024-05-03\n    responds_to: [claim/first/1]\n"
    reply += "    contests: [id:claim/first/1]\n"
    reply += CLAIM.format(n=2) + "    date: 2024-05-01\n    responds_to: [c1]\n"
    second = write(tmp_path, "second", reply)
    with pytest.raises(ClaimError) as caught:
        load_together([first, second])
    assert [str(p) for p in caught.value.problems] == [
        f"{second}:{line(second, 'responds_to: [c1]')}: "
        "claim c2: 'responds_to' 'c1' is dated 2024-05-03, after this claim "
        "(2024-05-01): a reply comes after what it answers"
    ]
    second.write_text(second.read_text().replace("date: 2024-05-01", "date: 2024-05-04"))
    loaded = load_together([first, second])
    triples = set(record_triples(loaded[1]))
    assert (iri.claim("second", 1), DG.respondsTo, iri.claim("first", 1)) in triples
    assert (iri.claim("second", 1), DG.contests, iri.claim("first", 1)) in triples
    assert (iri.claim("second", 2), DG.respondsTo, iri.claim("second", 1)) in triples


def test_a_link_to_a_claim_that_exists_nowhere_names_file_line_and_field(tmp_path: Path) -> None:
    first = write(tmp_path, "first", CLAIM.format(n=1))
    second = write(tmp_path, "second", CLAIM.format(n=1) + "    contests: [claim/first/7]\n")
    with pytest.raises(ClaimError) as caught:
        load_together([first, second])
    assert [str(p) for p in caught.value.problems] == [
        f"{second}:{line(second, 'contests:')}: "
        "claim c1: 'contests' refers to unknown claim 'claim/first/7' (not in the "
        "store or the files loaded with it)"
    ]


def test_a_badly_typed_entity_is_reported_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a4", CLAIM.format(n=1) + "    made_at: talk\n")
    path.write_text(path.read_text().replace("type: Speech", "type: Speach"), encoding="utf-8")
    found = problems(path)
    assert len(found) == 1 and "'type' 'Speach' is not one of" in found[0]


def test_holdings_as_of_the_article(tmp_path: Path) -> None:
    extra = """  post:
    type: Post
    role: Test role
    label: Test role of Russia
    post_in: state
  holding:
    type: Tenure
    holder: minister
    post: post
    as_of: article
"""
    path = write(tmp_path, "a5", CLAIM.format(n=1))
    path.write_text(path.read_text().replace("claims:\n", extra + "claims:\n"), encoding="utf-8")
    assert problems(path) == [
        f"{path}:{line(path, 'as_of')}: "
        "entity holding: 'as_of' is 'article' but the article's publication date is "
        "unknown: give the date the source states"
    ]
    path.write_text(
        path.read_text().replace(
            "title: Test article a5\n", "title: Test article a5\n  date: 2024-05\n"
        )
    )
    tenure = iri.tenure("a5", "test-minister-a5", "russia-test-role")
    triples = set(record_triples(load_records(path)))
    assert (tenure, DG.heldOn, Literal("2024-05", datatype=XSD.gYearMonth)) in triples
