"""The quality report: pure functions on a tiny hand-made database, and the real report of a real 1K build
loaded in headless Chromium.

The browser is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3,
replies on fd 4, NUL-separated JSON), so no websocket client, chromedriver or selenium is needed. The
browser test reads the shared built 1K database (fixtures_db.built_1k_db: MOLDOVA_TEST_DB, or one build
per session) read-only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import signal
import time
from pathlib import Path

import duckdb
import pytest
from fixtures_db import built_1k_db  # noqa: F401 (pytest fixture)

from moldova_personas.release import report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1200,900",
    "--remote-debugging-pipe",
)
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install -y chromium)"
)


# ------------------------------------------------------------------------------ DevTools over a pipe


class Browser:
    """Headless Chromium driven over --remote-debugging-pipe; records console errors and requests."""

    def __init__(self, profile_dir: Path, timeout: float = 60.0):
        self.timeout = timeout
        cmd_r, self._cmd_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        self._log = open(profile_dir.parent / "chromium.log", "wb")  # noqa: SIM115
        argv = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", "about:blank"]
        self.pid = os.posix_spawn(
            str(CHROMIUM),
            argv,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, self._log.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, self._log.fileno(), 2),
                (os.POSIX_SPAWN_DUP2, cmd_r, 3),
                (os.POSIX_SPAWN_DUP2, resp_w, 4),
            ],
        )
        os.close(cmd_r)
        os.close(resp_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._resp_r], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._resp_r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        self._next_id += 1
        msg: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params: dict = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params |= {
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            }
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))

    def console_errors(self) -> list[str]:
        errors = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"]["text"])
        return errors

    def requested_urls(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", session=False)
        for _ in range(50):
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self._cmd_w)
        os.close(self._resp_r)
        self._log.close()


@pytest.fixture()
def browser(tmp_path):
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    b = Browser(profile)
    yield b
    b.close()


IMAGES_JS = "JSON.stringify([...document.images].map(i => [i.complete, i.naturalWidth, i.alt.length]))"
EXTERNAL_OK = ("file://", "data:")


# ------------------------------------------------------------------------------ the real report


def _expected_plots(db: Path, tier: str, released: bool) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        n_tables = con.execute(
            "select count(distinct census_table) from fct_census_fit_cells where tier = ?", [tier]
        ).fetchone()[0]
        has = set(
            r[0]
            for r in con.sql(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        )
    extra = 0
    if released:
        extra += "rpt_quality_openings" in has  # opening moves
        extra += 2 * ("rpt_quality_anchors" in has)  # top anchors + anchor-use histogram
        extra += "fct_personas" in has  # length histograms
        extra += "fct_generation_batches" in has  # latency
        extra += "rpt_safety_fairness" in has  # fairness
    return n_tables + 2 + extra  # + age pyramid + raions


@needs_chromium
def test_report_renders_in_chromium(built_1k_db: Path, tmp_path: Path, browser: Browser):  # noqa: F811
    built_db = built_1k_db  # read-only: no private copy needed
    paths = report.build_reports(built_db, tmp_path / "reports")
    assert [p.relative_to(tmp_path / "reports").as_posix() for p in paths] == ["tier_1k/quality_report.html"]
    html = paths[0].read_text("utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    expected = _expected_plots(built_db, "tier_1k", released=True)
    assert expected >= 15  # the census tables of the 1K build, plus the fixed plots

    browser.open(paths[0].resolve().as_uri())
    images = json.loads(browser.evaluate(IMAGES_JS))
    declared = int(browser.evaluate("document.querySelector('main').dataset.plotCount"))
    assert len(images) == expected == declared
    assert browser.evaluate("document.querySelectorAll('img.plot').length") == expected
    bad = [i for i, (complete, width, alt) in enumerate(images) if not complete or width <= 0 or alt == 0]
    assert not bad, f"images not decoded or without alt text: {bad}"
    assert browser.console_errors() == []
    external = [u for u in browser.requested_urls() if not u.startswith(EXTERNAL_OK)]
    assert external == []
    assert browser.evaluate("document.title").startswith("Quality report: tier_1k")
    # every table-of-contents link points at an element of the page
    assert browser.evaluate(
        "[...document.querySelectorAll('nav.toc a')].every(a => document.getElementById(a.hash.slice(1)))"
    )
    shot = tmp_path / "report.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("MOLDOVA_REPORT_SCREENSHOT"):
        browser.screenshot(Path(os.environ["MOLDOVA_REPORT_SCREENSHOT"]), full_page=True)


@needs_chromium
def test_browser_harness_sees_errors_and_external_requests(tmp_path: Path, browser: Browser):
    """The checks above can fail: a page with a console error, a broken image and a remote image."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><img src='data:image/png;base64,AAAA' alt='broken'>"
        "<img src='http://127.0.0.1:9/x.png' alt='remote'>"
        "<script>console.error('boom')</script></body></html>"
    )
    browser.open(page.as_uri())
    images = json.loads(browser.evaluate(IMAGES_JS))
    assert [w for _, w, _ in images] == [0, 0]
    assert any("boom" in e for e in browser.console_errors())
    assert "http://127.0.0.1:9/x.png" in browser.requested_urls()


# ------------------------------------------------------------------------------ pure functions


def test_missing_database_names_make_run(tmp_path: Path, capsys):
    assert report.main(["--db", str(tmp_path / "nope.duckdb"), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "make run" in err


def _tiny_db(path: Path) -> Path:
    """Cores of a 40-person tier_1k and release_cores only: every mart is missing."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create table tier_1k as
            select 'tier_1k' as tier, i as persona_index, 42 as sample_seed,
                case when i % 2 = 0 then 'female' else 'male' end as sex, 18 + (i * 7) % 80 as age,
                ['Chisinau', 'Nord', 'Sud'][i % 3 + 1] as region,
                ['mun. Chișinău', 'Bălți', 'Cahul'][i % 3 + 1] as raion
            from range(40) as t(i)
            """
        )
        con.execute("create table release_cores as select * from tier_1k")
        con.execute("create view built_tiers as select * from tier_1k")
    return path


def test_report_with_missing_marts_says_not_built(tmp_path: Path):
    db = _tiny_db(tmp_path / "tiny.duckdb")
    (path,) = report.build_reports(db, tmp_path / "out")
    html = path.read_text("utf-8")
    assert path == tmp_path / "out" / "tier_1k" / "quality_report.html"
    assert html.count('<img class="plot"') == 2  # age pyramid and raions need only the cores
    assert "not built" in html
    assert "Safety marts: not built." in html
    assert 'data-plot-count="2"' in html


def test_report_is_deterministic(tmp_path: Path):
    db = _tiny_db(tmp_path / "tiny.duckdb")
    first = report.build_reports(db, tmp_path / "a")[0].read_bytes()
    second = report.build_reports(db, tmp_path / "b")[0].read_bytes()
    assert first == second
