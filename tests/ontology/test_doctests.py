"""The examples in the ontology modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "diplograph.ontology.codes",
    "diplograph.ontology.schemes",
    "diplograph.ontology.load",
    "diplograph.ontology.namespace",
    "diplograph.ontology.shacl",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
