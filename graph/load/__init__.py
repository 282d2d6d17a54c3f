"""The loading path: sources into named graphs, validated first, all or nothing.

- :mod:`.build`: everything diplograph bundles (ontology, code lists, article records, links,
  datasets), each part from the module that owns it, in one transaction;
- :mod:`.ingest`: claim-record YAML and RDF files a user gives, validated (records, SHACL, OWL)
  before anything is written; :mod:`.articles` its records half, checked against the store
  (references across articles, :mod:`.reconcile` for probable duplicates, :mod:`.reingest` for
  what replacing an article changes); :mod:`.validate` for ``diplograph validate``;
- :mod:`.screen`: hostile-input screens run before any parser reads a file;
- :mod:`.links`: the bundled Wikidata links, each with its verifying source;
- :mod:`.inventory`: what a store holds (sources, triples per graph, instances, claims).
"""
