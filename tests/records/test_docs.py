"""The claim-record documentation: its example loads, and it documents every type and field."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import ORG

from diplograph import iri
from diplograph.graph.records import SCHEMA_PATH, load_records
from diplograph.graph.records.model import ENTITY_TYPES
from diplograph.graph.records.rdf import record_triples

DOC = Path(__file__).resolve().parents[2] / "docs" / "claim-records.md"
DG = iri.ONTOLOGY


def test_the_documented_example_loads_as_written(tmp_path: Path) -> None:
    example = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    records = load_records(path)
    assert records.slug == "example-peskov-isw"
    g = Graph()
    for triple in record_triples(records):
        g.add(triple)
    c1, c2 = iri.ID["claim/example-peskov-isw/1"], iri.ID["claim/example-peskov-isw/2"]
    assert (c2, DG.contests, c1) in g
    assert g.value(c1, DG.speaker) == iri.ID["person/dmitry-peskov"]
    assert g.value(c1, DG.eventType) == iri.cameo("037")
    holds = (
        iri.ID["person/dmitry-peskov"],
        ORG.holds,
        iri.ID["post/russia-presidential-press-secretary"],
    )
    assert holds in g


def test_every_type_and_field_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for name in ENTITY_TYPES:
        assert f"`{name}`" in doc, name
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for section in ("article", "entity", "claim"):
        for field in schema["$defs"][section]["properties"]:
            assert f"`{field}`" in doc, (section, field)
