"""The app is wired by imports: every blueprint is registered, every navigation entry and URL
helper names an endpoint that exists, and the template helpers are installed once."""

from __future__ import annotations

from flask import Flask

from diplograph.server import urls
from diplograph.server.app import BLUEPRINTS


def test_every_blueprint_is_registered(app: Flask) -> None:
    assert {bp.name for bp in BLUEPRINTS} <= set(app.blueprints)
    assert len(app.blueprints) == len(BLUEPRINTS)


def test_every_nav_entry_names_an_endpoint_that_exists(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for label, endpoint in urls.NAV:
        assert endpoint in endpoints, label
    with app.test_request_context("/"):
        items = urls.nav()
    assert [i.label for i in items] == [label for label, _ in urls.NAV]
    assert all(i.url.startswith("/") for i in items)


def test_url_helpers_and_template_tests_are_installed(app: Flask) -> None:
    env = app.jinja_env
    for name in ("resource_url", "query_url", "editor_url", "nav", "curie", "class_url"):
        assert name in env.globals, name
    assert {"iri", "bnode"} <= set(env.tests)
    with app.test_request_context("/"):
        assert urls.home_url() == "/"
        assert urls.sparql_endpoint_url() == "/sparql"
        assert urls.resource_url("https://w3id.org/diplograph/ontology#Claim") == (
            "/ontology#Claim"
        )
        assert urls.resource_url("https://w3id.org/diplograph/graph/article/a-1") == (
            "/graph/article/a-1"
        )
