"""The crawler against a misbehaving portal: spiders.faultserver on loopback.

One crawl of a portal full of faults serves most tests here; robots.txt,
blocking and captcha cases each get their own short crawl. Canary servers on
127.0.0.2 and on `localhost` (a host name outside the allow-list) count the
requests that must never arrive.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import time
from pathlib import Path

import pytest

from spiders.faultserver import FaultServer, file, page, redirect, reset, sequence, slow, status, truncated
from spiders.run import crawl

pytestmark = pytest.mark.slow  # each test crawls the fault server through a scrapy subprocess

# Small values so the suite stays fast; production uses spiders/settings.py.
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.5,
    "DOWNLOAD_TIMEOUT": 1.5,
    "BUDGETWATCH_RETRY_BACKOFF_BASE": 0.05,
    "BUDGETWATCH_RETRY_AFTER_MAX": 5,
}


def pdf(tag: str) -> bytes:
    return b"%PDF-1.4\n% budgetwatch test file " + tag.encode() + b"\n%%EOF\n"


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def portal(srv: FaultServer, links: list[tuple[str, str]], robots: str | None = "User-agent: *\nDisallow: /private/\n",
           detail_extra: str = "", detail_etag: str | None = None) -> str:
    """A one-entry 财政预决算 column in the sample profile's markup; returns the start URL."""
    if robots is not None:
        srv.route("/robots.txt", page(robots, headers={"Content-Type": "text/plain"}))
    srv.route("/col/index.html", page(
        '<!DOCTYPE html><html><body><ul class="list"><li><a href="./202601/t20260126_1.html" '
        'title="某单位2026年部门预算公开">某单位2026年部门预算公开</a><span class="date">2026-01-26</span></li>'
        '</ul></body></html>'))
    anchors = "".join(f'<a href="{href}">{text}</a>' for href, text in links)
    detail = ('<!DOCTYPE html><html><body><h1 class="title">某单位2026年部门预算公开</h1>'
              '<div class="info"><span class="pubdate">发布日期：2026-01-26</span></div>'
              f'<div class="attachments">{anchors}</div>{detail_extra}</body></html>')
    srv.route("/col/202601/t20260126_1.html", page(detail) if detail_etag is None else
              file(detail.encode("utf-8"), etag=detail_etag, content_type="text/html; charset=utf-8"))
    return srv.url("/col/index.html")


def run(start: str, store: Path, **extra) -> object:
    return crawl("sample", store, start_url=start, timeout_s=90, settings={**FAST, **extra})


def paths_requested(srv: FaultServer) -> list[str]:
    return [h.path for h in srv.hits()]


# -- one crawl of a portal full of faults ---------------------------------------------

OK, AFTER_503, AFTER_429, AFTER_429S, MOVED, NAMED = (pdf(t) for t in ("ok", "503", "429", "429s", "moved", "named"))
DUP = OK  # the same bytes under a second URL
HTML_AT_PDF = "<!DOCTYPE html><html><head><title>页面不存在</title></head><body>404 您访问的页面不存在</body></html>"


