"""Sources of the facts a record adds to its article (format 2).

An entity may carry ``sources:``, one item per fact and page: ``field`` (the field of the record
the page supports), ``url`` (http or https), ``title`` (the page's own title) and ``accessed``
(the day it was read, ``YYYY-MM-DD``). The JSON Schema checks their form; :func:`check_sources`
checks what it cannot: that the field is one the record has and one that states something (a
date, a link, a title, a document number), and that the day it was read exists and is not in
the future. :mod:`.rdf` writes each sourced fact as an ``rdf:Statement``.

>>> sourceable("document_number"), sourceable("note"), sourceable("sources")
(True, False, False)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from diplograph.graph.records.rdf import FIELD_OF
from diplograph.graph.records.schema import Reporter
from diplograph.graph.records.yaml_lines import LineDict, LineList

#: Fields of an entity that state nothing a page could support (its IRI, the coder's note ...).
_NOT_FACTS = frozenset({"type", "iri", "note", "same_as", "sources", "article"})


def sourceable(name: str) -> bool:
    """True if an entity field becomes statements that a source can support."""
    return name not in _NOT_FACTS and name in FIELD_OF.values()


def check_sources(report: Reporter, key: str, ent: LineDict) -> None:
    """Report each ``sources`` item of entity ``key`` whose field or day is wrong."""
    items = ent.get("sources")
    if not isinstance(items, LineList):
        return
    record = f"entity {key}"
    for n, item in enumerate(items, 1):
        if not isinstance(item, LineDict):
            continue
        line = item.key_lines.get
        name = item.get("field")
        if isinstance(name, str) and name:
            problem = _field_problem(ent, name)
            if problem:
                report.add(line("field"), record, "sources", f"item {n}: {problem}")
        accessed = item.get("accessed")
        if isinstance(accessed, str) and len(accessed) == 10:
            problem = _day_problem(accessed)
            if problem:
                report.add(line("accessed"), record, "sources", f"item {n}: {problem}")


def _field_problem(ent: LineDict, name: str) -> str | None:
    has = [f for f in ent if sourceable(f)]
    if name not in ent:
        return (
            f"names the field {name!r}, which this record does not have; a source supports "
            f"one of its fields ({', '.join(has) or 'none'})"
        )
    if not sourceable(name):
        return f"names the field {name!r}, which states no fact a page could support"
    value: Any = ent[name]
    if value == "unknown" or value in ([], None, ""):
        return f"names the field {name!r}, which gives no value: there is nothing to source"
    return None


def _day_problem(text: str) -> str | None:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        return f"'accessed' {text} is not a valid date: {exc}"
    if day > date.today():
        return f"'accessed' {text} is in the future: give the day the page was read"
    return None
