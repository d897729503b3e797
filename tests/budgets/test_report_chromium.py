"""Does the HTML cost report render its figures in a real browser, offline, without errors?

Headless Chromium (Debian's ``chromium``, installed by ``.ci/run``) opens a copy
of the report with a probe script added (the report itself has none): the
probe records every error into the DOM and, on load, how many images decoded.
Console output goes to stderr (``--enable-logging=stderr``) and is checked too,
so a blocked external resource (a CDN) or a CSP violation fails the test.
"""

import json
import re
import shutil
import subprocess

import pytest

from course_lib.budgets import Budget, write_report
from course_lib.usage import CallRecord

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
T0 = 1_770_595_200.0                      # Monday 9 February 2026 00:00 UTC
PROBE = """<script>window.__errs=[];
window.addEventListener('error',function(e){__errs.push(String(e.message||(e.target&&e.target.src)||'error'))},true);
window.addEventListener('load',function(){var imgs=[].slice.call(document.images);
var ok=imgs.filter(function(i){return i.complete&&i.naturalWidth>0&&i.naturalHeight>0}).length;
document.body.setAttribute('data-probe',JSON.stringify({imgs:imgs.length,ok:ok,errs:__errs}));});</script>"""


def _ledger():
    """Six weeks of hourly calls with a weekly rhythm, cache hits and one runaway evening."""
    recs = []
    for hour in range(24 * 7 * 6):
        ts = T0 + hour * 3600
        busy = 3 if 8 <= (hour % 24) <= 20 else 1
        for i in range(busy):
            spike = 30 if hour == 24 * 7 * 6 - 30 and i == 0 else 1
            recs.append(CallRecord(model="gpt-4o" if i else "gpt-4o-mini", input_tokens=1000,
                                   output_tokens=100, cost=str(0.02 * spike * (1 + i)), ts=ts + i,
                                   team=["ecommerce", "postventa"][i % 2], feature=["chat_web", "garantias"][i % 2],
                                   user=f"cli-{hour % 7}", response_cache_hit=False))
        recs.append(CallRecord(model="gpt-4o-mini", input_tokens=0, output_tokens=0, cost=0, ts=ts + 5,
                               team="ecommerce", feature="chat_web", user="cli-1", response_cache_hit=True))
    return recs


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("informe") / "informe.html"
    budget = Budget(name="org-mes", limit="150", period="month", tz="Europe/Madrid")
    return write_report(_ledger(), path, budgets=[budget])


def test_is_the_report_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", page)      # nothing fetched from anywhere
    assert "<script" not in page and page.count("data:image/png;base64,") == 6


def _render(page: str, tmp_path):
    """Open ``page`` (with the probe) in headless Chromium: (probe result, console lines)."""
    probed = page.replace("img-src data:", "script-src 'unsafe-inline'; img-src data:", 1)
    probed = probed.replace("<head>", "<head>" + PROBE, 1)
    target = tmp_path / "probed.html"
    target.write_text(probed, encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={tmp_path / 'perfil'}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", target.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    match = re.search(r"data-probe=\"([^\"]*)\"", result.stdout)
    assert match, "la página no terminó de cargar (sin data-probe)"
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Content Security Policy" in line]
    return json.loads(match.group(1).replace("&quot;", '"')), console


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium no está instalado (apt-get install -y chromium)")


@needs_chromium
def test_does_chromium_render_every_figure_without_console_errors(report, tmp_path):
    probe, console = _render(report.read_text(encoding="utf-8"), tmp_path)
    assert probe == {"imgs": 6, "ok": 6, "errs": []}
    assert console == []


@needs_chromium
def test_would_the_browser_check_catch_a_broken_figure_and_a_cdn_script(report, tmp_path):
    page = report.read_text(encoding="utf-8")
    broken = page.replace("data:image/png;base64,iVBOR", "data:image/png;base64,XXXX", 1)
    broken = broken.replace("</body>", '<script src="https://cdn.example.com/plot.js"></script></body>')
    probe, console = _render(broken, tmp_path)
    assert probe["imgs"] == 6 and probe["ok"] == 5 and probe["errs"]
    assert console
