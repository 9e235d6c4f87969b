"""Incremental crawls: conditional requests, versions, first/last seen.

The fault server's files answer If-None-Match / If-Modified-Since like a CMS
web server; the sample portal (demo.server) answers If-Modified-Since.
"""

from __future__ import annotations

import json
import logging
import re

import pytest

from spiders.faultserver import FaultServer, file
from spiders.run import crawl
from tests.test_spider_faults import FAST, pdf, portal, sha

pytestmark = pytest.mark.slow  # each test crawls the sample portal through a scrapy subprocess

V1, V2, LM_ONLY = pdf("budget v1"), pdf("budget v2 corrected"), pdf("last-modified only")


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    """Run 1: first sight. Run 2: nothing changed. Run 3: /f/a.pdf re-published
    with corrected content under the same URL."""
    store = tmp_path_factory.mktemp("incremental-store")
    with FaultServer() as srv:
        start = portal(srv, [("/f/a.pdf", "甲单位"), ("/f/b.pdf", "乙单位"), ("/f/a-copy.pdf", "甲单位（转载）")],
                       detail_etag='"detail-1"')
        srv.route("/f/a.pdf", file(V1, etag='"a-1"', last_modified=1_767_000_000))
        srv.route("/f/b.pdf", file(LM_ONLY, last_modified=1_767_000_000))
        srv.route("/f/a-copy.pdf", file(V1, etag='"copy-1"'))
        runs = [crawl("sample", store, start_url=start, timeout_s=60, settings=FAST)]
        marks = [len(srv.hits())]
        runs.append(crawl("sample", store, start_url=start, timeout_s=60, settings=FAST))
        marks.append(len(srv.hits()))
        srv.route("/f/a.pdf", file(V2, etag='"a-2"', last_modified=1_767_100_000))
        runs.append(crawl("sample", store, start_url=start, timeout_s=60, settings=FAST))
        log = srv.hits()
    per_run = [log[:marks[0]], log[marks[0]:marks[1]], log[marks[1]:]]
    return {"runs": runs, "hits": per_run, "store": store}


def by_path(result):
    return {re.sub(r"^http://[^/]+", "", i["url"]): i for i in result.items}


