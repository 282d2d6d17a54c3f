"""The graph: stores, ingest of claim records and RDF, dataset importers, analysis and export."""
