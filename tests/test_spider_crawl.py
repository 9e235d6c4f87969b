"""End-to-end crawl of the saved sample site, served on 127.0.0.1 by a thread.

One crawl (a `scrapy crawl` subprocess, about a second) serves every test in
this module; the fixture site follows the demo portal's HTML contract.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from spiders.run import crawl

pytestmark = pytest.mark.slow  # the module's crawls run scrapy subprocesses

SITE = Path(__file__).parent / "fixtures" / "spiders" / "sample_site"
PDF_SHA = "40cfca4a1d551d54cb307faf065dc2c74379056c5e0a9e1e304b76395788fcaa"
HTML_AT_PDF_SHA = "dafcf61a3ee63d92d88867035f8dbcd197c064e98c4fd99948a7b65388d921f1"
CZYJS = "/zwgk/czyjs"


class _RecordingHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def do_GET(self):
        self.requested.append(self.path)
        super().do_GET()

    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def site():
    requested: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"requested": requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def result(site, tmp_path_factory):
    root, _ = site
    store = tmp_path_factory.mktemp("store")
    res = crawl("sample", store, start_url=f"{root}{CZYJS}/index.html", timeout_s=120)
    res.store = store
    return res


def by_url(result, root):
    return {item["url"].removeprefix(root): item for item in result.items}


def test_crawl_exits_cleanly(result):
    assert result.returncode == 0
    assert result.stats["finish_reason"] == "finished"
    assert result.stats.get("log_count/ERROR", 0) == 0
    assert result.log_path.is_file()


def test_one_item_per_attachment(site, result):
    root, _ = site
    assert sorted(by_url(result, root)) == [
        f"{CZYJS}/202601/P020260126381234567890.pdf",
        f"{CZYJS}/202601/P020260127000000000001.pdf",
        f"{CZYJS}/202602/W020260203000000000002.PDF",
    ]


@pytest.mark.parametrize("path, sha256, media_type, size", [
    (f"{CZYJS}/202601/P020260126381234567890.pdf", PDF_SHA, "application/pdf", 431),
    (f"{CZYJS}/202601/P020260127000000000001.pdf", HTML_AT_PDF_SHA, "text/html", 161),
    (f"{CZYJS}/202602/W020260203000000000002.PDF", PDF_SHA, "application/pdf", 431),
])
def test_content_hash_and_sniffed_type(site, result, path, sha256, media_type, size):
    item = by_url(result, site[0])[path]
    assert (item["sha256"], item["media_type"], item["size"]) == (sha256, media_type, size)
    stored = Path(item["path"])
    assert stored.is_absolute()
    assert stored.parent == result.store / sha256[:2]
    assert stored.name == f"{sha256}.pdf"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256


@pytest.mark.parametrize("path, title, published_at, source, link_text", [
    (f"{CZYJS}/202601/P020260126381234567890.pdf", "硚口区城市运行管理中心2026年部门预算公开",
     "2026-01-26", "detail_page", "硚口区城市运行管理中心2026年部门预算.pdf"),
    # 发布日期 printed as 2026年1月27日 on the page.
    (f"{CZYJS}/202601/P020260127000000000001.pdf", "硚口区财政局2026年部门预算公开",
     "2026-01-27", "detail_page", "硚口区财政局2026年部门预算.pdf"),
    # This detail page prints no 发布日期; the listing date must not stand in for it.
    (f"{CZYJS}/202602/W020260203000000000002.PDF", "硚口区教育局2026年部门预算公开",
     None, None, "硚口区教育局2026年部门预算.pdf"),
])
def test_detail_fields(site, result, path, title, published_at, source, link_text):
    item = by_url(result, site[0])[path]
    assert item["title"] == title
    assert item["published_at"] == published_at
    assert item["published_at_source"] == source
    assert item["link_text"] == link_text
    assert item["site"] == "sample"
    assert item["detail_url"].startswith(site[0] + CZYJS + "/2026")
    assert item["fetched_at"].endswith("+00:00")


def test_duplicate_content_is_stored_once(result):
    files = sorted(p.relative_to(result.store).as_posix()
                   for p in result.store.rglob("*") if p.is_file() and not p.relative_to(result.store).parts[0].startswith("."))
    assert files == [f"{PDF_SHA[:2]}/{PDF_SHA}.pdf", f"{HTML_AT_PDF_SHA[:2]}/{HTML_AT_PDF_SHA}.pdf"]
    assert [i["new_file"] for i in result.items].count(True) == 2
    assert result.stats["budgetwatch/files/known"] == 1


def test_robots_disallow_is_obeyed(site, result):
    _, requested = site
    assert "/robots.txt" in requested
    assert not [p for p in requested if p.startswith("/admin/")]
    assert result.stats["robotstxt/forbidden"] == 1


def test_listing_filters_and_pager(site, result):
    _, requested = site
    assert f"{CZYJS}/index_1.html" in requested
    # Not a budget title / an archive year before years.min_year: never fetched.
    assert f"{CZYJS}/202601/t20260128_1000009.html" not in requested
    assert f"{CZYJS}/201903/t20190301_0900001.html" not in requested
    assert result.stats["budgetwatch/listing/pages"] == 2
    assert result.stats["budgetwatch/listing/skipped_title"] == 1
    assert result.stats["budgetwatch/listing/skipped_year"] == 1


def test_missing_attachment_is_counted_and_named(site, result):
    _, requested = site
    assert f"{CZYJS}/202602/W020260203000000000404.pdf" in requested
    assert result.stats["budgetwatch/files/failed"] == 1
    assert "1 个附件下载失败" in result.summary()
    assert "W020260203000000000404.pdf" in result.log_path.read_text(encoding="utf-8")


def test_run_keeps_its_items_and_stats(result):
    assert (result.run_dir / "items.jsonl").is_file()
    assert (result.run_dir / "stats.json").is_file()
    assert result.summary().startswith("抓取完成：3 个附件（新文件 2 个）")


def test_second_run_finds_the_files_known(site, result):
    root, _ = site
    again = crawl("sample", result.store, start_url=f"{root}{CZYJS}/index.html", timeout_s=120)
    assert again.returncode == 0
    assert sorted(i["sha256"] for i in again.items) == sorted(i["sha256"] for i in result.items)
    assert [i["new_file"] for i in again.items] == [False, False, False]


def test_a_crawl_started_early_is_collected_by_the_crawl_call(site, tmp_path):
    from spiders.run import _EARLY, start_early

    root, requested = site
    start = f"{root}{CZYJS}/index.html"
    before = requested.count(f"{CZYJS}/index.html")
    key = start_early("sample", tmp_path, start_url=start, timeout_s=120)
    assert key in _EARLY
    res = crawl("sample", tmp_path, start_url=start, timeout_s=120)
    assert key not in _EARLY and res.returncode == 0 and len(res.items) == 3
    assert requested.count(f"{CZYJS}/index.html") - before == 1  # one crawl, not two
    assert len(list((tmp_path / ".crawls").iterdir())) == 1


def test_an_early_crawl_nobody_collects_is_stopped(site, tmp_path):
    from spiders.run import _EARLY, cancel_early, start_early

    root, _ = site
    key = start_early("sample", tmp_path, start_url=f"{root}{CZYJS}/index.html", timeout_s=120)
    pending = _EARLY[key]
    assert cancel_early([key]) == 1
    assert pending.proc.returncode is not None and key not in _EARLY
    assert not (pending.run_dir / "report.json").exists()  # never recorded as a crawl run
    assert cancel_early([key]) == 0


def test_an_early_crawl_that_cannot_start_is_left_to_the_crawl_call(tmp_path):
    from spiders.run import _EARLY, start_early

    assert start_early("no-such-site", tmp_path) is None
    assert not _EARLY


def test_timeout_stops_the_crawl_and_keeps_what_it_has(tmp_path):
    class Slow(_RecordingHandler):
        requested: list[str] = []

        def do_GET(self):
            if self.path.endswith("index_1.html"):
                time.sleep(6)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Slow, directory=str(SITE)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        res = crawl("sample", tmp_path, timeout_s=4,
                    start_url=f"http://127.0.0.1:{server.server_address[1]}{CZYJS}/index.html")
    finally:
        server.shutdown()
        server.server_close()
    assert res.timed_out and not res.ok
    # (4 s, not less: on a loaded machine Scrapy's start-up alone can take 2-3 s,
    # and a SIGINT before its handlers are installed leaves no stats.)
    # Scrapy stops itself at CLOSESPIDER_TIMEOUT or, if its start-up was slow
    # on a loaded machine, at the runner's SIGINT; either way it shuts down
    # cleanly and writes its stats (a kill would leave none).
    assert res.stats["finish_reason"] in ("closespider_timeout", "shutdown")
    assert res.summary().endswith("已超时中止")
    assert f"{CZYJS}/202602/t20260203_1000003.html" not in Slow.requested
