"""docs/datasets.md: its SPARQL example runs on the bundled data and gives what the text says,
and every dataset and reconciliation table it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from diplograph.graph.datasets import IMPORTERS
from diplograph.graph.datasets.reconcile import reconcile_file

DOC = Path(__file__).resolve().parents[2] / "docs" / "datasets.md"


def test_the_as_of_example_gives_the_19_nato_members_of_1999(dgraph):
    text = DOC.read_text(encoding="utf-8")
    (sparql,) = re.findall(r"```sparql\n(.*?)```", text, flags=re.S)
    states = {str(r[0]).rsplit("/", 1)[1] for r in dgraph.query(sparql).rows}
    assert len(states) == 19
    assert {"united-states-of-america", "germany", "poland", "hungary", "czech-republic"} <= states
    assert "russia" not in states


def test_every_dataset_and_table_named_exists():
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.M))
    assert named == set(IMPORTERS)
    for table in set(re.findall(r"reconcile/([a-z_]+\.csv)", text)):
        assert reconcile_file(table).is_file(), table
