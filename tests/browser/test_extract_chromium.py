"""The review page ``/extract`` in real headless Chromium (issue 19): paste a paragraph, draft
its claims, edit a speaker with the store's entities as suggestions, accept, download the
reviewed YAML, and that file ingests; a draft with spans shows them highlighted in the text.
Under the strict Content-Security-Policy of the browser fixtures. Screenshots go to
``tests/artifacts/``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from diplograph.cli import cli
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph

pytestmark = pytest.mark.slow

#: A paragraph written for this test, in the shape of a news report.
PARAGRAPH = (
    "Sergey Lavrov criticised the United States over the new sanctions on Tuesday. "
    "Dmitry Peskov rejected the proposal from Ukraine."
)
DRAFT = Path(__file__).resolve().parents[1] / "records" / "data" / "harbour-draft.yaml"


def _cards(browser: Any, timeout: float = 120) -> list[Any]:
    WebDriverWait(browser, timeout).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, ".claim-card")
            or d.find_element(By.ID, "extract-error").is_displayed()
        )
    )
    assert not browser.find_element(By.ID, "extract-error").is_displayed(), browser.find_element(
        By.ID, "extract-error"
    ).text
    return list(browser.find_elements(By.CSS_SELECTOR, ".claim-card"))


def _downloaded(folder: Path, name: str, timeout: float = 60) -> Path:
    """Wait for Chromium to finish writing ``name`` into ``folder``."""
    path = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.2)
    raise AssertionError(f"{name} was not downloaded; the folder holds {list(folder.iterdir())}")


def _draft_first_card(browser: Any, ui_server: str) -> Any:
    """Paste the paragraph on /extract and draft it; the first claim's card."""
    browser.get(ui_server + "/extract")
    nav = browser.find_element(By.CSS_SELECTOR, ".site-nav a.active")
    assert nav.text == "Extract"
    browser.find_element(By.ID, "article-title").send_keys("Talks notes")
    browser.find_element(By.ID, "article-text").send_keys(PARAGRAPH)
    browser.find_element(By.ID, "draft-button").click()
    cards = _cards(browser)
    assert len(cards) >= 2
    first = cards[0]
    review = first.find_element(By.CSS_SELECTOR, "select[data-field=review]")
    assert review.get_attribute("value") == "pending"
    return first


def _suggestions(browser: Any, field: Any, typed: str) -> list[str]:
    """Type ``typed`` into ``field``: the suggestions offered (from the draft and the store)."""
    field.clear()
    field.send_keys(typed)
    list_id = field.get_attribute("list")
    WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f"#{list_id} option")
    )
    return [
        o.get_attribute("value")
        for o in browser.find_elements(By.CSS_SELECTOR, f"#{list_id} option")
    ]


def _reviewed_yaml_link(browser: Any) -> Any:
    """Accept every claim and make the reviewed YAML; its download link, once shown (hidden
    until then: a link to no file yet would be a dead end)."""
    assert not browser.find_element(By.ID, "download-yaml").is_displayed()
    browser.find_element(By.ID, "accept-all").click()
    browser.find_element(By.ID, "make-yaml").click()
    link = WebDriverWait(browser, 60).until(
        lambda d: (
            d.find_element(By.ID, "download-yaml")
            if d.find_element(By.ID, "download-yaml").is_displayed()
            else None
        )
    )
    status = browser.find_element(By.ID, "review-status").text
    problems = browser.find_element(By.ID, "review-problems").text
    assert status.endswith("0 pending; the file checks."), (status, problems)
    return link


def _ingested_speakers(saved: Path, tmp_path: Path) -> list[str]:
    """Ingest the downloaded file into a store like the server's: the first claim's speakers."""
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_graph(url) as g:
        build(g, parts=("ontology", "codes", "articles"))
    result = CliRunner().invoke(cli, ["--store", url, "ingest", str(saved)])
    assert result.exit_code == 0, result.output
    with open_graph(url, read_only=True) as g:
        found = g.query(
            "SELECT ?s WHERE { GRAPH <https://w3id.org/diplograph/graph/article/talks-notes> "
            "{ <https://w3id.org/diplograph/id/claim/talks-notes/1> "
            "<https://w3id.org/diplograph/ontology#speaker> ?s } }"
        ).rows
    return [str(r[0]) for r in found]


def test_paste_edit_a_speaker_download_and_ingest(
    browser: Any, ui_server: str, artifacts: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    first = _draft_first_card(browser, ui_server)
    speaker = first.find_element(By.CSS_SELECTOR, "input[data-field=speaker]")
    assert speaker.get_attribute("value") == "sergey-lavrov"
    # type a name: the suggestions come from the draft and the store
    options = _suggestions(browser, speaker, "Peskov")
    assert "dmitry-peskov" in options, options
    speaker.clear()
    speaker.send_keys("dmitry-peskov")
    link = _reviewed_yaml_link(browser)
    assert link.get_attribute("download") == "talks-notes.yaml"
    browser.save_screenshot(str(artifacts / "extract-review.png"))
    link.click()
    saved = _downloaded(folder, "talks-notes.yaml")
    claims = yaml.safe_load(saved.read_text(encoding="utf-8"))["claims"]
    assert claims[0]["speaker"] == "dmitry-peskov"
    assert {c["review"] for c in claims} == {"accepted"}
    # the downloaded file ingests into a store like the server's
    assert _ingested_speakers(saved, tmp_path) == [
        "https://w3id.org/diplograph/id/person/dmitry-peskov"
    ]
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


def test_a_draft_with_spans_is_shown_highlighted(
    browser: Any, ui_server: str, artifacts: Path
) -> None:
    browser.get(ui_server + "/extract")
    browser.find_element(By.ID, "article-file").send_keys(str(DRAFT))
    browser.find_element(By.ID, "draft-button").click()
    cards = _cards(browser)
    assert [c.get_attribute("data-claim") for c in cards] == ["c1", "c2", "c3"]
    marks = browser.find_elements(By.CSS_SELECTOR, "#article-view mark")
    assert [(m.get_attribute("data-claim"), m.text) for m in marks] == [
        (
            "c1",
            "The foreign minister of Norway criticised Denmark over the harbour dispute on Monday.",
        ),
        ("c2", "Denmark rejected the criticism"),
        ("c3", "offered new talks."),
    ]
    assert "rule: reject + object" in cards[1].find_element(By.TAG_NAME, "h3").text
    # the type's CAMEO meaning follows the code typed
    assert cards[1].find_element(By.CLASS_NAME, "code-label").text == "12 Reject"
    code = cards[1].find_element(By.CSS_SELECTOR, "input[data-field=event_type]")
    code.clear()
    code.send_keys("125")
    assert cards[1].find_element(By.CLASS_NAME, "code-label").text == (
        "125 Reject proposal to meet, discuss, negotiate"
    )
    marks[1].click()
    assert "current" in cards[1].get_attribute("class").split()
    browser.save_screenshot(str(artifacts / "extract-spans.png"))
