"""The shared-precision rule, checked against a plain Python reading of it on random intervals of
random precision: the SPARQL of ``members-on-date`` (run by the real store) and the reference must
agree on every date."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from diplograph import iri
from diplograph.graph.store import open_graph
from diplograph.provenance import Source, Triple
from diplograph.queries import run_query

DG = iri.ONTOLOGY
ORG = iri.entity("organization", "property-org")
KINDS = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(1999, 12, 31))
precisions = st.sampled_from([4, 7, 10])
maybe_date = st.one_of(st.none(), st.tuples(days, precisions))
interval = st.tuples(maybe_date, maybe_date)


def _text(d: tuple[dt.date, int] | None) -> str | None:
    return None if d is None else d[0].isoformat()[: d[1]]


def _holds(start: str | None, end: str | None, on: str) -> bool:
    """The documented rule, in Python: compare at the precision both dates share."""
    if start is None and end is None:
        return False
    if start is not None:
        n = min(len(start), len(on))
        if start[:n] > on[:n]:
            return False
    if end is not None:
        n = min(len(end), len(on))
        if end[:n] < on[:n]:
            return False
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intervals=st.lists(interval, min_size=1, max_size=12), on=st.tuples(days, precisions))
def test_members_on_date_follows_the_shared_precision_rule(
    intervals: list[tuple[tuple[dt.date, int] | None, tuple[dt.date, int] | None]],
    on: tuple[dt.date, int],
) -> None:
    triples: list[Triple] = []
    spans: dict[str, tuple[str | None, str | None]] = {}
    for n, (start, end) in enumerate(intervals):
        m = iri.entity("membership", f"p-{n}")
        state = iri.entity("state", f"s{n}")
        triples += [
            (m, RDF.type, DG.Membership),
            (m, DG.ofOrganization, ORG),
            (m, DG.member, state),
        ]
        s, e = _text(start), _text(end)
        if s:
            triples.append((m, DG.startDate, Literal(s, datatype=KINDS[len(s)])))
        if e:
            triples.append((m, DG.endDate, Literal(e, datatype=KINDS[len(e)])))
        spans[str(state)] = (s, e)
    day = _text(on)
    assert day is not None
    with open_graph("memory:") as g:
        g.replace_graph(Source(iri.file_graph("property"), "p", "file", "test", "0"), triples)
        got = {
            str(m)
            for m in run_query(g, "members-on-date", organization=ORG, on=day).column("member")
        }
    expected = {state for state, (s, e) in spans.items() if _holds(s, e, day)}
    assert got == expected
