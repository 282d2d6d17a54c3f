"""The search box of every page, in real headless Chromium under the strict CSP (issue 20): typed
on a page, "lavr" finds Sergey Lavrov first, as a person, and following the hit opens his
linked-data page."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.slow


def test_the_search_box_finds_sergey_lavrov_from_lavr(browser: Any, ui_server: str) -> None:
    browser.get(ui_server + "/queries")  # any page: the box is in every page's header
    box = WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "form.site-search input[name=q]")
    )
    box.send_keys("lavr", Keys.ENTER)
    WebDriverWait(browser, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".search-hits li a")
    )
    assert "/search?q=lavr" in browser.current_url
    first = browser.find_elements(By.CSS_SELECTOR, ".search-hits li")[0]
    assert first.find_element(By.TAG_NAME, "a").text == "Sergey Lavrov"
    assert first.find_element(By.CSS_SELECTOR, ".kind").text == "person"
    first.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "label"))
    assert browser.find_element(By.ID, "label").text == "Sergey Lavrov"
    assert browser.current_url.endswith("/page/person/sergey-lavrov")
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
