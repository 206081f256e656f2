"""The site report from Python: ``SiteSummary.to_html`` (the Rust renderer, reached through
the summary's dict form) and ``SiteSummary.plot_heatmap`` (matplotlib)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import chargekit
from chargekit import analytics, feedback
from chargekit.ocpp import sessions_from_messages


@pytest.fixture(scope="module")
def site(data_dir: Path):
    records = [json.loads(line) for line in (data_dir / "site-sessions.jsonl").read_text().splitlines()]
    return analytics.summarize(records, "Europe/Berlin")


def test_report_from_python_is_the_shells_report(site, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(data_dir / "site-sessions.jsonl"), "--tz", "Europe/Berlin"]
    p = subprocess.run([sys.executable, "-m", "chargekit", *args, "--title", "Depot", "-o", str(out)],
                       capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    # The dict round trip loses nothing: the same page, byte for byte.
    assert site.to_html("Depot") == out.read_text()


def test_heatmap_cells_carry_the_summary_values(site) -> None:
    html = site.to_html()
    assert html.startswith("<!DOCTYPE html>")
    for heatmap in ("occupancy-heatmap", "arrivals-heatmap"):
        svg = html[html.index(f'id="{heatmap}"'):]
        assert svg[: svg.index("</svg>")].count('<rect class="cell"') == 168
    tuesday_9 = site.heatmaps["arrivals"][1][9]
    assert f"<title>Tue 09:00: {tuesday_9} arrivals</title>" in html
    assert f"<b>{site.counts.sessions_used}</b><span>sessions</span>" in html
    # The title defaults to the site id, else "Site report"; text is escaped.
    assert "<title>Site report</title>" in html
    assert "<h1>&lt;b&gt; &amp; co</h1>" in site.to_html("<b> & co")


def test_scores_and_meter_anomalies_are_shown(site, data_dir: Path) -> None:
    items = json.loads((data_dir / "site-feedback.json").read_text())
    report = feedback.score(items)
    logs = sessions_from_messages((data_dir / "site-day-ocpp16.jsonl").read_text(), station_id="CP-ALPHA")
    html = site.to_html(scores=report, sessions=logs)
    st2 = next(s for s in report.scores if s.id == "ST-2")
    assert f'<td>ST-2</td><td class="n">{st2.display_score} / 10</td>' in html
    # site-day-ocpp16: a duplicate in two sessions (48231, 48240).
    kinds = [k for s in logs for k in s.anomaly_kinds]
    assert f'<td>duplicate</td><td class="n">2</td><td class="n">{kinds.count("duplicate")}</td>' in html
    # The report's screening refusals are counted (a burst of four at ST-3, one from 240 m);
    # a list of scores alone leaves them out; no scores, no reliability section.
    assert "Not counted by the anti-abuse screening: 3 × cooldown, 1 × too_far." in html
    assert "Not counted" not in site.to_html(scores=report.scores, sessions=logs)
    assert site.to_html(scores=report.scores, sessions=logs).count("<td>ST-") == html.count("<td>ST-")
    assert "Reliability" not in site.to_html(sessions=logs)


def test_a_summary_that_does_not_read_back_is_a_typed_error(site) -> None:
    data = site.to_dict()
    data["heatmaps"]["arrivals"] = data["heatmaps"]["arrivals"][:6]
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError) as e:
        analytics.SiteSummary(data).to_html()
    assert e.value.field == "summary.heatmaps.arrivals"
    assert "7 rows of 24" in e.value.reason
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError, match="scores"):
        site.to_html(scores=[{"id": "x"}])


def test_plot_heatmap_draws_the_grid(site) -> None:
    import matplotlib  # the `plot` extra; scripts/test-python.sh installs it

    matplotlib.use("Agg")
    ax = site.plot_heatmap("arrivals")
    drawn = ax.images[0].get_array()
    assert drawn.shape == (7, 24)
    assert [[int(v) for v in row] for row in drawn.tolist()] == site.heatmaps["arrivals"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(analytics.WEEKDAYS)
    assert ax.images[0].get_clim()[1] == max(map(max, site.heatmaps["arrivals"]))
    with pytest.raises(chargekit.InvalidAnalyticsOptionsError, match="no heatmap 'busy'"):
        site.plot_heatmap("busy")


def test_report_is_escaped_and_self_contained(site) -> None:
    html = site.to_html()
    assert not re.search(r"<script|src=|href=|url\(", html)
