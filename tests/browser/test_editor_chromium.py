"""The query editor as a workbench (issue 20) in headless Chromium behind the strict CSP, on the
seed data (``ui_server``): completion of ontology terms, prefixes and entities; a 10,000-row
result drawn a page at a time (its first page timed in the page with ``performance.now()``),
paged and sorted; a bar chart of an aggregate; a shared link that reopens and reruns the query.
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import URIRef
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from diplograph.graph.store import DiploGraph

pytestmark = pytest.mark.slow

ID = "https://w3id.org/diplograph/id/"
DG = "https://w3id.org/diplograph/ontology#"

#: 10 x 10 x 10 x 10 = 10,000 rows, ?n from 0 to 9999, computed by the engine (no stored data).
TEN_THOUSAND = (
    "SELECT ?n ?text WHERE {\n"
    + "".join(f"  VALUES ?{v} {{ 0 1 2 3 4 5 6 7 8 9 }}\n" for v in "abcd")
    + "  BIND(?a * 1000 + ?b * 100 + ?c * 10 + ?d AS ?n)\n"
    + '  BIND(CONCAT("row ", STR(?n)) AS ?text)\n}'
)


def _open_editor(browser: Any, base: str, query: str = "") -> Any:
    """The editor emptied (or holding ``query``), focused, cursor at the end."""
    browser.get(base + "/")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return !!Diplograph.completion"))
    browser.execute_script("Diplograph.editor.setQuery(arguments[0])", query)
    browser.find_element(By.CSS_SELECTOR, ".CodeMirror-code").click()
    area = browser.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    area.send_keys(Keys.CONTROL, Keys.END)
    return area


def _hints(browser: Any, timeout: float = 30) -> list[str]:
    """The texts of the completion list once it is shown."""
    WebDriverWait(browser, timeout).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")
    )
    items = browser.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")
    return [li.text for li in items]


def _run(browser: Any, query: str) -> str:
    browser.execute_script(
        "Diplograph.editor.setQuery(arguments[0]); Diplograph.editor.run()", query
    )
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.ID, "status").text not in ("", "Running…")
    )
    return str(browser.find_element(By.ID, "status").text)


def _problems(browser: Any) -> list[str]:
    """Console errors and warnings (a CSP violation, a failed load, a script error)."""
    return [e["message"] for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def _column(browser: Any, index: int) -> list[str]:
    """The values shown in column ``index`` of the page (a literal without its datatype)."""
    return list(
        browser.execute_script(
            "return [...document.querySelectorAll("
            "`#result-table table.results tbody tr td:nth-child(${arguments[0] + 1})`)]"
            ".map(td => (td.querySelector('.term-literal') || td).textContent)",
            index,
        )
    )


def test_typing_dg_sp_offers_dg_speaker_and_picking_it_inserts_it(browser, ui_server):
    area = _open_editor(browser, ui_server, "SELECT * WHERE {\n  ?claim ")
    area.send_keys("dg:sp")
    hints = _hints(browser)
    assert hints[0].startswith("dg:speaker  (object property")
    assert all(h.lower().startswith("dg:sp") for h in hints)
    area.send_keys(Keys.ENTER)
    query = browser.execute_script("return Diplograph.editor.getQuery()")
    # the term is written, and dg: (not declared in this query) is declared on top
    assert query.splitlines()[0] == "PREFIX dg: <https://w3id.org/diplograph/ontology#>"
    assert query.endswith("?claim dg:speaker")
    assert _problems(browser) == []  # no CSP violation, no script error


def test_prefix_declaration_completes_from_the_prefix_table(browser, ui_server):
    area = _open_editor(browser, ui_server)
    area.send_keys("PREFIX sk")
    assert _hints(browser) == ["skos: <http://www.w3.org/2004/02/skos/core#>"]
    area.send_keys(Keys.ENTER)
    query = browser.execute_script("return Diplograph.editor.getQuery()")
    assert query == "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"


def test_entities_complete_by_label(browser, ui_server, seed_graph: DiploGraph):
    label = seed_graph.query(
        "SELECT ?l WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
        bindings={"p": URIRef(ID + "person/sergey-lavrov")},
    ).rows[0][0]
    area = _open_editor(browser, ui_server, "SELECT * WHERE { ")
    area.send_keys("id:lavr")
    hints = _hints(browser)
    assert f"{label}  (id:person/sergey-lavrov)" in hints
    browser.execute_script(
        "const i = [...document.querySelectorAll('.CodeMirror-hints li')]"
        ".findIndex(li => li.textContent.includes('(id:person/sergey-lavrov)'));"
        "Diplograph.editor.pickHint(i)"
    )
    query = browser.execute_script("return Diplograph.editor.getQuery()")
    assert query.endswith("SELECT * WHERE { id:person/sergey-lavrov")
    assert query.startswith("PREFIX id: <https://w3id.org/diplograph/id/>\n")


def test_ten_thousand_rows_draw_their_first_page_within_a_second(browser, ui_server, artifacts):
    _open_editor(browser, ui_server)
    assert _run(browser, TEN_THOUSAND) == "10000 rows"
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "result-table").get_attribute("data-render-ms")
    )
    # measured in the page: from the response's arrival to the frame showing the first page
    ms = int(browser.find_element(By.ID, "result-table").get_attribute("data-render-ms"))
    assert ms < 1000, ms
    rows = browser.find_elements(By.CSS_SELECTOR, "#result-table table.results tbody tr")
    assert len(rows) == 100  # only the page is in the DOM
    assert _column(browser, 0)[:2] == ["1", "2"]
    info = browser.find_element(By.CSS_SELECTOR, ".pager-info").text
    assert info == "Rows 1–100 of 10000 · page 1 of 100"
    browser.save_screenshot(str(artifacts / "editor-10000-rows.png"))
    # the next page, then the last
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Next page']").click()
    assert _column(browser, 0)[0] == "101"
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Last page']").click()
    assert browser.find_element(By.CSS_SELECTOR, ".pager-info").text.startswith("Rows 9901–10000")
    assert _problems(browser) == []


def test_sorting_orders_numbers_by_value_and_reverses(browser, ui_server):
    _open_editor(browser, ui_server)
    assert _run(browser, TEN_THOUSAND) == "10000 rows"
    head = browser.find_element(By.XPATH, "//table[@class='results']//th[text()='n']")
    head.click()
    assert head.get_attribute("aria-sort") == "ascending"
    assert _column(browser, 1)[:3] == ["0", "1", "2"]
    head.click()
    assert head.get_attribute("aria-sort") == "descending"
    assert _column(browser, 1)[:3] == ["9999", "9998", "9997"]
    text = browser.find_element(By.XPATH, "//table[@class='results']//th[text()='text']")
    text.click()  # text sorts as text, numbers within it by value
    assert _column(browser, 2)[:3] == ["row 0", "row 1", "row 2"]


def test_an_aggregate_is_drawn_as_a_bar_chart(browser, ui_server, seed_graph: DiploGraph):
    query = (
        f"SELECT ?speaker (COUNT(?claim) AS ?claims) WHERE {{ ?claim <{DG}speaker> ?speaker }}"
        " GROUP BY ?speaker ORDER BY DESC(?claims) ?speaker"
    )
    expected = [(str(s), int(n)) for s, n in seed_graph.query(query).rows]
    assert len(expected) > 1
    _open_editor(browser, ui_server)
    _run(browser, query)
    chart = browser.find_element(By.ID, "view-chart")
    assert chart.is_enabled()
    chart.click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#result-chart .chart-bars[data-bars]")
    )
    assert browser.find_element(By.ID, "result-table").is_displayed() is False
    bars = browser.find_elements(By.CSS_SELECTOR, "#result-chart rect.bar-rect")
    values = browser.find_elements(By.CSS_SELECTOR, "#result-chart text.bar-value")
    assert len(bars) == len(expected)
    assert [int(v.text) for v in values] == [n for _, n in expected]
    widths = [float(b.get_attribute("width")) for b in bars]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]
    assert _problems(browser) == []
    # a result without a column of numbers cannot be charted
    _run(browser, f"SELECT ?claim WHERE {{ ?claim <{DG}speaker> ?s }} LIMIT 3")
    assert not browser.find_element(By.ID, "view-chart").is_enabled()


def test_share_link_reopens_and_reruns_the_query(browser, ui_server):
    query = f"SELECT ?claim WHERE {{ ?claim <{DG}speaker> <{ID}person/sergey-lavrov> }}"
    _open_editor(browser, ui_server)
    first = _run(browser, query)
    browser.find_element(By.ID, "share").click()
    link = browser.find_element(By.ID, "share-url").get_attribute("value")
    assert link.startswith(ui_server + "/?query=")
    browser.get("about:blank")
    browser.get(link)
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.ID, "status").text not in ("", "Running…")
    )
    assert browser.find_element(By.ID, "status").text == first
    assert browser.execute_script("return Diplograph.editor.getQuery()") == query


def test_ctrl_space_on_a_bare_word_offers_terms_by_name_and_entities(browser, ui_server):
    area = _open_editor(browser, ui_server, "SELECT * WHERE { ?c ")
    area.send_keys("lavrov")
    area.send_keys(Keys.CONTROL, Keys.SPACE)
    hints = _hints(browser)
    assert "Sergey Lavrov  (id:person/sergey-lavrov)" in hints
    area.send_keys(Keys.ESCAPE)
    browser.execute_script("Diplograph.editor.setQuery('SELECT * WHERE { ?c speak')")
    area.send_keys(Keys.CONTROL, Keys.END)
    area.send_keys(Keys.CONTROL, Keys.SPACE)
    hints = _hints(browser)
    assert any(h.startswith("dg:speaker  (") for h in hints)
