"""The claim-record loader: it accepts the seed file and reports each mistake at its line, naming
the record and field, all at once, before anything is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from diplograph import iri
from diplograph.errors import ClaimError
from diplograph.graph.load.build import build
from diplograph.graph.records import (
    SCHEMA_PATH,
    KnownIn,
    article_source,
    bundled_article_files,
    load_records,
    locate,
)
from diplograph.graph.records.yaml_lines import load_yaml
from diplograph.graph.store import DiploGraph

C3_SPEAKER = (
    "    label: Lavrov demands that the war's 'root causes' be addressed\n"
    "    kind: official statement\n    speaker: lavrov\n",
    "    label: Lavrov demands that the war's 'root causes' be addressed\n"
    "    kind: official statement\n",
)
C2_DATE = (
    "    section: Dive Deeper\n    paraphrase: >-\n      Donald Trump suggested",
    "    section: Dive Deeper\n    date: 2024-02-30\n"
    "    paraphrase: >-\n      Donald Trump suggested",
)
C7_CAMEO = ('    event_type: "138" ', '    event_type: "1999" ')
C4_TARGET = (
    "    targets: [usa]\n    about: [us-trade-offer]",
    "    targets: [usa, lavrv]\n    about: [us-trade-offer]",
)


def _problems(path: Path) -> list[str]:
    with pytest.raises(ClaimError) as info:
        load_records(path)
    return [str(p) for p in info.value.problems]


def test_the_seed_file_loads_with_every_claim_and_entity() -> None:
    records = load_records(bundled_article_files()[0])
    assert records.location == "graph/data/articles/article-001.yaml"
    assert records.slug == "article-001"
    assert [c.id for c in records.claims] == [f"c{n}" for n in range(1, 14)]
    assert records.entities["lavrov"].iri == iri.ID["person/sergey-lavrov"]
    assert (
        records.entities["ru-foreign-minister"].iri
        == iri.ID["post/russia-minister-of-foreign-affairs"]
    )
    assert records.entities["us-president"].iri == iri.ID["post/united-states-of-america-president"]
    assert records.entities["lavrov-foreign-minister"].label == (
        "Sergey Lavrov as Minister of Foreign Affairs of Russia"
    )
    assert "Dive Deeper:" in records.text
    assert len(records.content_hash) == 64


def test_a_claim_without_speaker_is_reported_at_its_line(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(C3_SPEAKER)
    line = line_of(path, "- id: c3")
    assert _problems(path) == [f"{path}:{line}: claim c3: 'speaker' is required but missing"]


def test_an_impossible_date_is_reported(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(C2_DATE)
    line = line_of(path, "date: 2024-02-30")
    assert _problems(path) == [
        f"{path}:{line}: claim c2: 'date' 2024-02-30 is not a valid date: "
        "day is out of range for month"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13", "2024-13 is not a valid date: month must be in 1..12"),
        ("0000", "'0000' is not a valid date: year 0000 does not exist"),
        ("24-01-01", "'24-01-01' is not a date as YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_malformed_dates_are_reported(
    variant: Callable[..., Path], value: str, message: str
) -> None:
    path = variant((C2_DATE[0], C2_DATE[1].replace("2024-02-30", value)))
    [problem] = _problems(path)
    assert problem.split(": claim c2: 'date' ", 1)[1].startswith(
        message.replace("'0000' is", "0000 is")
    )


def test_an_unknown_cameo_code_is_reported(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(C7_CAMEO)
    line = line_of(path, '"1999"')
    assert _problems(path) == [f"{path}:{line}: claim c7: 'event_type' 1999 is not a CAMEO code"]


def test_an_unknown_entity_is_reported_with_a_suggestion(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(C4_TARGET)
    line = line_of(path, "targets: [usa, lavrv]")
    assert _problems(path) == [
        f"{path}:{line}: claim c4: 'targets' refers to unknown entity 'lavrv' "
        "(did you mean 'lavrov'?): declare it under 'entities'"
    ]


def test_an_undeclared_iri_path_must_be_known_to_the_graph(variant: Callable[..., Path]) -> None:
    path = variant(
        (
            "    targets: [usa]\n    about: [us-trade-offer]",
            "    targets: [usa, state/germany]\n    about: [us-trade-offer]",
        )
    )
    [problem] = _problems(path)
    assert problem.endswith(
        "claim c4: 'targets' refers to unknown entity 'state/germany': declare it under "
        "'entities' (an IRI path must be declared or already in the graph)"
    )
    records = load_records(path, known={str(iri.ID["state/germany"])})
    c4 = next(c for c in records.claims if c.id == "c4")
    assert records.ref(c4.data["targets"][1]) == iri.ID["state/germany"]


def test_an_iri_path_may_name_an_entity_already_in_a_store(
    variant: Callable[..., Path], empty_graph: DiploGraph
) -> None:
    path = variant(
        (
            "    targets: [usa]\n    about: [us-trade-offer]",
            "    targets: [usa, state/germany]\n    about: [us-trade-offer]",
        )
    )
    with pytest.raises(ClaimError):
        load_records(path, known=KnownIn(empty_graph))
    empty_graph.update(
        "INSERT DATA { GRAPH <urn:g> { <https://w3id.org/diplograph/id/state/germany> "
        "<http://www.w3.org/2000/01/rdf-schema#label> 'Germany'@en } }"
    )
    records = load_records(path, known=KnownIn(empty_graph))
    assert iri.ID["state/germany"] in records.refs.values()


def test_every_problem_is_reported_at_once_in_line_order(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(C7_CAMEO, C3_SPEAKER, C4_TARGET, C2_DATE)
    with pytest.raises(ClaimError) as info:
        load_records(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: 4 problem(s) in the claim records; nothing was written."
    assert [p.record for p in info.value.problems] == [
        "claim c2",
        "claim c3",
        "claim c4",
        "claim c7",
    ]
    assert [p.field for p in info.value.problems] == ["date", "speaker", "targets", "event_type"]
    assert info.value.exit_code == 2


def test_nothing_is_written_when_a_file_has_problems(
    variant: Callable[..., Path], empty_graph: DiploGraph
) -> None:
    path = variant(C7_CAMEO)
    with pytest.raises(ClaimError):
        empty_graph.replace_graphs([article_source(path)])
    assert empty_graph.count() == 0
    assert empty_graph.named_graphs() == []


def test_duplicate_claim_ids_and_entity_keys(variant: Callable[..., Path]) -> None:
    path = variant(("  - id: c13\n", "  - id: c4\n"))
    dup = [i for i, t in enumerate(path.read_text().splitlines(), 1) if t == "  - id: c4"]
    assert _problems(path) == [
        f"{path}:{dup[1]}: claim c4: 'id' c4 is used twice (first at line {dup[0]})"
    ]
    path = variant(("  peskov:\n    type: Official\n", "  lavrov:\n    type: Official\n"))
    dup = [i for i, t in enumerate(path.read_text().splitlines(), 1) if t == "  lavrov:"]
    assert _problems(path) == [
        f"{path}:{dup[1]}: the key 'lavrov' is given twice (first at line {dup[0]})."
    ]


def test_schema_errors_name_record_field_and_line(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(
        ('    event_type: "1211" ', "    event_type: 1211 "),
        ("    kind: analyst assessment\n", "    kind: analysis\n"),
        ("    role_type: Spokesperson\n", "    role_type: Spokesperson\n    colour: red\n"),
    )
    assert _problems(path) == [
        f"{path}:{line_of(path, 'colour: red')}: entity ru-press-secretary: 'colour' is not a "
        "field of an entity",
        f"{path}:{line_of(path, 'event_type: 1211')}: claim c4: 'event_type' 1211 must be quoted, "
        'as in "1211": an unquoted code is read as a number',
        f"{path}:{line_of(path, 'kind: analysis')}: claim c12: 'kind' 'analysis' is not one of "
        "'official statement', 'analyst assessment', 'editorial'",
    ]


def test_an_unquoted_code_with_a_leading_zero_stays_a_code(variant: Callable[..., Path]) -> None:
    path = variant(
        (
            '    event_type: "010"           # Make statement\n    topics: [trade]\n'
            "    targets: [russia]\n    about: [us-trade-offer]",
            "    event_type: 010\n    topics: [trade]\n    targets: [russia]\n"
            "    about: [us-trade-offer]",
        )
    )
    c5 = next(c for c in load_records(path).claims if c.id == "c5")
    assert c5.data["event_type"] == "010"


def test_references_must_point_to_the_right_kind_of_entity(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(
        ("    holder: peskov\n", "    holder: russia\n"),
        ("    made_at: roundtable\n", "    made_at: kyiv\n"),
    )
    assert _problems(path) == [
        f"{path}:{line_of(path, 'holder: russia')}: entity peskov-press-secretary: 'holder' "
        "'russia' is a state, but 'holder' must be a person",
        f"{path}:{line_of(path, 'made_at: kyiv')}: claim c9: 'made_at' 'kyiv' is a place, but "
        "'made_at' must be a event",
    ]


def test_quotes_must_be_the_articles_words_and_links_must_name_claims(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(
        ("    quote: root causes\n", "    quote: root causes of all evil\n"),
        ("    contests: [c11]\n", "    contests: [c12, c99]\n"),
    )
    assert _problems(path) == [
        f"{path}:{line_of(path, 'root causes of all evil')}: claim c3: 'quote' 'root causes of "
        "all evil' is not in the article text (a quote must be the article's own words)",
        f"{path}:{line_of(path, 'contests: [c12, c99]')}: claim c12: 'contests' a claim cannot "
        "contest itself",
        f"{path}:{line_of(path, 'contests: [c12, c99]')}: claim c12: 'contests' refers to "
        "unknown claim 'c99'",
    ]


def test_sections_must_be_the_articles_and_iris_must_fit_the_type(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(
        ("    section: Context\n", "    section: Epilogue\n"),
        ("    iri: organization/kremlin\n", "    iri: state/kremlin\n"),
    )
    assert _problems(path) == [
        f"{path}:{line_of(path, 'iri: state/kremlin')}: entity kremlin: 'iri' 'state/kremlin' "
        "is not an IRI of a GovernmentBody: it must start with organization/",
        f"{path}:{line_of(path, 'section: Epilogue')}: claim c7: 'section' 'Epilogue' is not "
        "one of the article's sections: Context, Dive Deeper",
    ]


def test_a_missing_text_file_and_bad_yaml_are_reported(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(("  text_file: article-001.txt\n", "  text_file: missing.txt\n"))
    assert _problems(path) == [
        f"{path}:{line_of(path, 'missing.txt')}: article: 'text_file' 'missing.txt' cannot be "
        "read (no such file); the path is relative to this file"
    ]
    path = variant(("targets: [trump, usa]", "targets: [trump, usa"))
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:") and "is not valid YAML" in problem


def test_the_yaml_loader_keeps_lines_and_strings() -> None:
    data = load_yaml("a: 1\nb:\n  - x\n  - y\nc: 2024-02-30\nd: no\ne: 010\n", "f.yaml")
    assert data.key_lines == {"a": 1, "b": 2, "c": 5, "d": 6, "e": 7}
    assert data["b"].item_lines == [3, 4]
    assert (data["c"], data["d"], data["e"]) == ("2024-02-30", "no", "010")


def test_the_schema_is_valid_json_schema_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    seed = load_yaml(bundled_article_files()[0].read_text(encoding="utf-8"), "seed")
    assert list(validator.iter_errors(seed)) == []
    del seed["claims"][0]["speaker"]
    [error] = validator.iter_errors(seed)
    assert error.message == "'speaker' is a required property"


def test_locate_maps_minted_iris_back_to_lines(line_of: Callable[..., int]) -> None:
    seed = bundled_article_files()[0]
    records = load_records(seed)
    where = "graph/data/articles/article-001.yaml"
    assert locate(records.claims[6].iri) == f"{where}:{line_of(seed, '- id: c7')}: claim c7"
    assert (
        locate(iri.ID["person/sergey-lavrov"]) == f"{where}:{line_of(seed, '  lavrov:')}: "
        "entity lavrov"
    )
    assert locate(records.iri) == f"{where}:{line_of(seed, 'article:')}: article"
    assert locate(iri.ID["person/nobody"]) is None


def test_the_seed_graph_builds_only_from_the_bundled_articles(empty_graph: DiploGraph) -> None:
    report = build(empty_graph, parts=("articles",))
    assert [s.graph for s, _ in report.graphs] == [
        iri.article_graph(f"article-00{n}") for n in (1, 2, 3)
    ]
    source, count = report.graphs[0]
    assert source.graph == iri.article_graph("article-001")
    assert source.kind == "article"
    assert source.origin == "graph/data/articles/article-001.yaml"
    assert count == empty_graph.count(iri.article_graph("article-001")) > 300
