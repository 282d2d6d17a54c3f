"""The rows a notebook query returns: :class:`Rows`, a list of :class:`Row` with ``.columns``.

A :class:`Row` is a read-only mapping from column name to rdflib term (``None`` where the
variable is unbound), so ``row["actor"]``, ``row.get("date")``, ``dict(row)`` and ``row[0]``
all work. :meth:`Rows.to_dataframe` turns the rows into a pandas DataFrame (pandas is optional:
``pip install pandas``), with IRIs in their short form (:func:`diplograph.iri.shorten`,
``id:state/russia``) and literals as Python values (dates as :class:`datetime.date`, numbers as
numbers); :meth:`Rows.records` gives the same values as plain dicts.

>>> from rdflib import Literal, URIRef
>>> rows = Rows(("actor", "n"), [(URIRef("https://w3id.org/diplograph/id/state/russia"),
...                               Literal(3))])
>>> rows.columns, len(rows), rows[0]["n"].toPython()
(('actor', 'n'), 1, 3)
>>> rows.records()
[{'actor': 'id:state/russia', 'n': 3}]
>>> print(rows)
actor            n
---------------  -
id:state/russia  3
(1 row)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from diplograph.graph.store.results import QueryResult, select
from diplograph.iri import shorten
from diplograph.queries.table import display, render_table

#: Rows shown by ``repr`` and in a notebook's output (the rest is summarised as "N more rows").
SHOWN = 20

Labeller = Callable[[set[URIRef]], Mapping[URIRef, str]]


def python_value(term: Node | None, *, short: bool = True) -> Any:
    """A term as a notebook shows it: an IRI in its short form (or in full with ``short``
    false), a literal as its Python value (its lexical form when it has none, as for
    ``xsd:gYear``), a blank node as ``_:id``, an unbound variable as None."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return shorten(str(term)) if short else str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


class Row(Mapping[str, Node | None]):
    """One result row: a mapping from column name to term, also indexable by position."""

    __slots__ = ("_columns", "_values")

    def __init__(self, columns: tuple[str, ...], values: Sequence[Node | None]) -> None:
        self._columns, self._values = columns, tuple(values)

    def __getitem__(self, key: str | int) -> Node | None:
        if isinstance(key, int):
            return self._values[key]
        try:
            return self._values[self._columns.index(key)]
        except ValueError:
            raise KeyError(
                f"{key!r} is not a column; the columns: {', '.join(self._columns)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{c}={python_value(v)!r}" for c, v in zip(self._columns, self._values, strict=True)
        )
        return f"Row({shown})"


class Rows(Sequence[Row]):
    """The rows of a SELECT result, in order, with their ``columns``. ``truncated`` is true when
    the store cut the result at its row limit."""

    def __init__(
        self,
        columns: Iterable[str],
        rows: Iterable[Sequence[Node | None]],
        *,
        truncated: bool = False,
        labeller: Labeller | None = None,
    ) -> None:
        self.columns: tuple[str, ...] = tuple(columns)
        self._rows = [Row(self.columns, r) for r in rows]
        self.truncated = truncated
        self._labeller = labeller

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> Rows: ...
    def __getitem__(self, index: int | slice) -> Row | Rows:
        if isinstance(index, slice):
            picked = [tuple(r.values()) for r in self._rows[index]]
            return Rows(self.columns, picked, labeller=self._labeller)
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def column(self, name: str) -> list[Node | None]:
        """The terms of one column, row by row."""
        if name not in self.columns:
            raise KeyError(f"{name!r} is not a column; the columns: {', '.join(self.columns)}")
        return [r[name] for r in self._rows]

    def labels(self) -> dict[URIRef, str]:
        """A label for each IRI in the rows that has one (the one label rule, English first);
        empty for rows that did not come from a store."""
        if self._labeller is None:
            return {}
        found = {v for r in self._rows for v in r.values() if isinstance(v, URIRef)}
        return dict(self._labeller(found)) if found else {}

    def records(self, *, short: bool = True, labels: bool = False) -> list[dict[str, Any]]:
        """Each row as a dict of Python values (see :func:`python_value`); with ``labels``, a
        ``<column>_label`` entry after each column that holds IRIs."""
        names = list(self.columns)
        found = self.labels() if labels else {}
        labelled = {
            c for c in names if any(isinstance(r[c], URIRef) and r[c] in found for r in self._rows)
        }
        out = []
        for r in self._rows:
            record: dict[str, Any] = {}
            for c in names:
                term = r[c]
                record[c] = python_value(term, short=short)
                if c in labelled:
                    record[f"{c}_label"] = found.get(term) if isinstance(term, URIRef) else None
            out.append(record)
        return out

    def to_dataframe(self, *, short: bool = True, labels: bool = False) -> Any:
        """The rows as a pandas DataFrame, one column per variable (see :meth:`records`); needs
        pandas (``pip install pandas``, or ``pip install 'diplograph[notebook]'``)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ModuleNotFoundError(
                "Rows.to_dataframe needs pandas, which is not installed: pip install pandas "
                "(or pip install 'diplograph[notebook]').",
                name="pandas",
            ) from exc
        records = self.records(short=short, labels=labels)
        columns = list(records[0]) if records else list(self.columns)
        return pd.DataFrame.from_records(records, columns=columns)

    def _shown(self) -> QueryResult:
        return select(self.columns, [tuple(r.values()) for r in self._rows[:SHOWN]])

    def _more(self) -> str:
        note = f"{len(self)} row{'' if len(self) == 1 else 's'}"
        if len(self) > SHOWN:
            note += f", the first {SHOWN} shown"
        return note + ("; cut at the store's row limit" if self.truncated else "")

    def __repr__(self) -> str:
        table = render_table(self._shown()).rsplit("\n", 1)[0]  # its count is of the shown rows
        return f"{table}\n({self._more()})"

    def _repr_html_(self) -> str:
        """The table a notebook shows (every value escaped: labels come from the data)."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(display(v))}</td>" for v in row) + "</tr>"
            for row in self._shown().rows
        )
        table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        return f"{table}<p>({html.escape(self._more())})</p>"
