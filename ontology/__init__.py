"""diplograph.ontology: the vocabulary and what checks data against it.

- ``diplo.ttl``: the OWL 2 DL ontology (``dg:``); ``shapes.ttl``: the SHACL shapes of the data.
- :mod:`.load`: both as package data and as parts of the build (``ontology_sources``).
- :mod:`.codes` and :mod:`.schemes`: CAMEO, PLOVER and the small SKOS concept schemes.
- :mod:`.namespace`: the generated ``DG`` DefinedNamespace and the other namespaces
  (regenerate with ``python -m diplograph.ontology.gen_namespace``).
- :mod:`.shacl`: SHACL validation in plain sentences; :mod:`.reasoning`: HermiT consistency.

See docs/ontology.md.
"""
