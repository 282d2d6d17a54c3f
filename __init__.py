"""diplograph: a linked-data knowledge graph of diplomatic relations.

The foundation every layer uses sits at the package root (:mod:`diplograph.errors`,
:mod:`diplograph.formats`, :mod:`diplograph.settings`, :mod:`diplograph.iri`,
:mod:`diplograph.provenance`). Subpackages, in the order data flows (each imports only the ones
before it; see ``docs/architecture.md``):

- :mod:`diplograph.ontology`: the OWL ontology, SHACL shapes, code lists and reasoning;
- :mod:`diplograph.graph`: stores, claim records, dataset importers, loading, descriptions,
  network views and exports, the event coder;
- :mod:`diplograph.queries`: the catalogue of named SPARQL queries;
- :mod:`diplograph.server`: the Flask SPARQL endpoint and linked-data pages;
- :mod:`diplograph.cli`: the ``diplograph`` command line;
- :mod:`diplograph.notebook`: the notebook API, re-exported here: ``import diplograph as dg;
  g = dg.open()`` (see ``docs/notebook.md``).

Importing the package loads nothing but its version: :func:`open`, :class:`Graph` and
:class:`Rows` are imported from :mod:`diplograph.notebook` the first time they are used.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("diplograph")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

#: Names of the notebook API the package root lends from :mod:`diplograph.notebook`.
_NOTEBOOK = ("Graph", "Rows", "open")

__all__ = ["Graph", "Rows", "__version__", "open"]


def __getattr__(name: str) -> Any:
    """``diplograph.open`` and the rest of the notebook API, imported on first use (PEP 562)."""
    if name in _NOTEBOOK:
        from diplograph import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'diplograph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_NOTEBOOK})
