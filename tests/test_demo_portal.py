"""The sample portal follows the HTML contract the Scrapy profile is written against."""
import hashlib
from dataclasses import replace
import json
import urllib.error
import urllib.request

import pytest
from parsel import Selector

from demo.portal import GENERATOR_VERSION, Attachment, PortalFiling, build_site, site_key
from demo.server import serve

DETAIL = "zwgk/czyjs/202601/t20260126_1000001.html"
PDF = "zwgk/czyjs/202601/P020260126381234567890.pdf"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Fake attachments must not meet the machine-wide attachment cache (nor leave entries in it)."""
    monkeypatch.setenv("BUDGETWATCH_DEMO_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("build"), profile="seed")


def read(site, path):
    return Selector(text=(site / path).read_text(encoding="utf-8"))


def fake_filings(n, writes=None):
    """n small filings with a one-line attachment each; counts attachment writes."""

    def writer(i):
        def write(path):
            if writes is not None:
                writes.append(i)
            path.write_bytes(f"%PDF-1.4 filing {i}\n".encode())
        return write

    return [
        PortalFiling(
            department=f"测试部门{i:02d}", department_code=f"{200 + i}", fiscal_year=2026, kind="预算",
            unit_scope="部门", title=f"测试部门{i:02d}2026年部门预算公开",
            published_at=f"2026-02-{1 + i % 28:02d}", doc_id=2000000 + i,
            attachments=(Attachment(f"P0202602{i:02d}000000000001.pdf", f"测试部门{i:02d}2026年部门预算.pdf",
                                    source_key=f"fake-{i}", write=writer(i)),),
        )
        for i in range(n)
    ]


def test_site_folder_is_keyed(seed_site):
    assert seed_site.name.startswith("site-") and len(seed_site.name) == len("site-") + 16
    manifest = json.loads((seed_site / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["generator_version"], manifest["key"]) == (GENERATOR_VERSION, seed_site.name)


def test_robots(seed_site):
    assert (seed_site / "robots.txt").read_text() == "User-agent: *\nDisallow: /admin/\nCrawl-delay: 0\n"


def test_home_links_the_column(seed_site):
    html = (seed_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="/zwgk/czyjs/index.html">财政预决算</a>' in html
    sel = Selector(text=html)
    assert "财政预决算" in sel.css('div.nav a[href="/zwgk/czyjs/index.html"]::text').getall()
    assert sel.css("h1::text").get() == "硚口区人民政府"


def test_listing_entry(seed_site):
    sel = read(seed_site, "zwgk/czyjs/index.html")
    items = sel.css("ul.list > li")
    assert len(items) == 1
    assert items[0].css("a::attr(href)").get() == "./202601/t20260126_1000001.html"
    assert items[0].css("a::attr(title)").get() == "硚口区城市运行管理中心2026年部门预算公开"
    assert items[0].css("span.date::text").get() == "2026-01-26"
    assert sel.css("div.page a.next").getall() == []


def test_detail_page(seed_site):
    sel = read(seed_site, DETAIL)
    assert sel.css("h1.title::text").get() == "硚口区城市运行管理中心2026年部门预算公开"
    assert sel.css("div.info span.pubdate::text").get() == "发布日期：2026-01-26"
    assert sel.css("div.info span.source::text").get() == "信息来源：硚口区城市运行管理中心"
    assert sel.css("div.article p::text").get().startswith("根据《中华人民共和国预算法》")
    links = sel.css("div.attachments a")
    assert [(a.attrib["href"], a.css("::text").get()) for a in links] == [
        ("./P020260126381234567890.pdf", "硚口区城市运行管理中心2026年部门预算.pdf")
    ]


def test_manifest_matches_files(seed_site):
    manifest = json.loads((seed_site / "manifest.json").read_text(encoding="utf-8"))
    [f] = manifest["filings"]
    assert {k: f[k] for k in ("department", "department_code", "region_code", "fiscal_year", "kind",
                              "unit_scope", "published_at", "detail_path", "attachment_path")} == {
        "department": "硚口区城市运行管理中心", "department_code": "118", "region_code": "420104",
        "fiscal_year": 2026, "kind": "预算", "unit_scope": "部门", "published_at": "2026-01-26",
        "detail_path": "/" + DETAIL, "attachment_path": "/" + PDF,
    }
    assert f["sha256"] == hashlib.sha256((seed_site / PDF).read_bytes()).hexdigest()
    assert f["attachments"][0]["pages"] == 29
    assert (seed_site / PDF).read_bytes()[:5] == b"%PDF-"


def test_pager_over_three_pages(tmp_path):
    site = build_site(tmp_path, fake_filings(45))
    col = site / "zwgk/czyjs"
    pages = [read(site, f"zwgk/czyjs/{n}") for n in ("index.html", "index_1.html", "index_2.html")]
    assert [len(p.css("ul.list > li")) for p in pages] == [20, 20, 5]
    assert [p.css("div.page a.next::attr(href)").get() for p in pages] == ["index_1.html", "index_2.html", None]
    assert not (col / "index_3.html").exists()
    # newest first
    dates = [d for p in pages for d in p.css("span.date::text").getall()]
    assert dates == sorted(dates, reverse=True)
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["filings"]) == 45
    for f in manifest["filings"]:
        assert hashlib.sha256((site / f["attachment_path"].lstrip("/")).read_bytes()).hexdigest() == f["sha256"]
        assert (site / f["detail_path"].lstrip("/")).exists()
        assert f["attachments"][0]["pages"] is None  # not a parseable PDF


def test_build_is_reused_and_keyed_on_inputs(tmp_path):
    writes = []
    filings = fake_filings(3, writes)
    first = build_site(tmp_path, filings)
    second = build_site(tmp_path, filings)
    assert first == second and sorted(writes) == [0, 1, 2]  # the second call wrote nothing
    changed = fake_filings(3)[:2]
    assert site_key(changed) != site_key(filings)
    assert build_site(tmp_path, changed) != first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, build_site(tmp_path, changed).name])


def test_failed_build_leaves_nothing_to_reuse(tmp_path):
    def broken(path):
        raise RuntimeError("renderer failed")

    bad = [PortalFiling("部门", "999", 2026, "预算", "部门", "部门2026年部门预算公开", "2026-01-26", 1,
                        (Attachment("P0.pdf", "a.pdf", "k", broken),))]
    with pytest.raises(RuntimeError):
        build_site(tmp_path, bad)
    assert list(tmp_path.iterdir()) == []


def test_duplicate_paths_rejected(tmp_path):
    f = fake_filings(1)[0]
    with pytest.raises(ValueError, match="same path"):
        build_site(tmp_path, [f, f])


def test_server_serves_the_site(seed_site):
    with serve(seed_site) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        got = {}
        for path in ("robots.txt", "index.html", "zwgk/czyjs/index.html", DETAIL, PDF):
            with urllib.request.urlopen(base + path, timeout=5) as r:
                got[path] = (r.status, r.headers["Content-Type"], r.read())
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "zwgk/czyjs/index_1.html", timeout=5)
        assert e.value.code == 404
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "zwgk/czyjs/202601/", timeout=5)
        assert e.value.code == 404  # no directory listings
    assert got[DETAIL][:2] == (200, "text/html; charset=utf-8")
    assert "发布日期：2026-01-26" in got[DETAIL][2].decode("utf-8")
    assert got[PDF][:2] == (200, "application/pdf")
    assert got[PDF][2] == (seed_site / PDF).read_bytes()
    assert got["robots.txt"][1] == "text/plain; charset=utf-8"


def test_server_stops_on_exit(seed_site):
    with serve(seed_site) as base:
        pass
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "index.html", timeout=2)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10"])
def test_server_binds_loopback_only(seed_site, host):
    with pytest.raises(ValueError, match="loopback"):
        with serve(seed_site, host=host):
            pass


def test_server_refuses_an_unbuilt_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        with serve(tmp_path):
            pass


def test_attachments_are_cached_by_content_key_across_build_roots(tmp_path):
    writes = []
    build_site(tmp_path / "a", fake_filings(2, writes))
    build_site(tmp_path / "b", fake_filings(2, writes))  # same keys: copied from the cache
    assert sorted(writes) == [0, 1]


def test_year_sub_columns_list_their_year_and_are_linked_from_the_column(tmp_path):
    filings = fake_filings(25)
    filings = [f if i % 2 else replace(f, fiscal_year=2025) for i, f in enumerate(filings)]
    site = build_site(tmp_path, filings)
    top = read(site, "zwgk/czyjs/index.html")
    assert top.css("div.subcol a::attr(href)").getall() == [
        "/zwgk/czyjs/index.html", "/zwgk/czyjs/2026/index.html", "/zwgk/czyjs/2025/index.html"]
    y25 = read(site, "zwgk/czyjs/2025/index.html")
    titles = y25.css("ul.list > li a::attr(title)").getall()
    assert len(titles) == 13 and all("2026年部门预算" in t for t in titles)  # titles keep their text
    for href in y25.css("ul.list > li a::attr(href)").getall():
        assert (site / "zwgk/czyjs/2025" / href).resolve().is_file()


def _get(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_server_answers_conditional_requests_with_304(seed_site):
    with serve(seed_site) as base:
        status, headers, body = _get(base + PDF)
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert status == 200 and etag.startswith('"') and modified.endswith("GMT")
        assert body == (seed_site / PDF).read_bytes()
        assert _get(base + PDF, **{"If-None-Match": etag})[:1] == (304,)
        assert _get(base + PDF, **{"If-None-Match": f'"other", {etag}'})[0] == 304
        assert _get(base + PDF, **{"If-Modified-Since": modified})[0] == 304
        assert _get(base + PDF, **{"If-Modified-Since": "Thu, 01 Jan 2004 00:00:00 GMT"})[0] == 200
        # If-None-Match decides when both are sent (RFC 9110)
        assert _get(base + PDF, **{"If-None-Match": '"stale"', "If-Modified-Since": modified})[0] == 200
        s304, h304, b304 = _get(base + PDF, **{"If-None-Match": etag})
        assert b304 == b"" and h304["ETag"] == etag
        # another file has another tag; the tag follows the content
        assert _get(base + DETAIL)[1]["ETag"] not in (None, etag)


def test_a_site_is_served_on_the_same_port_each_time(seed_site, tmp_path):
    from demo.server import STABLE_PORTS, stable_port

    port = stable_port(seed_site)
    assert port in STABLE_PORTS
    assert port == stable_port(seed_site / "." ) and port != stable_port(tmp_path)
    with serve(seed_site) as first:
        pass
    with serve(seed_site) as second:
        # busy (the first is still served): another port, so two runs can serve one site
        with serve(seed_site) as third:
            assert third != second
    assert first == second == f"http://127.0.0.1:{port}/"


def test_port_zero_still_means_a_random_port(seed_site):
    from demo.server import stable_port

    with serve(seed_site, port=0) as base:
        assert base != f"http://127.0.0.1:{stable_port(seed_site)}/"
