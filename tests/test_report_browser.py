"""The report of the whole sample district (64 departments × 3 years, crawled by the nightly
flow once per session in tests/district_run.py), rendered by real headless Chromium.

Each page is loaded from disk (file://, as a reviewer opens it offline); `--dump-dom` gives
the DOM after the page's scripts ran, `--screenshot` a picture of it (kept in the tmp dir).
Expected figures come from the warehouse by independent queries, and from the seed filing
(硚口区城市运行管理中心 2026: income 564.25; C2 fails for 财政事务 and 其他抚恤支出).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import unquote, urlsplit

import duckdb
import pytest
from parsel import Selector

from flows.report import write_report

pytestmark = pytest.mark.e2e

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
DEPT = "硚口区城市运行管理中心"


@pytest.fixture(scope="module")
def site(tmp_path_factory, district_run):
    if CHROMIUM is None:
        pytest.skip("chromium 未安装（make test 会通过 apt-get 安装 Debian 的 chromium 包）")
    _, db = district_run
    out = tmp_path_factory.mktemp("report_site")
    write_report(db, out / "report")
    con = duckdb.connect(str(db), read_only=True)
    try:
        seed = con.execute("""SELECT region_code || '-' || department_code, filing_id FROM filings
                              WHERE department = ? AND fiscal_year = 2026 AND kind = '预算' AND unit_scope = '部门'""",
                           [DEPT]).fetchone()
        latest = con.execute("SELECT max(fiscal_year) FROM filings WHERE kind = '预算'").fetchone()[0]
        income = con.execute("""SELECT sum(income_total) FROM filing_totals t JOIN filings f USING (filing_id)
                                WHERE f.kind = '预算' AND f.unit_scope = '部门' AND f.fiscal_year = ?""",
                             [latest]).fetchone()[0]
        depts = con.execute("SELECT count(DISTINCT region_code || '-' || department_code) FROM filing_versions").fetchone()[0]
        # filings whose code was not recognised and whose name no coded filing prints: one marked row per name
        uncoded = con.execute("""SELECT count(DISTINCT coalesce(department, '')) FROM filing_versions f
                                 WHERE department_code IS NULL AND NOT EXISTS (
                                     SELECT 1 FROM filing_versions g WHERE g.department_code IS NOT NULL
                                     AND g.region_code = f.region_code AND g.department = f.department)""").fetchone()[0]
        seed_fails = con.execute("SELECT count(*) FROM findings WHERE filing_id = ? AND outcome = 'fail'",
                                 [seed[1]]).fetchone()[0]
        # the department's open failures, every year and kind (a code-less filing of its name included)
        dept_fails = con.execute("""SELECT count(*) FROM findings x JOIN filings f USING (filing_id)
                                    WHERE x.outcome = 'fail' AND x.status <> 'resolved' AND f.region_code = '420104'
                                      AND (f.department_code = ? OR f.department_code IS NULL AND f.department = ?)""",
                                 [seed[0].split("-")[1], DEPT]).fetchone()[0]
    finally:
        con.close()
    return {"db": db, "out": out / "report", "shots": tmp_path_factory.mktemp("screenshots"),
            "profile": tmp_path_factory.mktemp("chromium_profile"), "seed_key": seed[0], "latest": latest,
            "income": income, "departments": depts, "uncoded": uncoded, "dept_fails": dept_fails,
            "seed_fails": seed_fails}


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


def amount(v) -> str:
    return f"{v:,.2f}"


def test_overview_shows_district_totals_and_problem_departments(site):
    dom = browse(site, "index.html", shot="overview.png")
    assert text(dom.css("#district-income")) == amount(site["income"])
    years = [text(tr.css("td")[0]) for tr in dom.css("#district-table tr")[1:]]
    assert years[0] == str(site["latest"]) and len(years) >= 3
    depts = [[text(td) for td in tr.css("td")] for tr in dom.css("#departments-table tr")[1:]]
    assert site["departments"] >= 60
    assert len(depts) == site["departments"] + site["uncoded"]
    assert sum(1 for d in depts if d[1] == "未识别") == site["uncoded"]
    seed = next(d for d in depts if d[0] == DEPT)
    assert seed[3] == "564.25" and seed[4].split("（")[0] == str(site["dept_fails"]) and "C2" in seed[5].split()
    assert len(dom.css("svg.chart")) >= 4  # district, classes, spending, 三公
    assert len(dom.css("#sangong-table tr")) > 60
    assert len(list((site["out"] / "dept").glob("*.html"))) == len(depts)


def test_department_page_shows_tables_findings_and_years(site):
    dom = browse(site, f"dept/{site['seed_key']}.html", shot="department.png")
    assert text(dom.css("#dept-name")) == DEPT
    assert text(dom.css("#dept-fails")) == str(site["dept_fails"])  # every year and kind
    filings = [[text(td) for td in tr.css("td")] for tr in dom.css("#filings-table tr")[1:]]
    seed_row = next(f for f in filings if f[:3] == ["2026", "预算", "部门"])
    assert seed_row[7] == str(site["seed_fails"]) and site["seed_fails"] >= 2  # the seed's own: C2 ×2 at least
    yoy = {text(tr.css("td")[0]): [text(td) for td in tr.css("td")] for tr in dom.css("#yoy-table tr")[1:]}
    assert yoy["2026"][1].split()[0] == "564.25" and yoy["2026"][3].split()[0] == "454.75"
    assert len(yoy) >= 2 and all(y in yoy for y in ("2025", "2026"))
    messages = [text(m) for m in dom.css(".finding .message")]
    assert any("财政事务" in m for m in messages) and any("其他抚恤支出" in m for m in messages), messages
    # the extracted tables, pivoted back: T3's 合计 row reads 564.25 / 454.75 / 109.50
    t3 = next(d for d in dom.css("details") if "支出预算总表" in text(d.css("summary")))
    total = next(tr for tr in t3.css("tr") if [text(td) for td in tr.css("td")][:2] == ["", "合计"])
    assert [text(td) for td in total.css("td")][2:5] == ["564.25", "454.75", "109.50"]


def _page_text(pdf_path, page: int) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return re.sub(r"\s", "", pdf[page - 1].get_textpage().get_text_range())
    finally:
        pdf.close()


def test_findings_page_filters_and_clicks_through_to_the_pdf_page(site):
    everything = browse(site, "findings.html")
    total = len(everything.css("#findings .finding"))
    assert len(visible_findings(everything)) == total > 0

    dom = browse(site, "findings.html", f"?rule=C2&dept={site['seed_key']}", shot="findings_c2.png")
    shown = visible_findings(dom)
    assert 2 <= len(shown) < total and text(dom.css("#shown")) == str(len(shown))
    assert all(f.attrib["data-rule"] == "C2" and f.attrib["data-dept"] == site["seed_key"] for f in shown)
    for term in ("财政事务", "其他抚恤支出"):
        finding = next(f for f in shown if term in text(f.css(".message")))
        narrative = next(s for s in finding.css(".side") if "情况说明" in text(s))
        # Click through: the local copy opens at the narrative's page, and that page says the term.
        href = narrative.css("a.local-pdf-link::attr(href)").get()
        page = int(re.fullmatch(r".*#page=(\d+)", href).group(1))
        target = (site["out"] / unquote(urlsplit(href).path)).resolve()
        assert target.exists() and target.parent.parent.name == "raw"
        assert term in _page_text(target, page)
        online = narrative.css("a.pdf-link::attr(href)").get()
        assert online.startswith("http://127.0.0.1:") and online.endswith(f"#page={page}")
        table = next(s for s in finding.css(".side") if "表5-1" in text(s))
        t_href = table.css("a.local-pdf-link::attr(href)").get()
        t_page = int(t_href.rsplit("#page=", 1)[1])
        assert "其他优抚支出" in _page_text(target, t_page) or "政府办公厅" in _page_text(target, t_page)

    none = browse(site, "findings.html", f"?rule=C2&dept={site['seed_key']}&status=resolved")
    assert visible_findings(none) == [] and none.css("#none-shown").attrib.get("hidden") is None


def test_sources_page_lists_the_crawl_and_freshness(site):
    dom = browse(site, "sources.html", shot="sources.png")
    con = duckdb.connect(str(site["db"]), read_only=True)
    try:
        n_urls = con.execute("SELECT count(*) FROM doc_source").fetchone()[0]
        bad = con.execute("SELECT count(*) FROM documents WHERE outcome <> 'ok'").fetchone()[0]
        latest = con.execute("SELECT max(published_at) FROM filings").fetchone()[0]
    finally:
        con.close()
    rows = [[text(td) for td in tr.css("td")] for tr in dom.css("#sources-table tr")[1:]]
    assert len(rows) == n_urls > 60
    assert all(r[0].startswith("http://127.0.0.1:") for r in rows)
    assert sum(1 for r in rows if r[6] not in ("ok", "未处理")) >= bad > 0  # the district's failure cases
    assert str(latest) in text(dom.css("#freshness"))


def test_one_district_has_no_city_page(site):
    dom = browse(site, "index.html")
    assert dom.css("#city-link") == [] and not (site["out"] / "city.html").exists()


# --- the city: `budgetwatch demo --districts 4` end to end (issue 17) ---------------------

CITY4 = [("420102", "江岸区"), ("420103", "江汉区"), ("420104", "硚口区"), ("420105", "汉阳区")]


@pytest.fixture(scope="module")
def city4(tmp_path_factory, district_run):
    """The demo command with 4 districts, as a user runs it: its own portals, one nightly run.
    District 1's documents are the session's sample district run's: its extraction cache is
    shared (BUDGETWATCH_CACHE_DIR, keyed by content), so only districts 2-4 are parsed here."""
    if CHROMIUM is None:
        pytest.skip("chromium 未安装（make test 会通过 apt-get 安装 Debian 的 chromium 包）")
    import os
    import sys
    from pathlib import Path

    from flows.settings import Paths

    root = tmp_path_factory.mktemp("city4")
    db = root / "data" / "budget.duckdb"
    env = dict(os.environ, BUDGETWATCH_CACHE_DIR=str(Paths(db=district_run[1]).cache_dir))
    done = subprocess.run([sys.executable, "-m", "flows.cli", "demo", "--districts", "4", "--db", str(db)],
                          cwd=Path(__file__).resolve().parents[1], capture_output=True, timeout=3600, env=env)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        per_region = {r[0]: r[1:] for r in con.execute("""
            SELECT f.region_code, count(DISTINCT f.filing_id), count(x.rule_id) FILTER (WHERE x.outcome = 'fail'),
                   count(x.rule_id) FILTER (WHERE x.outcome = 'fail' AND x.status <> 'resolved'),
                   count(x.rule_id) FILTER (WHERE x.outcome = 'fail' AND x.status <> 'resolved' AND x.severity = 'high')
            FROM filings f LEFT JOIN findings x USING (filing_id) GROUP BY 1""").fetchall()}
    finally:
        con.close()
    report = db.parent / "report"
    return {"db": db, "out": report, "stdout": done.stdout.decode("utf-8"), "per_region": per_region,
            "shots": tmp_path_factory.mktemp("city_screenshots"), "profile": tmp_path_factory.mktemp("city_chromium")}


@pytest.mark.slow
def test_city_page_lists_the_four_districts_side_by_side(city4):
    assert set(city4["per_region"]) == {code for code, _ in CITY4}
    dom = browse(city4, "index.html")
    assert dom.css("#city-link::attr(href)").get() == "city.html"
    dom = browse(city4, "city.html", shot="city.png")
    rows = [[text(td) for td in tr.css("td")] for tr in dom.css("#city-table tr.city-district")]
    assert [(r[1], r[0]) for r in rows] == CITY4
    for r in rows:
        _, _, fails, high = city4["per_region"][r[1]]
        assert (r[2], int(r[8]), int(r[11])) == ("2026", high, fails)
        assert int(r[3]) >= 60 and float(r[5].replace(",", "")) > 0
    header = [text(th) for th in dom.css("#city-sangong-table tr")[0].css("th")]
    assert header[1:] == [f"{name}（2026）" for _, name in CITY4]
    assert len(dom.css("#city-sangong-table tr")) > 60


@pytest.mark.slow
def test_the_sample_district_is_unchanged_among_four(city4):
    """Comparisons stay within a district: 硚口's figures are today's demo's (264 filings, fail 79)."""
    assert city4["per_region"]["420104"][:2] == (264, 79)
