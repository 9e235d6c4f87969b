"""The rendered seed PDF reads back, through pdfplumber, as exactly the seed's data."""
import hashlib
import os
import re
import shutil
import subprocess
import sys

import pdfplumber
import pytest

from demo.render_pdf import FontMissingError, build_seed_pdf, register_font
from demo.seed_filing import load_seed

SEED = load_seed()

# 1-based page of each table instance's caption (cover 1, 目录 2, part 1 on 3, part 2 title on 4)
TABLE_PAGES = {
    "T1": 5, "T2": 6, "T3": 7, "T4": 8, "T5-1": 9, "T5-2": 10, "T6": 11, "T7": 12,
    "T8": 13, "T9": 14, "T10": 15, "T11": 16, "T12": 20,
}
PROJECT_FORM_PAGES = [20, 23]
PART3_PAGE = 26


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory):
    return build_seed_pdf(tmp_path_factory.mktemp("pdf") / "seed.pdf")


@pytest.fixture(scope="module")
def pages(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        out = [p.extract_text() for p in pdf.pages]
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
    return out, fonts


@pytest.fixture(scope="module")
def page_tables(pdf_path):
    """pdfplumber's tables of every table page, read once: {page: [table, ...]}."""
    with pdfplumber.open(pdf_path) as pdf:
        return {n: pdf.pages[n - 1].extract_tables() for n in range(TABLE_PAGES["T1"], PART3_PAGE)}


def test_page_count(pages):
    texts, _ = pages
    assert len(texts) == 29
    assert texts[PART3_PAGE - 1].startswith("第三部分 硚口区城市运行管理中心 2026 年部门预算情况说明")


@pytest.mark.parametrize("tid", list(TABLE_PAGES))
def test_each_table_starts_on_its_page(pages, tid):
    texts, _ = pages
    caption = SEED["tables"][tid]["caption"]
    assert [i + 1 for i, t in enumerate(texts) if t.startswith(caption)] == [TABLE_PAGES[tid]]


def test_project_forms_each_start_a_page(pages):
    texts, _ = pages
    assert [i + 1 for i, t in enumerate(texts) if "项目申报表\n项目名称" in t] == PROJECT_FORM_PAGES


def test_font_is_embedded_truetype(pdf_path, pages):
    data = pdf_path.read_bytes()
    assert b"/FontFile2" in data
    assert b"/Helvetica" not in data  # no unembedded base-14 font anywhere
    _, fonts = pages
    assert {re.sub(r"^[A-Z]{6}\+", "", f) for f in fonts} == {"WenQuanYiZenHei-0"}


@pytest.mark.parametrize("tid", ["T1", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T7", "T8", "T9", "T10"])
def test_table_grid_reads_back_exactly(page_tables, tid):
    """pdfplumber's lattice reading of the page equals the seed rows cell for cell
    (merged cells read as None -> '')."""
    tables = page_tables[TABLE_PAGES[tid]]
    assert len(tables) == 1
    got = [[(c or "").replace("\n", "") for c in row] for row in tables[0]]
    assert got == SEED["tables"][tid]["blocks"][0]["rows"]


def test_key_strings_on_their_pages(pages):
    texts, _ = pages
    assert "564.25" in texts[TABLE_PAGES["T1"] - 1]
    t3 = texts[TABLE_PAGES["T3"] - 1]
    assert "2010350 事业运行 296.25 296.25" in t3
    assert "2080899 其他优抚支出 43.2 43.2" in t3
    assert "1027000" in texts[PROJECT_FORM_PAGES[1] - 1]
    assert "42010426118T000000100" in texts[TABLE_PAGES["T10"] - 1]


def test_name_oddities_on_their_pages(pages):
    texts, _ = pages
    t6 = texts[TABLE_PAGES["T6"] - 1]
    assert "部门/单位： 硌口区城市运行管理中心" in t6
    assert "硚口区" not in t6
    narrative = "".join(texts[PART3_PAGE - 1 :])
    assert narrative.count("硃口区城市运行管理中心 2026 年没有使用") == 2


def test_statements_of_empty_tables(pages):
    texts, _ = pages
    assert "本单位 2026 年无政府性基金预算" in texts[TABLE_PAGES["T8"] - 1]
    assert "本单位 2026 年无国有资本经营预算" in texts[TABLE_PAGES["T9"] - 1]


def test_narrative_paragraphs_read_back_as_continuous_text(pages):
    """Lines break only where no amount or space is cut: joining the lines of the
    narrative pages gives back every paragraph verbatim."""
    texts, _ = pages
    body = lambda ts: "".join(re.sub(r"\n- \d+ -$", "", t) for t in ts).replace("\n", "")  # noqa: E731
    part3 = body(texts[PART3_PAGE - 1 :])
    assert [it["text"] for it in SEED["part3"] + SEED["part4"] if it["text"] not in part3] == []
    part1 = body(texts[2:3])
    assert [it["text"] for it in SEED["part1"] if it["text"] not in part1] == []


def test_no_amount_split_across_lines(pages):
    texts, _ = pages
    for t in texts[PART3_PAGE - 1 :]:
        for a, b in zip(t.split("\n"), t.split("\n")[1:]):
            assert not (re.search(r"\d[.\d]*$", a) and re.match(r"^[.\d%]|^万元|^元", b)), (a, b)
            assert not (a.endswith("万") and b.startswith("元")), (a, b)


def test_output_is_deterministic(pdf_path, tmp_path):
    """Same bytes in this process and in a fresh one with another hash seed."""
    again = build_seed_pdf(tmp_path / "again.pdf")
    other = tmp_path / "other.pdf"
    code = f"from demo.render_pdf import build_seed_pdf; build_seed_pdf(__import__('pathlib').Path({str(other)!r}))"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (pdf_path, again, other)}
    assert len(digests) == 1


def test_missing_font_is_a_clear_error(tmp_path):
    with pytest.raises(FontMissingError, match="make demo"):
        register_font(tmp_path / "no-such-font.ttc")


def test_form_cells_read_back_whole(page_tables):
    """T11 and the two 项目申报表: every printed cell string comes back as one cell
    (wrapped lines joined), including long cells with amounts inside."""
    from demo.seed_filing import table_blocks

    cells = {
        c.replace("\n", "")
        for n in range(TABLE_PAGES["T11"], PART3_PAGE)
        for t in page_tables[n]
        for row in t
        for c in row
        if c
    }
    expected = [c for tid in ("T11", "T12") for b in table_blocks(SEED["tables"][tid]) for r in b["rows"] for c in r if c]
    assert len(expected) > 500
    assert [c for c in expected if c.replace("\n", "") not in cells] == []
    assert "资金主要投向：上述工作预计培训费 1.0 万，办公费 0.5 万，差旅费 1.1 万，办公室购置 0.25 万，其他商品和服务 3.95 万，合计 6.8 万。" in "".join(cells)


def test_metadata_carries_a_realistic_creation_date(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        meta = pdf.metadata
    assert meta["CreationDate"] == "D:20260122093000+08'00'"
    assert meta["Title"] == "硚口区城市运行管理中心2026年部门预算"
    assert meta["Author"] == "硚口区城市运行管理中心"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_poppler_reads_the_text_layer_too(pdf_path):
    """A second, independent reader (poppler) gets the same Unicode text."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True).stdout
    text = out.decode("utf-8")
    for s in ("564.25", "2010350", "其他优抚支出", "硌口区城市运行管理中心", "硃口区城市运行管理中心", "1027000"):
        assert s in text, s
