"""Hazard 7 of issue 10: browser attacks. Script payloads in literals, IRIs, paths and query
strings render as text on every page; every HTML response carries a Content-Security-Policy
without inline script and ``X-Content-Type-Options: nosniff``; ``/update`` takes its credential
only from the ``Authorization`` header (so a cross-site form post cannot carry it) and never
gets CORS headers; CORS on the read-only endpoints never allows credentials."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
EVIL = "https://evil.example"
ATTACK = "</script><script>alert(1)</script>"


def pages(hostile: dict[str, str]) -> list[str]:
    state = hostile["state"]
    return [
        "/page/state/xss-land",
        "/class/State",
        "/list?class=State",
        "/browse",
        "/graph?focus=" + quote(state),
        "/graph?focus=" + quote(state) + "&view=" + quote(ATTACK),
        "/?query=" + quote(ATTACK),
        "/queries",
        "/ontology",
        "/class/" + quote(ATTACK),
        "/page/state/" + quote(ATTACK),
        "/graph?focus=" + quote(ATTACK),
        "/no/such/" + quote(ATTACK),
        "/sparql?query=" + quote("SELECT * { " + ATTACK),
    ]


def test_payloads_render_as_text_on_every_page(
    client: FlaskClient, hostile: dict[str, str]
) -> None:
    seen_escaped = 0
    for url in pages(hostile):
        r = client.get(url, headers=HTML)
        body = r.get_data(as_text=True)
        assert r.mimetype == "text/html", (url, r.status_code, r.mimetype)
        assert r.status_code < 500, (url, r.status_code)
        assert "<script>alert" not in body, url
        assert "<img src=x onerror" not in body, url
        assert "<b onmouseover" not in body, url
        # a script element either loads a file of this server or holds inert JSON data
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert 'src="/' in tag or 'type="application/' in tag, (url, tag)
        seen_escaped += "&lt;script&gt;" in body or "&lt;/script&gt;" in body
    assert seen_escaped >= 5  # the payloads are shown, as text


def test_json_data_blocks_cannot_be_closed_by_a_payload(client: FlaskClient) -> None:
    body = client.get("/?query=" + quote(ATTACK), headers=HTML).get_data(as_text=True)
    for block in re.findall(r'<script type="application/[^"]*"[^>]*>(.*?)</script>', body, re.S):
        assert "<" not in block, block[:200]  # tojson escapes < as \u003c


def test_a_path_with_iri_invalid_characters_is_a_404(
    client: FlaskClient, hostile: dict[str, str]
) -> None:
    statuses: dict[str, int] = {}
    for url in (
        "/page/a%3Cb",
        "/data/a%3Cb.ttl",
        "/id/a%3Cb",
        "/page/state/" + quote(ATTACK),
        "/graph?focus=" + quote(ATTACK),
    ):
        statuses[url] = client.get(url, headers={"Accept": "application/json"}).status_code
    assert all(code in (400, 404) for code in statuses.values()), statuses


def test_every_html_response_has_a_strict_policy(
    client: FlaskClient, hostile: dict[str, str]
) -> None:
    for url in [*pages(hostile), "/graph"]:
        r = client.get(url, headers=HTML)
        csp = r.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp, (url, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (url, csp)
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, (url, csp)
        assert r.headers["X-Content-Type-Options"] == "nosniff", url


def test_api_responses_are_not_sniffed(client: FlaskClient) -> None:
    for url in ("/sparql?query=ASK%7B%7D&format=json", "/-/health.json", "/no/such/path"):
        r = client.get(url, headers={"Accept": "application/json"})
        assert r.headers["X-Content-Type-Options"] == "nosniff", url
        assert r.mimetype != "text/html", url


def test_cross_site_form_posts_cannot_update(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    auth: dict[str, str],
    hostile: dict[str, str],
) -> None:
    """What a hostile page can send: a form post (no custom headers), with the victim's cookies
    and even the token as a form field or query parameter. None of it is a credential."""
    token = auth["Authorization"].removeprefix("Bearer ")
    before = fingerprint(graph)
    drop = f"DROP GRAPH <{hostile['graph']}>"
    site = {"Origin": EVIL, "Referer": EVIL + "/", "Cookie": f"token={token}; session={token}"}
    for r in (
        client.post("/update", data={"update": drop}, headers=site),
        client.post("/update", data={"update": drop, "access_token": token}, headers=site),
        client.post(f"/update?access_token={token}&token={token}", data={"update": drop}),
        client.post("/update", data=drop.encode(), content_type="text/plain", headers=site),
    ):
        error_of(r, 401, "Authorization: Bearer <token>")
        assert "Access-Control-Allow-Origin" not in r.headers
    assert fingerprint(graph) == before


def test_update_never_answers_a_cors_preflight(client: FlaskClient) -> None:
    r = client.options(
        "/update",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Headers" not in r.headers
    assert "Access-Control-Allow-Credentials" not in r.headers


def test_cors_on_read_only_endpoints_never_allows_credentials(client: FlaskClient) -> None:
    for url in ("/sparql?query=ASK%7B%7D", "/queries.json", "/-/health.json", "/id/state/xss-land"):
        r = client.get(url, headers={"Origin": EVIL, "Accept": "application/json"})
        assert r.headers.get("Access-Control-Allow-Origin") == "*", url
        assert "Access-Control-Allow-Credentials" not in r.headers, url
        assert "Set-Cookie" not in r.headers, url
    pre = client.options(
        "/sparql",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" not in pre.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in pre.headers
