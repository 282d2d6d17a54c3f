"""Every docstring example in the package runs and gives what it shows.

The modules are found by walking the ``diplograph`` package (:func:`pkgutil.walk_packages`), not
listed by hand, so a new module's examples are tested the day it is written. A module whose
import has side effects beyond defining things is skipped, by name, in :data:`SKIP`.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import diplograph

#: ``__main__`` starts the command line when imported.
SKIP = frozenset({"diplograph.__main__"})


def _module_names() -> list[str]:
    names = [diplograph.__name__]
    for info in pkgutil.walk_packages(diplograph.__path__, prefix="diplograph."):
        if info.name not in SKIP:
            names.append(info.name)
    return sorted(names)


MODULES = _module_names()


def _examples(module: object, name: str) -> list[doctest.DocTest]:
    return doctest.DocTestFinder(exclude_empty=True).find(module, name)


def test_the_walk_reaches_every_layer_and_finds_examples() -> None:
    """A guard on the walk itself: it reaches into every subpackage, and finds the examples of
    modules known to have some (in the foundation and in each layer)."""
    for name in (
        "diplograph.iri",
        "diplograph.sparqllex",
        "diplograph.ontology.codes",
        "diplograph.graph.store.sparqltext",
        "diplograph.graph.records.model",
        "diplograph.graph.datasets.common",
        "diplograph.graph.extract.coder",
        "diplograph.queries.params",
        "diplograph.server.guard",
    ):
        assert name in MODULES, name
        assert _examples(importlib.import_module(name), name), f"{name} has no examples"
    assert "diplograph.cli" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in _examples(module, name):
        runner.run(test, out=report.append)
    failed, _ = runner.summarize(verbose=False)
    assert failed == 0, f"{name}: docstring examples fail\n" + "".join(report)
