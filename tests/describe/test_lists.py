"""Class pages, their facets and paging, the /list pages and their JSON twins, and /browse."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient

ID = "https://w3id.org/diplograph/id/"


def test_class_page_pages_and_facets(client: FlaskClient) -> None:
    html = client.get("/class/Claim").get_data(as_text=True)
    assert '<span id="total">29</span>' in html  # 13 + 7 + 9 claims of the three articles
    assert 'href="/id/claim/article-001/1"' in html
    # a facet by speaker narrows the list
    facet = re.search(
        r'href="(/class/Claim\?p=https%3A%2F%2Fw3id.org%2Fdiplograph%2Fontology%23'
        r"speaker&amp;o=https%3A%2F%2Fw3id.org%2Fdiplograph%2Fid%2Fperson%2F"
        r'sergey-lavrov)"',
        html,
    )
    assert facet, "no speaker facet"
    narrowed = client.get(unescape(facet.group(1))).get_data(as_text=True)
    assert '<span id="total">5</span>' in narrowed
    assert (
        'href="/id/claim/article-001/9"' in narrowed
        and 'href="/id/claim/article-001/2"' not in narrowed
    )


def test_class_page_paging(client: FlaskClient) -> None:
    first = client.get("/class/Concept").get_data(as_text=True)  # skos:Concept is not dg:
    assert "No resource has the class dg:Concept" in first or "Concept" in first
    html = client.get(
        "/list?p=http://www.w3.org/2004/02/skos/core%23inScheme"
        "&o=https://w3id.org/diplograph/id/scheme/cameo"
    ).get_data(as_text=True)
    total = int(re.search(r'<span id="total">(\d+)</span>', html).group(1))  # type: ignore[union-attr]
    assert total > 50
    assert 'rel="next"' in html and "page 1 of" in html
    page2 = client.get(
        "/list?p=http://www.w3.org/2004/02/skos/core%23inScheme"
        "&o=https://w3id.org/diplograph/id/scheme/cameo&page=2"
    ).get_data(as_text=True)
    assert 'rel="prev"' in page2 and '<ol class="instances" start="51">' in page2
    firsts = set(re.findall(r'href="(/id/cameo/[^"]+)"', html.split("facets")[0]))
    seconds = set(re.findall(r'href="(/id/cameo/[^"]+)"', page2.split("facets")[0]))
    assert firsts and seconds and not firsts & seconds


def test_unknown_class_is_404(client: FlaskClient) -> None:
    r = client.get("/class/Clam", headers={"Accept": "application/json"})
    assert r.status_code == 404 and "dg:Clam" in r.json["error"]


def test_browse_lists_classes(client: FlaskClient) -> None:
    html = client.get("/browse").get_data(as_text=True)
    assert '<a href="/class/Claim">dg:Claim</a> <span class="count">29</span>' in html
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav and 'href="/browse"' in nav.group(0) and 'href="/ontology"' in nav.group(0)


def test_lists_have_a_json_twin(client: FlaskClient) -> None:
    dg = "https://w3id.org/diplograph/ontology#"
    data = client.get(
        "/class/Claim",
        query_string={"p": dg + "speaker", "o": ID + "person/sergey-lavrov", "format": "json"},
    ).json
    assert data["total"] == 5 and data["class"] == dg + "Claim" and data["pages"] == 1
    assert data["items"][0] == {
        "iri": ID + "claim/article-001/1",
        "href": "/id/claim/article-001/1",
        "label": "Lavrov rejects Trump's peace plan of territorial swaps",
    }
    speaker = next(f for f in data["facets"] if f["property"]["iri"] == dg + "speaker")
    assert speaker["values"] == [
        {
            "iri": ID + "person/sergey-lavrov",
            "href": "/id/person/sergey-lavrov",
            "label": "Sergey Lavrov",
            "count": 5,
        }
    ]


@pytest.mark.parametrize("value", ["not an iri", "<x>", "", "http://a b"])
def test_list_filters_must_be_iris(client: FlaskClient, value: str) -> None:
    r = client.get("/list", query_string={"p": value, "o": ID + "state/russia"})
    assert r.status_code == 400 and "is not an absolute IRI" in r.json["error"]
    r = client.get("/list", query_string={"p": ID + "x", "o": ID + "y", "page": "two"})
    assert r.status_code == 400 and "whole number" in r.json["error"]


def test_class_pages_include_subclasses(client: FlaskClient) -> None:
    """dg:Actor lists states, persons and organisations typed only with a subclass; dg:Agreement
    lists the declaration and charters (dg:Declaration, dg:Charter ⊑ dg:Agreement)."""
    actors = client.get("/class/Actor", query_string={"format": "json"}).json
    hrefs = {item["href"] for item in actors["items"]}
    assert {"/id/state/russia", "/id/person/sergey-lavrov", "/id/organization/nato"} <= hrefs
    agreements = client.get("/class/Agreement", query_string={"format": "json"}).json
    assert agreements["total"] == 6  # and the UN Charter, Helsinki Final Act, Charter of Paris
    treaty = client.get("/class/Treaty", headers={"Accept": "application/json"})
    assert treaty.status_code == 404  # no treaty in the seed graph
