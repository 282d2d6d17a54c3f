"""Load an N-Quads file into a fresh diplograph store (``oxigraph:DIR``) with the library's
parallel bulk loader (:mod:`diplograph.graph.store.bulk`, the path ``diplograph ingest`` takes),
keeping each quad's named graph. Run as its own process by :mod:`bench.compare`, so that its time
and peak RSS are its own.

    python -m bench.loadquads DIR FILE.nq
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from diplograph import iri
from diplograph.graph.store import bulk, open_graph


def main(argv: list[str] | None = None) -> None:
    directory, data = (Path(a) for a in (argv or sys.argv[1:]))
    graph = open_graph(f"oxigraph:{directory}")
    store = graph.store  # type: ignore[attr-defined]
    target = ox.NamedNode(str(iri.file_graph(data.stem)))
    bulk.load(store, data, ox.RdfFormat.N_QUADS, target, line_based=True)
    print(len(store))
    graph.close()


if __name__ == "__main__":
    main()
