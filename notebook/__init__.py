"""diplograph in a notebook: ``import diplograph as dg; g = dg.open()``.

:func:`open` opens a store (the ``store`` setting by default, or a store URL or path) as a
:class:`Graph`: :meth:`Graph.query` runs SPARQL and :meth:`Graph.named` a named query, both
returning :class:`Rows` for a SELECT (``.columns``, dict-like rows, ``.to_dataframe()`` with
pandas); :meth:`Graph.network` gives a network view as a networkx graph and
:meth:`Graph.describe` one resource in tables. ``docs/notebook.md`` shows it at work, and
``docs/examples/notebook.ipynb`` is a notebook that runs in the tests.

The package is a client of the lower layers, like the command line: it imports ``graph`` and
``queries``, never ``server`` or ``cli``. The package root re-exports :func:`open`,
:class:`Graph` and :class:`Rows` lazily, so ``import diplograph`` stays light.

>>> g = open("memory:")
>>> g.query("SELECT ?n WHERE { VALUES ?n { 1 2 } }").records()
[{'n': 1}, {'n': 2}]
>>> g.query("ASK { ?s ?p ?o }")
False
>>> g.close()
"""

from diplograph.notebook.graph import Graph, open
from diplograph.notebook.resource import Resource
from diplograph.notebook.rows import Row, Rows

__all__ = ["Graph", "Resource", "Row", "Rows", "open"]
