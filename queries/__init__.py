"""The catalogue of named SPARQL queries: the questions analysts ask of the graph.

Each ``queries/*.rq`` file is one query with a comment header (title, description, typed
parameters, tags); see :mod:`diplograph.queries.registry` for the header format,
:mod:`diplograph.queries.params` for parameter types, and ``docs/queries.md`` for the catalogue.

>>> get("members-on-date").title
'Members of an organisation on a given date'
>>> [p.name for p in get("members-on-date").params]
['organization', 'on', 'status']
"""

from diplograph.queries.params import PARAM_TYPES, Param, expand_iri, parse_value
from diplograph.queries.registry import NamedQuery, catalogue, get, load_query, parse_query
from diplograph.queries.run import labels_for, prepare, run_query

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "catalogue",
    "expand_iri",
    "get",
    "labels_for",
    "load_query",
    "parse_query",
    "parse_value",
    "prepare",
    "run_query",
]
