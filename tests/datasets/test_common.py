"""Shared helpers of the importers: dates at their precision, interval order, CSV reading."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib.namespace import XSD

from diplograph.errors import SourceError
from diplograph.graph.datasets.common import (
    BadValue,
    check_order,
    date_literal,
    iso_literal,
    read_rows,
)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_real_day_is_an_xsd_date(day):
    lit = date_literal(str(day.year), str(day.month), str(day.day))
    assert lit is not None and lit.datatype == XSD.date and str(lit) == day.isoformat()
    assert iso_literal(day.isoformat()) == lit


@given(st.integers(1000, 9999), st.integers(1, 12), st.integers(29, 31))
def test_impossible_days_are_refused(year, month, day):
    try:
        dt.date(year, month, day)
    except ValueError:
        with pytest.raises(BadValue, match="impossible date"):
            date_literal(str(year), str(month), str(day))


@pytest.mark.parametrize(
    ("parts", "text", "datatype"),
    [
        (("1999", "3", ""), "1999-03", XSD.gYearMonth),
        (("1999", "3", "0"), "1999-03", XSD.gYearMonth),
        (("1999", "0", "0"), "1999", XSD.gYear),
        (("1999", "", ""), "1999", XSD.gYear),
    ],
)
def test_missing_parts_lower_the_precision(parts, text, datatype):
    lit = date_literal(*parts)
    assert (str(lit), lit.datatype) == (text, datatype)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("1999", "13", "1"), "month '13' is not 1-12"),
        (("1999", "0", "5"), "a day (5) without a month"),
        (("abc", "1", "1"), "'abc' is not a number"),
    ],
)
def test_bad_parts_say_why(parts, message):
    with pytest.raises(BadValue, match=re.escape(message)):
        date_literal(*parts)


def test_unknown_year_is_no_date():
    assert date_literal("0", "5", "5") is None
    assert date_literal("", "", "") is None
    assert iso_literal("") is None


@pytest.mark.parametrize("text", ["1999-3-1", "99", "1999/03/01", "1999-03-01T00:00"])
def test_iso_literal_refuses_other_forms(text):
    with pytest.raises(BadValue, match="is not a date"):
        iso_literal(text)


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("1999-03-12", "1999-03-12", True),
        ("1999-03-12", "1999", True),  # an end year covers the whole year
        ("1999-03-12", "1999-02", False),
        ("2014", "1973", False),
        ("1990-10-03", "1990-10-02", False),
    ],
)
def test_check_order_across_precisions(start, end, ok):
    s, e = iso_literal(start), iso_literal(end)
    if ok:
        check_order(s, e)
    else:
        with pytest.raises(BadValue, match="before it starts"):
            check_order(s, e)


def test_read_rows_gives_the_line_a_record_ends_on(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,4\n', encoding="utf-8")
    assert list(read_rows(path, required=("a", "b"))) == [
        (3, {"a": "1", "b": "two\nlines"}),
        (4, {"a": "3", "b": "4"}),
    ]
    with pytest.raises(SourceError, match="no such file"):
        list(read_rows(tmp_path / "missing.csv", required=("a",)))
