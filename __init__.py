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
- :mod:`diplograph.cli`: the ``diplograph`` command line.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("diplograph")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
