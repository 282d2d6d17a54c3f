"""Dates of claims read from the article's words: explicit dates (*March 3, 2024*, *3 March
2024*, *2024-03-03*, *in March 2024*) are the claim's date at the precision written; relative
ones (*on Saturday*, *the next day*, *yesterday*) only against a known day (the publication date
given with ``--date``, or a date the article gave before), never guessed.

>>> date_in("Lavrov spoke on March 3, 2024 in Minsk.")
('2024-03-03', 'March 3, 2024')
>>> date_in("The talks ended in June 2023.")
('2023-06', 'June 2023')
>>> date_in("He spoke on Saturday.", known="2024-03-06")
('2024-03-02', 'on Saturday')
>>> date_in("He spoke on Saturday.") is None
True
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = "(" + "|".join(m.capitalize() for m in _MONTHS) + ")"
_MDY = re.compile(rf"\b{_M}\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_DMY = re.compile(rf"\b(\d{{1,2}})\s+{_M}\s+(\d{{4}})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MY = re.compile(rf"\b{_M}\s+(\d{{4}})\b")
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(" + "|".join(d.capitalize() for d in _DAYS) + r")\b")
_RELATIVE = re.compile(r"\b(today|yesterday|the next day|the day before|the following day)\b", re.I)


def _day(y: str, m: int, d: str) -> str | None:
    try:
        return date(int(y), m, int(d)).isoformat()
    except ValueError:
        return None


def explicit(text: str) -> tuple[str, str] | None:
    """The first explicit date of ``text``: (``YYYY-MM-DD`` or ``YYYY-MM``, the words)."""
    found: list[tuple[int, str, str]] = []
    for m in _MDY.finditer(text):
        day = _day(m.group(3), _MONTHS.index(m.group(1).lower()) + 1, m.group(2))
        if day:
            found.append((m.start(), day, m.group()))
    for m in _DMY.finditer(text):
        day = _day(m.group(3), _MONTHS.index(m.group(2).lower()) + 1, m.group(1))
        if day:
            found.append((m.start(), day, m.group()))
    for m in _ISO.finditer(text):
        day = _day(m.group(1), int(m.group(2)), m.group(3))
        if day:
            found.append((m.start(), day, m.group()))
    if not found:
        for m in _MY.finditer(text):
            month = _MONTHS.index(m.group(1).lower()) + 1
            found.append((m.start(), f"{m.group(2)}-{month:02d}", m.group()))
    return min(found)[1:] if found else None


def relative(text: str, known: str) -> tuple[str, str] | None:
    """A relative date of ``text`` resolved against the day ``known`` (``YYYY-MM-DD``): a weekday
    is the most recent such day before it; *the next day* the day after."""
    try:
        base = date.fromisoformat(known)
    except ValueError:
        return None  # a month or a year: a day-relative word cannot be resolved
    m = _WEEKDAY.search(text)
    if m:
        back = (base.weekday() - _DAYS.index(m.group(1).lower())) % 7 or 7
        return (base - timedelta(days=back)).isoformat(), m.group()
    m = _RELATIVE.search(text)
    if m:
        word = m.group(1).lower()
        shift = {"today": 0, "yesterday": -1, "the day before": -1}.get(word, 1)
        return (base + timedelta(days=shift)).isoformat(), m.group()
    return None


def date_in(text: str, known: str | None = None) -> tuple[str, str] | None:
    """The date ``text`` gives, explicit first, else relative to ``known`` (if known)."""
    found = explicit(text)
    if found is None and known is not None:
        found = relative(text, known)
    return found


__all__ = ["date_in", "explicit", "relative"]
