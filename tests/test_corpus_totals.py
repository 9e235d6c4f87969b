"""filing_totals on real corpus files: the five key totals (income, expenditure, 基本支出,
项目支出, 三公) as the warehouse gives them, each file pinned to its sha256."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.corpus import corpus_extraction
from warehouse.db import connect
from warehouse.load import load_extraction

pytestmark = pytest.mark.corpus

FIELDS = ("income_total", "expenditure_total", "basic_expenditure", "project_expenditure", "sangong_total")


def load(*files: tuple[str, str]):
    """Extract and load the files in the given order; returns (connection, filing_id per file)."""
    con = connect(":memory:")
    fids = []
    for rel, sha in files:
        x = corpus_extraction(rel, sha)
        fids.append(load_extraction(con, x, {"source_url": "file://" + rel}))
    # a narrative loaded first is merged into its tables' filing afterwards: the filing that holds it now
    held = {rel: con.execute("SELECT filing_id FROM filing_doc WHERE sha256 = ?", [sha]).fetchone()[0]
            for rel, sha in files}
    return con, held


def totals(con, fid: str) -> dict:
    row = con.execute(f"SELECT {', '.join(FIELDS)} FROM filing_totals WHERE filing_id = ?", [fid]).fetchone()
    return dict(zip(FIELDS, row))


def D(*values: str) -> dict:
    return dict(zip(FIELDS, (None if v is None else Decimal(v) for v in values)))


# ----------------------------------------------------------------- 江苏: a filing in two PDFs

JS_SWB_2019_TEXT = ("jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开文件.pdf",
                    "818fcfd65d478ff357606042021838a6508e185fa045ad1e13d8b0904112e704")
JS_SWB_2019_TABLES = ("jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf",
                      "1ac93479a5f55ffe7667ee02e557e7150e3b651f1b31f555b37d4e66cd32a80b")


@pytest.mark.parametrize("order", ["narrative first", "tables first"])
def test_jiangsu_narrative_half_joins_its_codeless_tables_file(order):
    # Neither PDF prints a department code; they pair on 中共江苏省委办公厅 / 320000 / 2019 /
    # 预算 / 部门, and both files count under the tables' filing.
    files = [JS_SWB_2019_TEXT, JS_SWB_2019_TABLES]
    con, held = load(*(files if order == "narrative first" else files[::-1]))
    fid_text, fid_tables = held[JS_SWB_2019_TEXT[0]], held[JS_SWB_2019_TABLES[0]]
    assert fid_text == fid_tables and fid_tables.endswith("-1ac93479")
    assert con.execute("SELECT count(*) FROM filing").fetchone()[0] == 1
    assert dict(con.execute("SELECT role, count(*) FROM filing_doc GROUP BY 1").fetchall()) == {
        "tables": 1, "narrative": 1}
    # 收支预算总表 p1: 收入合计 / 支出合计 27,664.22; 基本支出 11,700.63; 项目支出 13,025.38;
    # "三公"经费 小计 p9: 508.20 (the table's 合计 1,471.70 adds 会议费 and 培训费)
    assert totals(con, fid_tables) == D("27664.22", "27664.22", "11700.63", "13025.38", "508.2")



def test_jiangsu_narrative_with_a_picture_cover_pairs_after_cover_ocr():
    # The 说明's cover title is five images of glyphs and the text calls the department only
    # 省政协: the department comes from the OCR'd cover, and the file joins its 公开表.
    text = ("jiangsu/江苏省政协办公厅/江苏省政协办公厅2019年度部门预算.pdf",
            "4588cbbcbd3fc885a0b4c5cac3b2a30fcbf8c94ff239508c50b0782e26e5347b")
    tables = ("jiangsu/江苏省政协办公厅/江苏省政协办公厅2019年预算公开表.pdf",
              "a7aeca568d65a104f2da28391b19cd5604afd312600bf453284301fdf5c8d840")
    x = corpus_extraction(*text)
    assert (x.meta.department, x.meta.region_code, x.meta.fiscal_year) == ("江苏省政协办公厅", "320000", 2019)
    con, held = load(text, tables)
    assert held[text[0]] == held[tables[0]]
    assert totals(con, held[text[0]]) == D("13377.11", "13377.11", "6522.75", "4968.34", "660.1")


def test_jiangsu_2017_summary_table_totals_on_a_narrower_last_page():
    # 收支预算总表 runs over pages 7–9; page 9 holds 收入合计 / 支出合计 13,649.07 in a 4-column
    # table under the 6-column one of pages 7–8. Its 三公 table (p20) is titled over two lines,
    # "“三公”经费、会议费、培训费支出预算" / "表": 三公 小计 833.60 of 合计 2,542.60.
    rel = ("jiangsu/江苏省人大办公厅/江苏省人大办公厅2017年度预算公开.pdf",
           "520fa5c58e1f8aa41a801835525ad885d6169d4c851309498e2e008792dc3206")
    con, held = load(rel)
    assert totals(con, held[rel[0]]) == D("13649.07", "13649.07", "7666.68", "5853.96", "833.6")
    row = con.execute("SELECT page, printed_value FROM fact WHERE table_kind = 'T1' AND row_code = 'income_total'").fetchall()
    assert row == [(9, "13,649.07")]
    # 当年支出小计 (p8) is this year's; 支出合计 (p9) the grand total, not a second 本年 row
    rows = con.execute("SELECT row_code, page FROM fact WHERE table_kind = 'T1' AND row_code LIKE 'expenditure_%' "
                       "ORDER BY page").fetchall()
    assert rows == [("expenditure_current", 8), ("expenditure_total", 9)]


# ----------------------------------------------------------------- 上海 / 普陀: 三公 and the rest

SH = "cities/001_上海/2026年上海市{}_部门预算.pdf"
SASAC_SHA = "2f80c7f2468b0e53f87cfa319af2c2bf61fd266473109aa14b7d0a038154ead2"
JCY_2017_SHA = "cc051e34039b407b82a785aabddc0e2b650297e56012a2388168e212ec13aca0"
JCY_2017_COPY_SHA = "956e155770fa39c0a97c8a1e85817992af36b976bd95efc13710257c5d81d043"
ZX_2017_TABLES_SHA = "42d4fd889f7a012fe7e40cda74d0c5fe6c9ef22db64c2c81da0182b32ee7e9c8"
ZX_2017_TEXT_SHA = "cd9ac66d664e7af320776c7e8f2ec4cf98f2cfed912d0a512ad111a7fd08d110"


@pytest.mark.parametrize("name, sha, expected, sangong_page, sangong_text", [
    # a unit with only 项目支出: T3's 合计 row prints 合计 = 项目支出 and leaves 基本支出 blank;
    # its 三公 table is a row of blank cells, the 说明 (p16) states 0.00
    ("发展和改革局", "25e800a6e6b586034d3b6e3c9186e69df42234d2068479c5af41e9562b022526",
     D("11885.3953", "11885.3953", "0", "11885.3953", "0"), 16, "2026年“三公”经费预算数为0.00万元"),
    ("政府办公厅", "919df7f7209c7ef1aacf3179d77949877b7ffd8379d87077d4c1a07213cb8108",
     D("120", "120", "0", "120", "0"), 16, "2026年“三公”经费预算数为0,与2025年预算持平"),
    ("工业和信息化局", "962f19b89f160c1453c2763c00d5a82195027f209bdcbd109251b7e0c72a8d7d",
     D("86.6296", "86.6296", "80.023", "6.6066", "0"), 16, "2026年“三公”经费预算数为0.00万元"),
    # T1 leaves 收入总计 blank; 收入预算总表's 合计 row prints 195,774,300 元
    ("审计局", "445dce43a214460feb2237e834ebc64e16fb3e4f0036227197dea2d0c4993d3d",
     D("19577.43", "19577.43", "17507.13", "2070.3", "237.92"), None, None),
])
def test_shanghai_totals_printed_outside_t1_t3_t7(name, sha, expected, sangong_page, sangong_text):
    rel = SH.format(name)
    con, held = load((rel, sha))
    assert totals(con, held[rel]) == expected
    if sangong_page:
        page, text = con.execute("SELECT page, text FROM claim WHERE kind = 'amount' AND subject = 'sangong:total'").fetchone()
        assert page == sangong_page and sangong_text.replace("“", "").replace("”", "") in text.replace("“", "").replace("”", "")


def test_shanghai_sasac_unit_states_sangong_as_bare_zero():
    rel, sha = (SH.format("国有资产监督管理委员会"), SASAC_SHA)
    con, held = load((rel, sha))
    assert totals(con, held[rel]) == D("833.2285", "833.2285", "442.2383", "390.9902", "0")


def test_putuo_wanli_2024_sangong_table_with_a_year_in_its_group_header():
    # "2024年“三公”经费预算数" over 合计 / 因公出国(境)费 / …; the table's leftover note says it is
    # empty, but it prints 47.91 0 1.35 46.56 25 21.56 443.18
    rel = ("putuo/上海市普陀区人民政府万里街道办事处24年预算.pdf",
           "9cf8afd0f960aea9377ec2d80d8573bb96747e42f0c64046a81f63a2e4af7ce8")
    con, held = load(rel)
    assert totals(con, held[rel[0]]) == D("15621.1123", "15621.1123", "9970.602", "5650.5103", "47.91")
    got = dict(con.execute("SELECT column_label, printed_value FROM fact WHERE table_kind = 'T7' AND row_code = 'total'").fetchall())
    assert got == {"合计": "47.91", "因公出国（境）费": "0", "公务接待费": "1.35", "公务用车购置及运行费/小计": "46.56",
                   "公务用车购置及运行费/公务用车购置费": "25", "公务用车购置及运行费/公务用车运行费": "21.56",
                   "机关运行经费": "443.18"}


@pytest.mark.parametrize("rel, sha, expected, page, quote", [
    # 决算数 columns of the 三公 table are blank (年初预算 0.95 printed); the 说明 states 支出决算为0.00万元
    ("putuo/上海市普陀区财政局2024年度部门决算.pdf",
     "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5",
     D("2995.39", "2995.39", "2336.91", "603.14", "0"), 23, "支出决算为0.00万元"),
    # the 三公 table is printed empty ("本年度没有财政拨款“三公”经费支出，故本表无数据")
    ("putuo/中共上海市普陀区委社会工作部 2024 年度部门决算.pdf",
     "44874c062a89c26ea6d94e4e6e7dccdaa136642c2c9bbb560ed21b33039b0597",
     D("307.82", "307.82", "105.58", "202.24", "0"), 20, "2024年度无“三公”经费财政拨款支出"),
])
def test_putuo_final_sangong_stated_in_the_narrative(rel, sha, expected, page, quote):
    con, held = load((rel, sha))
    assert totals(con, held[rel]) == expected
    got = con.execute("SELECT page, text FROM claim WHERE kind = 'amount' AND subject = 'sangong:total'").fetchall()
    assert len(got) == 1 and got[0][0] == page and quote.replace(" ", "") in got[0][1].replace(" ", "")


def test_shanghai_tables_drawn_as_one_path_each_are_read():
    # Saved as 民政局 but the 2026 budget of 上海市福利彩票发行中心: every table's grid is drawn as
    # one or two path objects of many sub-paths (page 7: 40 and 85 segments), which the
    # pre-screen counted as two paths, so no page was read as a table.
    rel = (SH.format("民政局"), "f5c3bca400c73a17f937ecf533feffe9c3ac6de0fbcb98fa52aa65cdb046cf9a")
    x = corpus_extraction(*rel)
    assert [t.table_kind for t in x.tables][:5] == ["T1", "T2", "T3", "T4", "T5-1"]
    con, held = load(rel)
    # 收入总计 216,801,570 元; 基本支出 17,499,901 + 3,362,962 元 (人员 + 公用, T3 20,862,863);
    # 项目支出 195,938,707 元; 三公 "预算数为0.00万元" (p16)
    assert totals(con, held[rel[0]]) == D("21680.157", "21680.157", "2086.2863", "19593.8707", "0")


@pytest.mark.parametrize("rel, sha, expected, t7_page", [
    # "十一、一般公共预算 三公 经费、会议费、培训费支出预" / "“ ”" / "算表", under the end of 表十 on p16
    ("jiangsu/江苏省人民检察院/2017年省检察院部门预算.pdf", JCY_2017_SHA,
     D("17996.68", "17996.68", "12323.48", "5533", "584.35"), 16),
    ("jiangsu/江苏省人民检察院/2017年省检察院部门预算__701c1ad.pdf", JCY_2017_COPY_SHA,
     D("17996.68", "17996.68", "12323.48", "5533", "584.35"), 16),
    # "“三公”经费、会议费、培训费支出预算表（一般公共预算）"
    ("jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf", ZX_2017_TABLES_SHA,
     D("9146.79", "9146.79", "5916.27", "3123.68", "676.1"), 11),
])
def test_jiangsu_2017_sangong_titles(rel, sha, expected, t7_page):
    con, held = load((rel, sha))
    assert totals(con, held[rel]) == expected
    assert con.execute("SELECT page FROM fact WHERE table_kind = 'T7' AND row_code = 'total' AND column_label = '合计'"
                       ).fetchall() == [(t7_page,)]


def test_jiangsu_2017_zhengxie_narrative_counts_under_its_tables():
    text = ("jiangsu/江苏省政协办公厅/江苏省政协办公厅2017年度部门预算.pdf", ZX_2017_TEXT_SHA)
    tables = ("jiangsu/江苏省政协办公厅/2017年度部门预算公开表.pdf", ZX_2017_TABLES_SHA)
    con, held = load(text, tables)
    assert held[text[0]] == held[tables[0]]
    assert totals(con, held[text[0]]) == D("9146.79", "9146.79", "5916.27", "3123.68", "676.1")