def _retry_after_date(seconds: float):
    """429 whose Retry-After is an HTTP date `seconds` ahead, computed when served."""
    def route(h, n):
        when = email.utils.formatdate(time.time() + seconds, usegmt=True)
        return status(429, headers={"Retry-After": when})(h, n)
    return route


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    store = tmp_path_factory.mktemp("faulty-store")
    with FaultServer() as srv, FaultServer("127.0.0.2") as canary2, FaultServer() as canary_name:
        outside = f"http://localhost:{canary_name.port}/x.pdf"  # a host name not on the allow-list
        srv.route("/f/ok.pdf", file(OK, etag='"ok-1"'))
        srv.route("/f/dup.pdf", file(DUP))
        srv.route("/f/e500.pdf", status(500))
        srv.route("/f/e503.pdf", sequence(status(503, headers={"Retry-After": "1"}), file(AFTER_503)))
        srv.route("/f/e429.pdf", sequence(_retry_after_date(2), file(AFTER_429)))
        srv.route("/f/e429s.pdf", sequence(status(429, headers={"Retry-After": "1"}), file(AFTER_429S)))
        srv.route("/f/slow.pdf", slow(2.0, file(pdf("slow"))))
        srv.route("/f/reset.pdf", reset())
        srv.route("/f/short.pdf", truncated(pdf("short")[:20], claimed=4000))
        srv.route("/f/away.pdf", redirect(outside))
        srv.route("/f/loop2.pdf", redirect(canary2.url("/x.pdf"), code=301))
        # Every hop is checked, not only the first.
        srv.route("/f/hop1.pdf", redirect("/f/hop2.pdf", code=307))
        srv.route("/f/hop2.pdf", redirect(canary2.url("/hop3.pdf"), code=308))
        srv.route("/f/refresh.pdf", page(f'<html><head><meta http-equiv="refresh" content="0;url={canary2.url("/r.pdf")}">'
                                         "</head><body></body></html>"))
        srv.route("/f/moved.pdf", redirect("/f/moved-here.pdf"))
        srv.route("/f/moved-here.pdf", file(MOVED))
        srv.route("/f/page.pdf", page(HTML_AT_PDF))
        srv.route("/f/named.pdf", file(NAMED, headers={"Content-Disposition": 'attachment; filename="../../evil.pdf"'}))
        srv.route("/private/secret.pdf", file(pdf("secret")))
        # Longer than BUDGETWATCH_RETRY_AFTER_MAX: not retried this run rather than early.
        srv.route("/f/e503long.pdf", status(503, headers={"Retry-After": "3600"}))
        srv.route("/f/huge.pdf", file(b"%PDF-1.4\n" + b"0" * 20_000))
        # 1 MB of zeros gzipped to ~1 kB: refused while inflating, past DOWNLOAD_MAXSIZE.
        srv.route("/f/bomb.pdf", file(gzip.compress(b"%PDF-1.4\n" + b"\0" * 1_000_000),
                                      headers={"Content-Encoding": "gzip"}))
        start = portal(srv, [(p, p.rsplit("/", 1)[-1]) for p in (
            "/f/ok.pdf", "/f/dup.pdf", "/f/e500.pdf", "/f/e503.pdf", "/f/e429.pdf", "/f/e429s.pdf", "/f/slow.pdf", "/f/reset.pdf",
            "/f/short.pdf", "/f/away.pdf", "/f/loop2.pdf", "/f/hop1.pdf", "/f/refresh.pdf", "/f/moved.pdf", "/f/page.pdf",
            "/f/named.pdf", "/private/secret.pdf", "/f/e503long.pdf", "/f/huge.pdf", "/f/bomb.pdf")] + [(canary2.url("/direct.pdf"), "direct"), (outside, "outside")])
        result = run(start, store, DOWNLOAD_MAXSIZE=8000)
        yield {"srv": srv, "canary2": canary2, "canary_name": canary_name, "result": result, "store": store}


def items_by_path(result, srv):
    return {item["url"].removeprefix(srv.url("")): item for item in result.items}


def test_fault_crawl_finishes_and_is_not_partial(faulty):
    res = faulty["result"]
    assert res.returncode == 0
    assert res.stats["finish_reason"] == "finished"
    assert (res.partial, res.stop_reason) == (False, None)


def test_canaries_are_never_hit(faulty):
    # Direct links, a 301/302, a second hop (307 then 308) and a meta refresh
    # to 127.0.0.2 or to another host name.
    assert faulty["canary2"].hits() == []
    assert faulty["canary_name"].hits() == []


def test_offsite_drops_are_counted(faulty):
    offsite = faulty["result"].report["offsite"]
    # direct 127.0.0.2 link, `localhost` link, the meta refresh target.
    assert offsite == {"requests_dropped": 3, "redirects_dropped": 3}
    assert len(faulty["srv"].hits("/f/hop2.pdf")) == 1


@pytest.mark.parametrize("path, tries", [
    ("/f/e500.pdf", 3), ("/f/slow.pdf", 3), ("/f/reset.pdf", 3), ("/f/short.pdf", 3),
    ("/f/e503.pdf", 2), ("/f/e429.pdf", 2), ("/f/e429s.pdf", 2), ("/f/ok.pdf", 1), ("/private/secret.pdf", 0),
    ("/f/e503long.pdf", 1), ("/f/huge.pdf", 1), ("/f/bomb.pdf", 1),
])
def test_at_most_three_tries(faulty, path, tries):
    assert len(faulty["srv"].hits(path)) == tries


@pytest.mark.parametrize("path, at_least", [
    ("/f/e503.pdf", 1.0),   # Retry-After: 1
    ("/f/e429s.pdf", 1.0),  # Retry-After: 1
    ("/f/e429.pdf", 1.0),   # Retry-After: an HTTP date 2 s ahead, whole seconds: at least 1 s
])
def test_retry_after_is_waited_for(faulty, path, at_least):
    first, second = faulty["srv"].hits(path)
    assert second.t - first.t >= at_least
    assert second.status == 200


