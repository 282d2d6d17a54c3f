"""Headless Chromium on the linked-data pages: the real server (waitress, strict CSP, on-disk
store) from ``tests/browser/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

pytestmark = pytest.mark.slow

SCHEMA = "https://schema.org/"
ID = "https://w3id.org/diplograph/id/"


def _severe(browser: Any) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_lavrov_to_claim_to_agreement(
    ui_server: str,
    browser: Any,
    artifacts: Path,
    parse_rdf: Callable[[bytes | str, str], Graph],
) -> None:
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # drop what earlier tests left
    browser.get(f"{ui_server}/id/person/sergey-lavrov")
    assert browser.current_url == f"{ui_server}/page/person/sergey-lavrov"  # followed the 303
    assert browser.find_element(By.ID, "label").text == "Sergey Lavrov"
    made = browser.find_element(By.ID, "claims-made").text
    assert "Lavrov rejects Trump's peace plan of territorial swaps" in made
    assert "Putin's Right Hand Man Gives Middle Finger To Trump's Peace Efforts" in made  # source
    from selenium.webdriver.support.wait import WebDriverWait

    picture = browser.find_element(By.CSS_SELECTOR, ".neighbourhood img")
    # the picture loads lazily (after the page's load event): wait until it has, then check that
    # it is a drawn image (a broken one is complete with no width)
    WebDriverWait(browser, 120).until(
        lambda d: d.execute_script("return arguments[0].complete", picture)
    )
    assert browser.execute_script("return arguments[0].naturalWidth", picture) > 0
    block = browser.find_element(By.CSS_SELECTOR, 'script[type="application/ld+json"]')
    g = parse_rdf(block.get_attribute("textContent"), "json-ld")
    me = URIRef(ID + "person/sergey-lavrov")
    assert (me, RDF.type, URIRef(SCHEMA + "Person")) in g
    assert (me, URIRef(SCHEMA + "name"), Literal("Sergey Lavrov")) in g
    browser.save_screenshot(str(artifacts / "linked-lavrov.png"))

    browser.find_element(By.CSS_SELECTOR, '#claims-made a[href="/id/claim/article-001/9"]').click()
    assert browser.current_url == f"{ui_server}/page/claim/article-001/9"
    assert browser.find_element(By.ID, "label").text == (
        "Lavrov says security guarantees must comply with OSCE agreements"
    )
    provenance = browser.find_element(By.CSS_SELECTOR, "section.provenance").text
    assert "Source document" in provenance and "graph/data/articles/article-001.yaml" in provenance
    browser.save_screenshot(str(artifacts / "linked-claim.png"))

    link = browser.find_element(
        By.CSS_SELECTOR, '#outgoing a[href="/id/agreement/charter-for-european-security-1999"]'
    )
    browser.execute_script("arguments[0].scrollIntoView()", link)
    link.click()
    assert browser.current_url == f"{ui_server}/page/agreement/charter-for-european-security-1999"
    assert browser.find_element(By.ID, "label").text == "Charter for European Security"
    agreement = browser.find_element(By.CSS_SELECTOR, "section.agreement").text
    assert "Signed" in agreement and "1999-11-19" in agreement
    invoked = browser.find_element(By.ID, "invoked-by").text
    assert "Lavrov says security guarantees must comply with OSCE agreements" in invoked
    browser.save_screenshot(str(artifacts / "linked-agreement.png"))
    assert _severe(browser) == []


def test_unknown_resource_page_suggests(ui_server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{ui_server}/id/person/lavrov")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".suggestions a")]
    assert "Sergey Lavrov" in links


def test_ontology_anchor(ui_server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{ui_server}/ontology#speaker")
    term = browser.find_element(By.ID, "speaker")
    assert term.text.startswith("dg:speaker")
    assert browser.execute_script("return location.hash") == "#speaker"


def test_class_page_facet_narrows(ui_server: str, browser: Any, artifacts: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get_log("browser")
    browser.get(f"{ui_server}/class/Claim")
    assert browser.find_element(By.ID, "total").text == "29"
    facet = browser.find_element(
        By.XPATH, "//section[@class='facet'][h3='speaker']//a[normalize-space()='Sergey Lavrov']"
    )
    facet.click()
    assert browser.find_element(By.ID, "total").text == "5"
    items = [
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".instances a")
    ]
    assert f"{ui_server}/id/claim/article-001/9" in items and len(items) == 5
    browser.save_screenshot(str(artifacts / "linked-class-claim.png"))
    browser.find_element(By.CSS_SELECTOR, ".filter a.remove").click()
    assert browser.find_element(By.ID, "total").text == "29"
    assert _severe(browser) == []
