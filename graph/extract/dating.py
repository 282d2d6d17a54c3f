"""Dates of claims read from the article's words: explicit dates (*March 3, 2024*, *3 March
2024*, *2024-03-03*, *in March 2024*) are the claim's date at the precision written; relative
ones (*on Saturday*, *the next day*, *yesterday*) only against a known day (the publication date
given with ``--date``, or a date the article gave before), never guessed.

>>> date_in("Lavrov spoke on March 3, 2024 in Minsk.")
('2024-03-03', 'March 3, 2024')
>>> date_in("The talks ended in June 2023.")
('2023-06', 'June 2023')
>>> date_in("He spoke on Saturday.", published="2024-03-06")
('2024-03-02', 'on Saturday')
>>> date_in("He spoke on Saturday.") is None
True
>>> date_in("She replied the next day.", published="2024-03-06", last="2024-03-04")
('2024-03-05', 'the next day')
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


def relative(text: str, published: str | None, last: str | None = None) -> tuple[str, str] | None:
    """A relative date of ``text``: a weekday (*on Saturday*, *last Friday*), *today* or
    *yesterday* against the publication day ``published`` (a weekday is the most recent such day
    before it); *the next day* and *the day before* against ``last``, the day of the event the
    article told before. ``None`` without the day it needs (or when it would fall after the
    publication): nothing is guessed."""
    m = _WEEKDAY.search(text)
    word = _RELATIVE.search(text)
    if m is None and word is None:
        return None
    on_publication = word is None or word.group(1).lower() in ("today", "yesterday")
    base_text = published if m is not None or on_publication else last
    try:
        base = date.fromisoformat(base_text or "")
    except ValueError:
        return None  # unknown, or a month or a year: a day-relative word cannot be resolved
    if m is not None:
        back = (base.weekday() - _DAYS.index(m.group(1).lower())) % 7 or 7
        day, words = base - timedelta(days=back), m.group()
    else:
        assert word is not None
        phrase = word.group(1).lower()
        shift = {"today": 0, "yesterday": -1, "the day before": -1}.get(phrase, 1)
        day, words = base + timedelta(days=shift), word.group()
    if published and len(published) == 10 and day.isoformat() > published:
        return None  # after the article was published: not what the words meant
    return day.isoformat(), words


def date_in(
    text: str, published: str | None = None, last: str | None = None
) -> tuple[str, str] | None:
    """The date ``text`` gives: explicit first, else relative (:func:`relative`)."""
    return explicit(text) or relative(text, published, last)


__all__ = ["date_in", "explicit", "relative"]
