"""The HTML report in a real browser: headless Chromium through selenium.

CI installs Debian's ``chromium`` and ``chromium-driver`` (see ``.ci/run``);
elsewhere the test is skipped, with the reason, when they are missing.
"""

import shutil
from pathlib import Path

import pytest

from imbkit.report import render_html

_CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
_CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if _CHROMIUM is None or not Path(_CHROMEDRIVER).exists():
        pytest.skip("chromium / chromedriver not installed (apt-get install chromium "
                    "chromium-driver; .ci/run does it in CI)")
    options = webdriver.ChromeOptions()
    options.binary_location = _CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", "--window-size=1280,2000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=_CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()


def test_report_renders_in_chromium_with_images_and_no_console_errors(
        browser, small_comparison, tmp_path):
    from selenium.webdriver.common.by import By

    result, X, y = small_comparison
    path = tmp_path / "report.html"
    path.write_text(render_html(result, X, y, dataset="demo"), encoding="utf-8")
    browser.get_log("browser")  # drop anything logged before this page
    browser.get(path.as_uri())
    assert browser.title == "imbkit comparison: demo"
    rows = browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == result.ranking
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt]);")
    assert len(images) >= 5
    assert all(complete and width > 0 for complete, width, _ in images), images
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_browser_checks_catch_a_broken_image_and_a_console_error(browser, tmp_path):
    # the checks above can fail: an undecodable PNG has naturalWidth 0, and a
    # console error is logged as SEVERE
    path = tmp_path / "broken.html"
    path.write_text('<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>'
                    '<img src="data:image/png;base64,iVBORw0KGgoAAAA=">'
                    '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    browser.get_log("browser")
    browser.get(path.as_uri())
    widths = browser.execute_script("return Array.from(document.images).map(i => i.naturalWidth);")
    assert widths == [0]
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert any("boom" in message for message in severe)
