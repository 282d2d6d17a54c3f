"""The examples in the docstrings of the query modules run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "diplograph.queries",
    "diplograph.queries.params",
    "diplograph.queries.registry",
    "diplograph.queries.table",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0, f"{name} has no examples"
    assert failed == 0