def test_backoff_grows_between_tries(faulty):
    t = [h.t for h in faulty["srv"].hits("/f/e500.pdf")]
    # base 0.05 s: waits of 0.05 and 0.1 s at least.
    assert t[1] - t[0] >= 0.05 and t[2] - t[1] >= 0.1


def test_errors_by_kind(faulty):
    assert faulty["result"].report["errors"] == {
        "connection_lost": 1, "http_500": 1, "http_503": 1, "offsite": 3, "offsite_redirect": 3, "timeout": 1,
        "too_large": 2, "truncated": 1,
    }
    assert faulty["result"].report["files"]["failed"] == 7
    assert faulty["result"].report["requests"]["retry_after_refused"] == 1


def test_what_was_stored(faulty):
    got = {path: (item["sha256"], item["media_type"], item["new_file"]) for path, item in
           items_by_path(faulty["result"], faulty["srv"]).items()}
    html_sha = sha(HTML_AT_PDF.encode())
    assert got == {
        "/f/ok.pdf": (sha(OK), "application/pdf", got["/f/ok.pdf"][2]),
        "/f/dup.pdf": (sha(OK), "application/pdf", got["/f/dup.pdf"][2]),
        "/f/e503.pdf": (sha(AFTER_503), "application/pdf", True),
        "/f/e429.pdf": (sha(AFTER_429), "application/pdf", True),
        "/f/e429s.pdf": (sha(AFTER_429S), "application/pdf", True),
        "/f/moved-here.pdf": (sha(MOVED), "application/pdf", True),
        "/f/page.pdf": (html_sha, "text/html", True),
        "/f/named.pdf": (sha(NAMED), "application/pdf", True),
    }
    # The duplicate is stored once: exactly one of its two items wrote the file.
    assert sorted([got["/f/ok.pdf"][2], got["/f/dup.pdf"][2]]) == [False, True]


def test_store_holds_only_content_addressed_files(faulty):
    store = faulty["store"]
    files = sorted(p.relative_to(store).as_posix() for p in store.rglob("*")
                   if p.is_file() and not p.relative_to(store).parts[0].startswith("."))
    expected = sorted(f"{s[:2]}/{s}.pdf" for s in {sha(OK), sha(AFTER_503), sha(AFTER_429), sha(AFTER_429S), sha(MOVED),
                                                    sha(HTML_AT_PDF.encode()), sha(NAMED)})
    assert files == expected
    # Content-Disposition's "../../evil.pdf" was never used as a name.
    assert not list(store.parent.rglob("evil*"))
    # The truncated body was not stored under any name.
    assert not [p for p in store.rglob("*") if p.is_file() and p.read_bytes() == pdf("short")[:20]]


def test_robots_disallow_obeyed(faulty):
    assert faulty["result"].report["robots"] == {"status": "ok", "forbidden": 1}
    assert "/private/secret.pdf" not in paths_requested(faulty["srv"])


def test_user_agent_names_project_and_contact(faulty):
    agents = {h.headers.get("User-Agent") for h in faulty["srv"].hits()}
    assert agents == {"budgetwatch/0.1 (+https://github.com/budgetwatch; fiscal-oversight research)"}


def test_report_file_matches_result(faulty):
    res = faulty["result"]
    assert json.loads((res.run_dir / "report.json").read_text(encoding="utf-8")) == res.report
    assert res.report["files"] == {"items": 8, "new": 7, "changed": 0, "not_modified": 0, "known": 1, "failed": 7}
    assert res.report["pages"] == {"listing": 1, "detail": 1, "detail_not_modified": 0, "failed": 0}


# -- short crawls: robots.txt, blocking, captcha ---------------------------------------
# Each needs its own crawl (stopping a site ends the spider); they run two at
# a time to keep the suite fast. Each setup returns (start URL, extra settings).

def _robots_garbage(h, n):
    return status(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                  {"Content-Type": "text/plain"})(h, n)


def _robots_case(route, **extra):
    def setup(srv):
        start = portal(srv, [("/f/a.pdf", "a")], robots=None)
        srv.route("/robots.txt", route)
        srv.route("/f/a.pdf", file(pdf("a")))
        return start, extra
    return setup


