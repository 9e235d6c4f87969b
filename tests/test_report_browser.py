"""The report of the sample district, rendered by real headless Chromium.

Each page is loaded from disk (file://, as a reviewer opens it offline); `--dump-dom` gives
the DOM after the page's scripts ran, `--screenshot` a picture of it (kept in the tmp dir).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from parsel import Selector

from flows.report import write_report
from sample_warehouse import sample_db

pytestmark = pytest.mark.e2e

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
DEPT = "硚口区城市运行管理中心"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium 未安装（make test 会通过 apt-get 安装 Debian 的 chromium 包）")
    db = sample_db(tmp_path_factory)
    out = tmp_path_factory.mktemp("report_site")
    write_report(db, out / "report")
    return {"db": db, "out": out / "report", "shots": tmp_path_factory.mktemp("screenshots"),
            "profile": tmp_path_factory.mktemp("chromium_profile")}


def browse(site, page: str, query: str = "", shot: str | None = None) -> Selector:
    url = (site["out"] / page).as_uri() + query
    base = [CHROMIUM, *FLAGS, f"--user-data-dir={site['profile']}"]
    if shot:
        png = site["shots"] / shot
        subprocess.run([*base, f"--screenshot={png}", "--window-size=1280,2000", url],
                       capture_output=True, timeout=120, check=True)
        assert png.stat().st_size > 10_000, "screenshot is blank"
    done = subprocess.run([*base, "--dump-dom", url], capture_output=True, timeout=120, check=True)
    dom = done.stdout.decode("utf-8")
    assert "<body" in dom, done.stderr.decode("utf-8", "replace")[-2000:]
    return Selector(text=dom)


def text(sel) -> str:
    return re.sub(r"\s+", " ", " ".join(sel.css("::text").getall())).strip()


def visible_findings(dom: Selector):
    return [f for f in dom.css("#findings .finding") if f.attrib.get("hidden") is None]


def test_overview_shows_district_totals_and_problem_departments(site):
    dom = browse(site, "index.html", shot="overview.png")
    assert text(dom.css("#district-income")) == "564.25"
    rows = [[text(td) for td in tr.css("td")] for tr in dom.css("#district-table tr")[1:]]
    assert rows == [["2026", "1", "564.25", "564.25", "454.75", "109.50", "0.20", "0.00"]]
    classes = {r[0]: r[2] for r in ([text(td) for td in tr.css("td")] for tr in dom.css("#classes-table tr")[1:])}
    assert classes == {"201": "405.75", "208": "78.76", "210": "40.40", "221": "39.33"}
    dept = [[text(td) for td in tr.css("td")] for tr in dom.css("#departments-table tr")[1:]]
    assert dept[0][0] == DEPT and dept[0][3] == "564.25" and dept[0][4].startswith("2") and dept[0][5] == "C2"
    assert len(dom.css("svg.chart")) >= 3  # district, classes, spending (三公 too)


def test_department_page_shows_tables_findings_and_years(site):
    dom = browse(site, "dept/420104-118.html", shot="department.png")
    assert text(dom.css("#dept-name")) == DEPT
    assert text(dom.css("#dept-fails")) == "2"
    yoy = [text(td) for td in dom.css("#yoy-table tr")[1].css("td")]
    assert yoy == ["2026", "564.25", "564.25", "454.75", "109.50", "431.96", "22.79", "0.20"]
    messages = [text(m) for m in dom.css(".finding .message")]
    c2 = [m for m in messages if "财政事务" in m or "其他抚恤支出" in m]
    assert len(c2) == 2, messages
    # the extracted tables, pivoted back: T3's 合计 row reads 564.25 / 454.75 / 109.50
    t3 = next(d for d in dom.css("details") if "支出预算总表" in text(d.css("summary")))
    total = next(tr for tr in t3.css("tr") if [text(td) for td in tr.css("td")][:2] == ["", "合计"])
    assert [text(td) for td in total.css("td")][2:] == ["564.25", "454.75", "109.50"]


def test_findings_page_filters_and_clicks_through_to_the_pdf_page(site):
    everything = browse(site, "findings.html")
    assert len(visible_findings(everything)) == len(everything.css("#findings .finding")) > 0

    dom = browse(site, "findings.html", "?rule=C2&status=new", shot="findings_c2.png")
    shown = visible_findings(dom)
    assert text(dom.css("#shown")) == "2" and len(shown) == 2
    assert all(f.attrib["data-rule"] == "C2" for f in shown)
    finding = next(f for f in shown if "财政事务" in text(f.css(".message")))
    narrative = next(s for s in finding.css(".side") if "情况说明" in text(s))

    # Click through: the local copy opens at the narrative's page, and that page says 财政事务.
    href = narrative.css("a.local-pdf-link::attr(href)").get()
    assert href.endswith("#page=26")
    target = (site["out"] / unquote(urlsplit(href).path)).resolve()
    assert target.exists() and target.parent.parent.name == "raw"
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(target))
    page_text = re.sub(r"\s", "", pdf[25].get_textpage().get_text_range())
    pdf.close()
    assert "财政事务" in page_text
    online = narrative.css("a.pdf-link::attr(href)").get()
    assert online.startswith("http://127.0.0.1:") and online.endswith(".pdf#page=26")
    table_side = [s for s in finding.css(".side") if "表5-1" in text(s)]
    assert table_side and table_side[0].css("a.local-pdf-link::attr(href)").get().endswith("#page=9")

    none = browse(site, "findings.html", "?rule=C2&status=resolved")
    assert visible_findings(none) == [] and none.css("#none-shown").attrib.get("hidden") is None


def test_sources_page_lists_the_crawl_and_freshness(site):
    dom = browse(site, "sources.html", shot="sources.png")
    rows = dom.css("#sources-table tr")[1:]
    assert len(rows) == 1
    cells = [text(td) for td in rows[0].css("td")]
    assert cells[0].startswith("http://127.0.0.1:") and cells[0].endswith(".pdf 本地副本 详情页")
    assert cells[3] == "2026-01-26 (detail_page)" and cells[6] == "ok" and cells[7] == "29"
    assert "2026-01-26" in text(dom.css("#freshness"))
