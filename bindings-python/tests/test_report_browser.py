"""The site report (``SiteSummary.to_html``) in a real headless browser: Debian's ``chromium``
driven by Playwright opens the report as a file and sees no console error or warning, no
uncaught exception and no request beyond the file itself (the report is self-contained), and
both heatmaps drawn with their 7 × 24 cells. Negative controls show that the same check
catches a console error, an uncaught exception and an outside request.

Without chromium or playwright the tests skip on a developer's machine but fail in CI (CI set),
where scripts/setup.sh and scripts/test-python.sh install both."""

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator, List, NoReturn

import pytest

from chargekit import analytics, feedback
from chargekit.ocpp import sessions_from_messages

HEATMAPS = ("occupancy-heatmap", "arrivals-heatmap")
# console.assert failures are errors too; "warning" catches deprecations and CSP reports.
BAD_CONSOLE = {"error", "warning", "assert"}


def unavailable(reason: str) -> NoReturn:
    # In CI a missing browser is a broken set-up, which a skip would hide.
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser test")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("Debian's chromium is not on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (scripts/test-python.sh installs it)")
    with sync_playwright() as p:
        # The system build, not one Playwright downloads. Debian's launcher falls back to /tmp
        # when /dev/shm is small, but its test breaks with several mounts; Docker gives 64 MB.
        chromium = p.chromium.launch(executable_path=executable, args=["--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    yield context.new_page()
    context.close()


def load(page: Any, path: Path) -> List[str]:
    """Opens ``path`` in ``page`` and returns what a self-contained page must not produce:
    console errors and warnings, uncaught exceptions, and any request but the file itself
    (each refused, so nothing leaves the machine)."""
    url = path.resolve().as_uri()
    problems: List[str] = []

    def on_console(message: Any) -> None:
        if message.type in BAD_CONSOLE:
            problems.append(f"console {message.type}: {message.text}")

    def on_request(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            problems.append(f"request: {route.request.url}")
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    # Page routes do not see websockets: record those apart.
    page.on("websocket", lambda ws: problems.append(f"websocket: {ws.url}"))
    page.route("**/*", on_request)
    # networkidle waits 500 ms past the last request, so scripts run just after load report too.
    page.goto(url, wait_until="networkidle")
    return problems


def sample_report(data_dir: Path) -> str:
    """The bundled sample with every section: four weeks of a site, its driver feedback and
    the meter anomalies of an OCPP day (scripts/report-screenshot.py keeps the docs'
    screenshot of the README command's report)."""
    records = [json.loads(line) for line in (data_dir / "site-sessions.jsonl").read_text().splitlines()]
    scores = feedback.score(json.loads((data_dir / "site-feedback.json").read_text()))
    logs = sessions_from_messages((data_dir / "site-day-ocpp16.jsonl").read_text(), station_id="CP-ALPHA")
    return analytics.summarize(records, "Europe/Berlin").to_html("Sample site", scores=scores, sessions=logs)


def test_the_sample_report_loads_clean_with_both_heatmaps(page: Any, tmp_path: Path, data_dir: Path) -> None:
    report = tmp_path / "report.html"
    html = sample_report(data_dir)
    assert "Reliability from driver feedback" in html and "<td>duplicate</td>" in html
    report.write_text(html, encoding="utf-8")
    problems = load(page, report)
    assert not problems, problems
    for heatmap in HEATMAPS:
        svg = page.locator(f"svg.heatmap#{heatmap}")
        assert svg.count() == 1, heatmap
        assert svg.is_visible(), heatmap
        box = svg.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, (heatmap, box)
        cells = svg.locator("rect.cell")
        assert cells.count() == 7 * 24, heatmap
        # Every cell laid out with an area, not only present in the markup (a bad viewBox or
        # a zero size would leave the SVG's box but draw nothing).
        drawn = cells.evaluate_all(
            "cells => cells.filter(c => { const r = c.getBoundingClientRect();"
            " return r.width > 0 && r.height > 0; }).length"
        )
        assert drawn == 7 * 24, heatmap


@pytest.mark.parametrize(
    "body, problem",
    [
        ('<script>console.error("x")</script>', "console error: x"),
        ('<script>throw new Error("boom")</script>', "uncaught: boom"),
        # Port 9 is one Chromium refuses anyway; the route aborts it before that.
        ('<img src="http://127.0.0.1:9/x.png">', "request: http://127.0.0.1:9/x.png"),
    ],
    ids=["console-error", "uncaught-exception", "outside-request"],
)
def test_the_check_catches_a_broken_page(page: Any, tmp_path: Path, body: str, problem: str) -> None:
    control = tmp_path / "control.html"
    control.write_text(f'<!doctype html><meta charset="utf-8"><title>control</title>{body}', encoding="utf-8")
    assert problem in load(page, control)


def test_the_check_passes_a_clean_page(page: Any, tmp_path: Path) -> None:
    # The counterpart of the controls: the browser itself adds no message to a plain page.
    control = tmp_path / "control.html"
    control.write_text('<!doctype html><meta charset="utf-8"><title>control</title><p>ok</p>', encoding="utf-8")
    assert load(page, control) == []
