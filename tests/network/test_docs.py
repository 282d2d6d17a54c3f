"""docs/network.md documents every view, format and analysis, and its first example is real."""

from __future__ import annotations

import re
from pathlib import Path

from diplograph import formats
from diplograph.cli.export import analyze
from diplograph.graph.network import VIEWS, analysis

DOC = (Path(__file__).parents[2] / "docs" / "network.md").read_text(encoding="utf-8")
ID = "https://w3id.org/diplograph/id/"


def test_every_view_has_a_section():
    for view in VIEWS:
        assert f"### `{view}`" in DOC, view


def test_every_network_format_is_in_the_table():
    for fmt in formats.of_kind("network"):
        assert re.search(rf"^\| (`\w+`, )?`{fmt.key}`", DOC, re.M), fmt.key
        assert fmt.media_type in DOC, fmt.media_type


def test_every_analysis_command_is_documented():
    for name in analyze.commands:
        assert f"`analyze {name}" in DOC, name


def test_the_path_example_is_what_the_seed_graph_gives(seed_graph):
    block = DOC[DOC.index("$ diplograph analyze path") :].split("\n$ ")[0].splitlines()[1:]
    steps = analysis.explain_path(seed_graph, ID + "person/sergey-lavrov", ID + "organization/nato")
    assert block == [f"{i}. {s}" for i, s in enumerate(steps, 1)]
