"""End to end in real headless Chromium (issue 5, "Query UI"): the editor runs a typed query and
shows the seed article's rows, an example from the named queries runs, a named query's form is
submitted and its rows shown, "view and edit SPARQL" opens the editor on the same rows, errors are
readable, literals are shown as text. Every page works under a strict Content-Security-Policy and
loads nothing from outside the server. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from diplograph.graph.store import DiploGraph
from diplograph.queries import catalogue, expand_iri, labels_for, run_query

pytestmark = pytest.mark.slow

ID = "https://w3id.org/diplograph/id/"
#: The seed article's claims made by Sergey Lavrov (graph/data/articles/article-001.yaml).
LAVROV_CLAIMS = {
    "claim/article-001/1": "Russian Foreign Minister Sergey Lavrov firmly rejected U.S. President "
    "Donald Trump's plan to end the war in Ukraine through territorial swaps and concessions.",
    "claim/article-001/3": None,
    "claim/article-001/4": "Lavrov dismissed offers from the United States to restore trade "
    "relations as insufficient incentives for Russia.",
    "claim/article-001/6": "Lavrov warned that Russia would consider any European troops present "
    "in a post-conflict Ukraine legitimate military targets.",
    "claim/article-001/9": None,
}

TYPED_QUERY = (
    "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"
    "SELECT ?claim ?paraphrase WHERE {\n"
    f"?claim dg:speaker <{ID}person/sergey-lavrov> ; dg:paraphrase ?paraphrase .\n"
    "} ORDER BY ?claim\n"
)


def wait_for_result(driver: Any, timeout: float = 60) -> str:
    """Wait until the editor has an answer (rows or an error); return the status text."""
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_element(By.ID, "status").text not in ("", "Running…")
    )
    return str(driver.find_element(By.ID, "status").text)


def table(driver: Any, container: str) -> tuple[list[str], list[list[Any]]]:
    """Column names and cell elements of the results table inside ``container``."""
    root = driver.find_element(By.CSS_SELECTOR, container)
    heads = [th.text for th in root.find_elements(By.CSS_SELECTOR, "table.results thead th")]
    rows = [
        tr.find_elements(By.TAG_NAME, "td")
        for tr in root.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    ]
    return heads, rows


def assert_clean(driver: Any, base: str) -> None:
    """No console error (CSP violation, failed load, script error) and no outside request."""
    problems = [
        e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")
    ]
    assert problems == []
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded and all(url.startswith(base + "/") for url in loaded), loaded


def test_pages_are_served_under_a_strict_content_security_policy(ui_server: str) -> None:
    for path in ("/", "/queries", "/queries/claims-by-actor?actor=state/russia"):
        with urllib.request.urlopen(ui_server + path) as resp:
            assert resp.status == 200
            csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp
        assert "unsafe-inline" not in csp


def test_editor_runs_a_typed_query_and_shows_lavrovs_claims(
    browser: Any, ui_server: str, artifacts: Path
) -> None:
    browser.get(ui_server + "/")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror textarea")
    )
    # the project's prefixes are pre-declared and highlighted as SPARQL keywords
    keywords = [k.text for k in browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")]
    assert keywords.count("PREFIX") >= 10
    # type a query into CodeMirror (replacing the default one) and run it with Ctrl+Enter
    editor = browser.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    browser.find_element(By.CSS_SELECTOR, ".CodeMirror-code").click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(TYPED_QUERY)
    typed = browser.execute_script("return Diplograph.editor.getQuery()")
    assert typed.split() == TYPED_QUERY.split()  # the editor indents as one types
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    status = wait_for_result(browser)
    assert status == "5 rows"
    assert re.fullmatch(r"\d+ ms", browser.find_element(By.ID, "timing").text)
    # labels are looked up after the rows are shown, and put above the IRIs
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "result-table").get_attribute("data-labelled")
    )
    heads, rows = table(browser, "#result-table")
    assert heads == ["#", "claim", "paraphrase"]
    claims = [row[1].find_element(By.CLASS_NAME, "term-iri").text for row in rows]
    assert claims == [f"id:{path}" for path in LAVROV_CLAIMS]
    assert rows[0][1].find_element(By.CLASS_NAME, "term-label").text == (
        "Lavrov rejects Trump's peace plan of territorial swaps"
    )
    for row, (path, paraphrase) in zip(rows, LAVROV_CLAIMS.items(), strict=True):
        link = row[1].find_element(By.TAG_NAME, "a")
        assert link.get_attribute("href") == f"{ui_server}/id/{path}"
        assert link.get_attribute("title") == ID + path
        if paraphrase is not None:
            assert row[2].find_element(By.CLASS_NAME, "term-literal").text == paraphrase
            assert row[2].find_element(By.CLASS_NAME, "term-meta").text == "@en"
    # the downloads are on offer, and the URL now holds the query (a bookmark)
    assert browser.find_element(By.ID, "download-csv").is_enabled()
    assert browser.find_element(By.ID, "download-json").is_enabled()
    assert "query=PREFIX" in browser.current_url
    browser.save_screenshot(str(artifacts / "ui-editor-results.png"))
    assert_clean(browser, ui_server)


def test_editor_csv_download_gets_the_rows(browser: Any, ui_server: str) -> None:
    browser.get(ui_server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    browser.execute_script("Diplograph.editor.setQuery(arguments[0])", TYPED_QUERY)
    browser.find_element(By.ID, "run").click()
    assert wait_for_result(browser) == "5 rows"
    # capture what the Download CSV button saves (the blob handed to the download link)
    browser.execute_script(
        "window.__saved = null;"
        "const orig = URL.createObjectURL;"
        "URL.createObjectURL = b => { b.text().then(t => { window.__saved = t; });"
        "  return orig.call(URL, b); };"
    )
    browser.find_element(By.ID, "download-csv").click()
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return window.__saved"))
    saved = browser.execute_script("return window.__saved")
    lines = saved.strip().splitlines()
    assert lines[0] == "claim,paraphrase"
    assert [line.split(",")[0] for line in lines[1:]] == [ID + p for p in LAVROV_CLAIMS]


def test_example_from_the_named_queries_runs(
    browser: Any, ui_server: str, artifacts: Path, seed_graph: DiploGraph
) -> None:
    example = catalogue()["actor-timeline"]
    params = example.example_params()
    expected = run_query(seed_graph, "actor-timeline", **params)
    assert len(expected) > 0
    browser.get(ui_server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    Select(browser.find_element(By.ID, "examples")).select_by_value("actor-timeline")
    text = browser.execute_script("return Diplograph.editor.getQuery()")
    assert text.startswith(f"# {example.title} (named query actor-timeline)")
    assert f"VALUES (?actor) {{ (<{expand_iri(params['actor'])}>) }}" in text
    link = browser.find_element(By.ID, "example-link")
    assert link.is_displayed()
    assert link.get_attribute("href").endswith(f"/queries/actor-timeline?actor={params['actor']}")
    browser.find_element(By.ID, "run").click()
    assert wait_for_result(browser) == f"{len(expected)} rows"
    heads, rows = table(browser, "#result-table")
    claim_col = heads.index("claim")
    iris = {row[claim_col].find_element(By.CLASS_NAME, "term-iri").text for row in rows}
    assert iris == {"id:" + str(c)[len(ID) :] for c in expected.column("claim")}
    browser.save_screenshot(str(artifacts / "ui-editor-example.png"))


def test_named_query_form_runs_and_opens_in_the_editor(
    browser: Any, ui_server: str, artifacts: Path
) -> None:
    browser.get(ui_server + "/queries")
    browser.save_screenshot(str(artifacts / "ui-queries-catalogue.png"))
    browser.find_element(By.LINK_TEXT, "Claims by an actor in a date range").click()
    field = browser.find_element(By.ID, "param-actor")
    assert field.get_attribute("placeholder") == "state/russia"
    field.send_keys("person/sergey-lavrov")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "row-count"))
    assert browser.current_url == (
        f"{ui_server}/queries/claims-by-actor?actor=person%2Fsergey-lavrov&start=&end="
    )
    count = browser.find_element(By.ID, "row-count").text
    heads, rows = table(browser, "main")
    assert count == f"{len(rows)} rows"
    claim_col, speaker_col = heads.index("claim"), heads.index("speaker")
    assert {
        row[claim_col].find_element(By.TAG_NAME, "a").get_attribute("href") for row in rows
    } == {f"{ui_server}/id/{p}" for p in LAVROV_CLAIMS}
    # labels beside IRIs: the speaker is shown by name, with its IRI under it
    speaker = rows[0][speaker_col]
    assert speaker.find_element(By.CLASS_NAME, "term-label").text == "Sergey Lavrov"
    assert speaker.find_element(By.CLASS_NAME, "term-iri").text == "id:person/sergey-lavrov"
    claim_one = next(r[claim_col] for r in rows if "article-001/1" in r[claim_col].text)
    assert claim_one.find_element(By.CLASS_NAME, "term-label").text == (
        "Lavrov rejects Trump's peace plan of territorial swaps"
    )
    browser.save_screenshot(str(artifacts / "ui-named-query.png"))
    assert_clean(browser, ui_server)
    # "view and edit SPARQL" opens the editor on the bound query, which runs at once
    browser.find_element(By.ID, "edit-sparql").click()
    assert wait_for_result(browser) == f"{len(rows)} rows"
    text = browser.execute_script("return Diplograph.editor.getQuery()")
    assert f"VALUES (?actor) {{ (<{ID}person/sergey-lavrov>) }}" in text
    browser.save_screenshot(str(artifacts / "ui-view-and-edit.png"))


def test_bad_parameter_shows_the_error_next_to_the_field(
    browser: Any, ui_server: str, artifacts: Path
) -> None:
    browser.get(ui_server + "/queries/claims-by-actor?actor=state/russia&start=2024-13-01")
    error = browser.find_element(By.ID, "error-start")
    assert error.text == (
        "parameter 'start': '2024-13-01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)."
    )
    assert browser.find_element(By.ID, "param-start").get_attribute("aria-invalid") == "true"
    browser.save_screenshot(str(artifacts / "ui-named-query-error.png"))


def test_editor_shows_syntax_errors_readably(browser: Any, ui_server: str, artifacts: Path) -> None:
    browser.get(ui_server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    browser.execute_script("Diplograph.editor.setQuery('SELECT * WHERE { ?s ?p }')")
    browser.find_element(By.ID, "run").click()
    assert wait_for_result(browser) == "Error"
    error = browser.find_element(By.ID, "error")
    assert error.is_displayed()
    assert error.text.endswith("(HTTP 400)")
    assert "syntax" in error.text.lower()
    # the line the parser names is marked in the editor
    marked = browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-error-line")
    assert len(marked) == 1
    assert not error.text.lstrip().startswith("{")  # the message, not a JSON dump
    browser.save_screenshot(str(artifacts / "ui-editor-error.png"))


def test_editor_shows_markup_in_literals_as_text(browser: Any, ui_server: str) -> None:
    browser.get(ui_server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'
    browser.execute_script(
        "Diplograph.editor.setQuery(arguments[0])",
        "SELECT ?x WHERE { BIND('" + hostile + "' AS ?x) }",
    )
    browser.find_element(By.ID, "run").click()
    assert wait_for_result(browser) == "1 row"
    _, rows = table(browser, "#result-table")
    assert rows[0][1].text == hostile
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "#result-table img, #result-table script") == []


def test_unknown_query_page_suggests_the_close_ones(
    browser: Any, ui_server: str, artifacts: Path
) -> None:
    browser.get(ui_server + "/queries/claims-by-actr")
    assert browser.find_element(By.TAG_NAME, "h1").text == "No such named query"
    browser.save_screenshot(str(artifacts / "ui-named-query-404.png"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Claims by an actor in a date range").click()
    assert browser.current_url == f"{ui_server}/queries/claims-by-actor"
    assert browser.find_element(By.ID, "param-actor").get_attribute("value") == ""


def test_default_query_runs_with_labels(
    browser: Any, ui_server: str, artifacts: Path, seed_graph: DiploGraph
) -> None:
    from diplograph.server.ui import default_query

    expected = seed_graph.query(default_query())
    assert len(expected) > 10
    browser.get(ui_server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    browser.find_element(By.ID, "run").click()
    assert wait_for_result(browser) == f"{len(expected)} rows"
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "result-table").get_attribute("data-labelled")
    )
    heads, rows = table(browser, "#result-table")
    assert heads == ["#", "claim", "speaker", "eventType", "date", "paraphrase"]
    first = rows[0]
    claim, speaker, event = expected.rows[0][:3]
    assert first[1].find_element(By.CLASS_NAME, "term-iri").get_attribute("textContent") == (
        "id:" + str(claim)[len(ID) :]
    )
    # the speaker and the CAMEO event type are shown by their labels
    labels = labels_for(seed_graph, [speaker, event])
    assert first[2].find_element(By.CLASS_NAME, "term-label").text == labels[speaker]
    assert first[3].find_element(By.CLASS_NAME, "term-label").text == labels[event]
    browser.save_screenshot(str(artifacts / "ui-editor-default.png"))
