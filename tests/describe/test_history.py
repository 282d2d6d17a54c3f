"""A resource's history on its page (issue 20, "entity pages for analysts"): every dated
membership, alliance and office, with a drawn timeline and a table twin; open spells say they
are open as of their source, never "to this day"."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import URIRef

from diplograph.graph.describe.history import Spell, history, timeline
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.iri import ID

DG = "https://w3id.org/diplograph/ontology#"

DATA = f"""PREFIX dg: <{DG}>
INSERT DATA {{
  GRAPH <https://w3id.org/diplograph/graph/file/history> {{
    <{ID}state/ruritania> a dg:State ; <http://www.w3.org/2000/01/rdf-schema#label> "Ruritania" .
    <{ID}organization/league> a dg:InternationalOrganization ;
        <http://www.w3.org/2000/01/rdf-schema#label> "League" .
    <{ID}membership/r-league> dg:member <{ID}state/ruritania> ;
        dg:ofOrganization <{ID}organization/league> ; dg:startDate "1920" ; dg:endDate "1939" .
    <{ID}membership/r-league-2> dg:member <{ID}state/ruritania> ;
        dg:ofOrganization <{ID}organization/league> ; dg:startDate "1946-05" .
    <{ID}membership/undated> dg:member <{ID}state/ruritania> ;
        dg:ofOrganization <{ID}organization/league> .
  }}
}}"""


@pytest.fixture(scope="module")
def graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    g.update(DATA)
    yield g
    g.close()


def test_history_keeps_the_dates_as_given_and_lists_undated_last(graph: DiploGraph) -> None:
    spells = history(graph, URIRef(f"{ID}state/ruritania"))
    assert [(s.kind, s.start, s.end, s.open) for s in spells] == [
        ("member of", "1920", "1939", False),
        ("member of", "1946-05", None, True),
        ("member of", None, None, False),
    ]
    other_side = history(graph, URIRef(f"{ID}organization/league"))
    assert {s.kind for s in other_side} == {"has member"}
    first, last, bars = timeline(spells)
    assert (first, last) == (1920, 1946)  # an open spell with no known end: the data's last year
    assert [(b.x, b.row) for b in bars] == [(0.0, 0), (96.3, 1)]
    assert bars[0].width == pytest.approx(74.07, abs=0.01)  # 1920-1939 of 27 years


def test_the_page_draws_the_timeline_and_its_table(
    make_app: Callable[..., Flask], graph: DiploGraph
) -> None:
    app = make_app(graph=graph, workers=1)
    client: FlaskClient = app.test_client()
    r = client.get("/page/state/ruritania")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="history-table"' in html and "History (3)" in html
    rows = re.findall(r"<tr><td>(member of)</td>.*?</tr>", html, re.S)
    assert len(rows) == 3
    table = unescape(html[html.index('id="history-table"') :])
    assert "open (the source gives no end)" in table  # never "to this day"
    assert "1920" in table and "1939" in table and "1946-05" in table
    assert "not recorded" in table  # the undated membership
    assert html.count("<rect ") == 2  # the undated one is not drawn
    assert "League" in html[html.index("<svg") : html.index("</svg>")]


def test_nato_page_lists_its_members_with_their_sources(full_graph: DiploGraph) -> None:
    spells = history(full_graph, URIRef(f"{ID}organization/nato"))
    members: dict[str, list[Spell]] = {}
    for s in spells:
        if s.kind == "has member":
            members.setdefault(str(s.other).rsplit("/", 1)[-1], []).append(s)
    assert {"france", "united-kingdom", "poland", "finland", "sweden"} <= set(members)
    assert any((s.start or "").startswith("1949") for s in members["france"])
    assert all(s.graph is not None for s in spells)
    # an open membership in COW IGO (which ends in 2014) is open only as of its coverage end
    cow = [s for s in spells if s.open and str(s.graph).endswith("/dataset/cow-igo")]
    assert cow and all((s.known_until or "").startswith("2014") for s in cow)