def file_hits(hits):
    return sorted((h.path, h.status, h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since"))
                  for h in hits if h.path.startswith("/f/"))


def test_first_run_downloads_unconditionally(three_runs):
    assert file_hits(three_runs["hits"][0]) == [
        ("/f/a-copy.pdf", 200, None, None), ("/f/a.pdf", 200, None, None), ("/f/b.pdf", 200, None, None)]


def test_second_run_sends_validators_and_gets_304(three_runs):
    assert file_hits(three_runs["hits"][1]) == [
        ("/f/a-copy.pdf", 304, '"copy-1"', None),
        ("/f/a.pdf", 304, '"a-1"', "Mon, 29 Dec 2025 09:20:00 GMT"),
        ("/f/b.pdf", 304, None, "Mon, 29 Dec 2025 09:20:00 GMT"),
    ]


def test_second_run_parses_the_unchanged_detail_page_from_the_store(three_runs):
    detail = "/col/202601/t20260126_1.html"
    assert [(h.status, h.headers.get("If-None-Match")) for h in three_runs["hits"][1] if h.path == detail] == [
        (304, '"detail-1"')]
    assert three_runs["runs"][1].report["pages"] == {"listing": 1, "detail": 1, "detail_not_modified": 1, "failed": 0}


def test_not_modified_items_point_at_the_stored_file(three_runs):
    first, second = by_path(three_runs["runs"][0]), by_path(three_runs["runs"][1])
    for path in ("/f/a.pdf", "/f/b.pdf", "/f/a-copy.pdf"):
        item = second[path]
        assert (item["not_modified"], item["new_file"], item["changed"], item["http_status"]) == (True, False, False, 304)
        assert (item["sha256"], item["path"], item["size"]) == (first[path]["sha256"], first[path]["path"], first[path]["size"])
        assert item["first_seen"] == first[path]["first_seen"]
        assert item["last_seen"] >= first[path]["last_seen"]
        assert item["published_at"] == "2026-01-26"
    assert three_runs["runs"][1].report["files"] == {
        "items": 3, "new": 0, "changed": 0, "not_modified": 3, "known": 0, "failed": 0}


def test_duplicate_under_two_urls_is_stored_once(three_runs):
    first = by_path(three_runs["runs"][0])
    assert first["/f/a.pdf"]["path"] == first["/f/a-copy.pdf"]["path"]
    assert sorted([first["/f/a.pdf"]["new_file"], first["/f/a-copy.pdf"]["new_file"]]) == [False, True]


def test_corrected_republication_is_a_new_version(three_runs):
    third = by_path(three_runs["runs"][2])
    a = third["/f/a.pdf"]
    assert (a["sha256"], a["changed"], a["previous_sha256"], a["new_file"], a["not_modified"]) == (
        sha(V2), True, sha(V1), True, False)
    # The unchanged copy and b are still 304.
    assert (third["/f/a-copy.pdf"]["not_modified"], third["/f/b.pdf"]["not_modified"]) == (True, True)
    store = three_runs["store"]
    # Both versions are kept.
    for body in (V1, V2):
        assert (store / sha(body)[:2] / f"{sha(body)}.pdf").read_bytes() == body
    assert three_runs["runs"][2].report["files"]["changed"] == 1
    assert "1 个附件内容已更新" in three_runs["runs"][2].summary()


def test_state_file_records_versions_and_sightings(three_runs):
    store = three_runs["store"]
    state = json.loads((store / ".state" / "sample.json").read_text(encoding="utf-8"))
    urls = {re.sub(r"^http://[^/]+", "", u): rec for u, rec in state["urls"].items()}
    assert sorted(urls) == ["/col/202601/t20260126_1.html", "/f/a-copy.pdf", "/f/a.pdf", "/f/b.pdf"]
    # The detail page is kept for the next run's 304, apart from the disclosures.
    page = urls["/col/202601/t20260126_1.html"]
    assert page["path"] == f".pages/{page['sha256'][:2]}/{page['sha256']}"
    assert (store / page["path"]).is_file()
    assert urls["/col/202601/t20260126_1.html"]["etag"] == '"detail-1"'
    a = urls["/f/a.pdf"]
    assert [v["sha256"] for v in a["versions"]] == [sha(V1), sha(V2)]
    assert (a["sha256"], a["etag"], a["path"]) == (sha(V2), '"a-2"', f"{sha(V2)[:2]}/{sha(V2)}.pdf")
    assert a["first_seen"] <= a["versions"][1]["first_seen"] <= a["last_seen"]
    assert urls["/f/b.pdf"]["etag"] is None and urls["/f/b.pdf"]["last_modified"] == "Mon, 29 Dec 2025 09:20:00 GMT"


def test_pruned_store_file_is_fetched_again(tmp_path):
    """A validator is only sent for a file we still hold; otherwise a 304
    would leave us with nothing."""
    with FaultServer() as srv:
        start = portal(srv, [("/f/a.pdf", "a")])
        srv.route("/f/a.pdf", file(V1, etag='"a-1"'))
        crawl("sample", tmp_path, start_url=start, timeout_s=60, settings=FAST)
        (tmp_path / sha(V1)[:2] / f"{sha(V1)}.pdf").unlink()
        again = crawl("sample", tmp_path, start_url=start, timeout_s=60, settings=FAST)
    assert [(h.status, h.headers.get("If-None-Match")) for h in srv.hits("/f/a.pdf")] == [(200, None), (200, None)]
    assert (again.items[0]["new_file"], again.items[0]["not_modified"]) == (True, False)


# -- the sample portal (demo/) ------------------------------------------------------------

class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_second_crawl_of_the_sample_portal_downloads_no_file_again(tmp_path):
    """The demo portal (demo.server answers If-Modified-Since) with its seed
    content, to keep the suite fast; the whole sample district behaves the same
    (measured by hand: 553 requests, 34 MB, then 553 requests, 196 kB, every
    detail page and file a 304)."""
    from demo.portal import build_site
    from demo.server import serve

    site = build_site(tmp_path / "build", profile="seed")
    logger = logging.getLogger("demo.server")
    capture, old_level = _Lines(), logger.level
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)
    try:
        with serve(site) as base:
            start = f"{base}zwgk/czyjs/index.html"
            first = crawl("sample", tmp_path / "store", start_url=start, timeout_s=60, settings=FAST)
            mark = len(capture.lines)
            second = crawl("sample", tmp_path / "store", start_url=start, timeout_s=60, settings=FAST)
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)

    def requests(lines, pattern):
        # http.server logs '"GET /path HTTP/1.1" 200 -'
        return sorted(m.groups() for m in (re.search(r'"GET (\S+' + pattern + r') HTTP/1\.[01]" (\d{3})', ln)
                                            for ln in lines) if m)

    for pattern in (r"\.pdf", r"/t\d{8}_\d+\.html"):  # attachments, detail pages
        before, after = requests(capture.lines[:mark], pattern), requests(capture.lines[mark:], pattern)
        assert before and {code for _, code in before} == {"200"}
        assert [p for p, _ in after] == [p for p, _ in before]
        assert {code for _, code in after} == {"304"}
    assert second.report["files"]["not_modified"] == len(second.items) == len(first.items)
    assert sorted(i["sha256"] for i in second.items) == sorted(i["sha256"] for i in first.items)
