#!/usr/bin/env python3
"""Saves the docs' screenshot of the bundled sample site report.

Renders the report of the README's command (``chargekit report`` on the bundled four weeks of
examples/data/site-sessions.jsonl with the driver feedback of site-feedback.json, as
bindings-python/tests/test_report_browser.py does through the Python API), opens it from a
file in headless Chromium (Debian's ``chromium``, driven by Playwright) 1100 px wide and saves
a full-page PNG. Nothing is fetched: any request but the report file is refused, and a page
that logs a console error or warning or throws is not saved.

Usage, from the repository root, with the interpreter into which scripts/test-python.sh has
installed the chargekit wheel and Playwright (scripts/setup.sh installs chromium):

    target/pyenv/bin/python scripts/report-screenshot.py [OUT.png]

OUT defaults to docs/images/site-report.png.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "site-report.png"
    executable = shutil.which("chromium")
    if executable is None:
        print("error: Debian's chromium is not on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    data = ROOT / "examples" / "data"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        report = Path(tmp) / "report.html"
        command = ["report", str(data / "site-sessions.jsonl"), "--tz", "Europe/Berlin",
                   "--feedback", str(data / "site-feedback.json"), "--title", "Sample site", "-o", str(report)]
        subprocess.run([sys.executable, "-m", "chargekit", *command], check=True)
        url = report.as_uri()
        problems = []

        def only_the_file(route):
            if route.request.url == url:
                route.continue_()
            else:
                problems.append(f"request: {route.request.url}")
                route.abort()

        # The system build, not one Playwright downloads; /dev/shm may be small in containers.
        browser = p.chromium.launch(executable_path=executable, args=["--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        # The test's rule: no console error or warning (nor failed console.assert).
        page.on("console", lambda m: m.type in ("error", "warning", "assert") and problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        page.route("**/*", only_the_file)
        page.goto(url, wait_until="networkidle")
        if problems:
            browser.close()
            print("error: the report is broken, no screenshot saved:", *problems, sep="\n  ", file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
