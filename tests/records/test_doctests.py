"""The executable examples in the docstrings of the claim-record and link modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "diplograph.graph.records",
    "diplograph.graph.records.yaml_lines",
    "diplograph.graph.records.model",
    "diplograph.graph.load.links",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
