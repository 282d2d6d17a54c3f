"""Dates in claim records: at the precision the source gives (a day, a month or a year), never
made more precise than that."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class RecordDate:
    """A date at the precision the source gives: ``day``, ``month`` or ``year``."""

    text: str
    precision: str

    @property
    def literal(self) -> Literal:
        """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``."""
        dt = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}[self.precision]
        return Literal(self.text, datatype=dt)

    @property
    def year(self) -> int:
        return int(self.text[:4])


def parse_date(value: object) -> RecordDate | None:
    """A :class:`RecordDate` from ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` (or the integer year);
    ``None`` for ``unknown``. Raises ``ValueError`` saying what is wrong.

    >>> parse_date("1999-11").precision
    'month'
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    ValueError: day is out of range for month
    """
    if value is None or value == "unknown":
        return None
    text = f"{value:04d}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    m = _DATE.match(text)
    if m is None:
        raise ValueError("write YYYY-MM-DD, YYYY-MM or YYYY, or 'unknown'")
    year, month, day = m.groups()
    if int(year) == 0:
        raise ValueError("year 0000 does not exist")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError("month must be in 1..12")
    if day is not None:
        date(int(year), int(month), int(day))  # raises ValueError for 2024-02-30
        return RecordDate(text, "day")
    return RecordDate(text, "month" if month is not None else "year")


__all__ = ["RecordDate", "parse_date"]
