"""The graph, one concern per subpackage:

- :mod:`~diplograph.graph.store`: store backends behind one interface, opened by store URL (one
  module per scheme), and the query results they give;
- :mod:`~diplograph.graph.records`: claim records: YAML read with lines, checked, turned into RDF;
- :mod:`~diplograph.graph.datasets`: importers of the bundled research datasets;
- :mod:`~diplograph.graph.load`: the loading path (build, ingest, input screens, links, inventory);
- :mod:`~diplograph.graph.describe`: a resource's description and labels, for pages and tables;
- :mod:`~diplograph.graph.network`: networkx views, their filters, analyses and export formats;
- :mod:`~diplograph.graph.extract`: the event coder that drafts claim records from article text.

Bundled data (articles, links, dataset files, coder dictionaries) lives in ``graph/data/``.
"""