ROBOTS_CASES = {
    "garbage": (_robots_case(_robots_garbage), "content is not a robots.txt"),
    "html": (_robots_case(page("<!DOCTYPE html><html><body><h1>欢迎访问</h1></body></html>")),
             "content is not a robots.txt"),
    "http500": (_robots_case(status(500)), "HTTP 500"),
    "http403": (_robots_case(status(403)), "HTTP 403"),
    "timeout": (_robots_case(slow(0.8, page("User-agent: *\nDisallow:\n")), DOWNLOAD_TIMEOUT=0.5),
                "DownloadTimeoutError"),
    "reset": (_robots_case(reset()), "robots.txt unreadable ("),
}


def _missing_robots(srv):
    start = portal(srv, [("/private/a.pdf", "a")], robots=None)  # /robots.txt answers 404
    srv.route("/private/a.pdf", file(pdf("a")))
    return start, {}


def _burst_403(srv):
    links = [(f"/f/{i}.pdf", str(i)) for i in range(12)]
    start = portal(srv, links)
    for href, _ in links:
        srv.route(href, status(403))
    return start, {}


CAPTCHA = ('<!DOCTYPE html><html><head><title>安全验证</title></head><body>'
           '<div class="slide-verify">请拖动滑块完成验证</div></body></html>')


def _captcha(srv):
    links = [(f"/f/{i}.pdf", str(i)) for i in range(8)]
    start = portal(srv, links)
    for href, _ in links:
        srv.route(href, page(CAPTCHA))
    return start, {}


def _comment_form(srv):
    filler = "<p>" + "财政预决算信息公开。" * 2500 + "</p>"
    start = portal(srv, [("/f/a.pdf", "a")],
                   detail_extra=f'{filler}<form>留言 <input name="yzm" placeholder="验证码"></form>')
    srv.route("/f/a.pdf", file(pdf("a")))
    return start, {}


SHORT = {**{f"robots-{k}": setup for k, (setup, _) in ROBOTS_CASES.items()},
         "robots-missing": _missing_robots, "burst": _burst_403, "captcha": _captcha, "comment-form": _comment_form}


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    from concurrent.futures import ThreadPoolExecutor

    stores = {name: tmp_path_factory.mktemp(name) for name in SHORT}

    def one(name):
        srv = FaultServer().start()
        try:
            start, extra = SHORT[name](srv)
            return name, (run(start, stores[name], **extra), srv)
        finally:
            srv.stop()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, SHORT))


@pytest.mark.parametrize("case", sorted(ROBOTS_CASES))
def test_unreadable_robots_stops_the_site(short, case):
    res, srv = short[f"robots-{case}"]
    # Nothing but robots.txt (and its retries) was requested.
    assert set(paths_requested(srv)) == {"/robots.txt"}
    assert res.items == []
    assert (res.partial, res.stop_reason) == (True, "robots_unreadable")
    assert ROBOTS_CASES[case][1] in res.report["stop_detail"]
    assert res.report["robots"]["status"] == "unreadable"
    assert res.stats["finish_reason"] == "robots_unreadable"
    assert not res.ok
    assert "robots.txt 无法读取" in res.summary()


def test_missing_robots_means_no_rules(short):
    res, _ = short["robots-missing"]
    assert [i["sha256"] for i in res.items] == [sha(pdf("a"))]
    assert (res.partial, res.report["robots"]["status"]) == (False, "absent")


def test_burst_of_403_stops_the_site(short):
    res, srv = short["burst"]
    attachment_hits = [h for h in srv.hits() if h.path.startswith("/f/")]
    # Stopped at the 5th 403 in a row. With 2 requests per site, at most two
    # more can already be on the wire: the one in flight, and the one the
    # download slot starts as soon as the 5th answer is read, before the
    # middlewares have seen it.
    assert 5 <= len(attachment_hits) <= 7
    assert (res.partial, res.stop_reason) == (True, "blocked")
    assert res.stats["finish_reason"] == "blocked"
    assert res.report["errors"]["blocked"] == 1


def test_captcha_page_stops_the_site(short):
    res, srv = short["captcha"]
    assert (res.partial, res.stop_reason) == (True, "captcha")
    assert res.items == []  # the challenge page is not stored as a disclosure
    assert len([h for h in srv.hits() if h.path.startswith("/f/")]) <= 3  # the first, and up to two on the wire
    assert "验证码" in res.summary()


def test_listing_with_a_comment_form_captcha_is_not_a_captcha_page(short):
    """A real column page may carry a 验证码 field in a feedback form; only a
    small page or one whose title says so is a challenge."""
    res, _ = short["comment-form"]
    assert (res.partial, [i["sha256"] for i in res.items]) == (False, [sha(pdf("a"))])
