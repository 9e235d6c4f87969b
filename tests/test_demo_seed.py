"""The seed filing's committed data keeps every printed string, oddities included."""
from decimal import Decimal
from pathlib import Path

import pytest

from demo.seed_filing import load_seed, table_blocks

SEED = load_seed()
TABLES = SEED["tables"]


def rows_by_code(tid):
    return {r[0]: r for r in TABLES[tid]["blocks"][0]["rows"] if r[0]}


def narrative_text():
    return "\n".join(it["text"] for it in SEED["part3"] + SEED["part4"])


def test_thirteen_table_instances_in_order():
    assert SEED["table_order"] == ["T1", "T2", "T3", "T4", "T5-1", "T5-2", "T6", "T7", "T8", "T9", "T10", "T11", "T12"]
    assert [f["title"] for f in TABLES["T12"]["forms"]] == ["项目申报表", "项目申报表"]
    assert TABLES["T12"]["forms"][0]["label"] == "12-1"


@pytest.mark.parametrize(
    "tid, caption, title",
    [
        ("T1", "表 1.收支预算总表", "收支总表"),
        ("T5-1", "表 5-1.一般公共预算支出表（分功能科目）", "一般公共预算支出表(分功能科目)"),
        ("T7", "表 7.一般公共预算“三公”经费支出表", "一般公共预算“三公”经费支出表"),
        ("T12", "表 12.部门项目支出绩效目标表", ""),
    ],
)
def test_captions_and_titles_as_printed(tid, caption, title):
    assert (TABLES[tid]["caption"], TABLES[tid]["title"]) == (caption, title)


def test_name_oddities_kept():
    assert TABLES["T6"]["dept_line"] == "部门/单位： 硌口区城市运行管理中心"
    assert TABLES["T1"]["dept_line"] == "部门/单位：硚口区城市运行管理中心"
    text = narrative_text()
    assert text.count("硃口区城市运行管理中心 2026 年没有使用") == 2
    assert "1、一般公共服务支出(类)财政事务(款)" in text
    assert "其他抚恤支出 43.2 万元" in text
    assert "安排“三公”经费的单位包括本单位及下属单位。" in text


def test_project_form_prior_years_labelled_2025_and_2026():
    for form, amounts in zip(TABLES["T12"]["forms"], [("68000", "68000"), ("1712000", "1027000")]):
        rows = [r for b in form["blocks"] for r in b["rows"]]
        years = [r for r in rows if r[0] == "" and r[1] in ("2025 年", "2026 年")]
        assert [(r[1], r[2]) for r in years] == [("2025 年", amounts[0]), ("2026 年", amounts[1])]


def test_rounding_tails_kept():
    t3 = rows_by_code("T3")
    lei = [t3[c][2] for c in ("201", "208", "210", "221")]
    assert sum(Decimal(x) for x in lei) == Decimal("564.24")
    assert TABLES["T3"]["blocks"][0]["rows"][1][1:3] == ["合计", "564.25"]
    row = rows_by_code("T5-1")["2010350"]
    assert row[2:6] == ["296.25", "296.25", "273.47", "22.79"]


def test_printed_strings_not_reformatted():
    t1 = TABLES["T1"]["blocks"][0]["rows"]
    assert ["八、附属单位上缴收入", "", "八、卫生健康支出", "40.4"] in t1
    assert t1[0] == ["收 入", "", "支 出", ""]
    assert rows_by_code("T6")["30103"] == ["30103", "奖金", "128", "128", ""]
    assert rows_by_code("T3")["2080899"][1] == "其他优抚支出"


def test_bold_rows_are_lei_and_kuan():
    block = TABLES["T3"]["blocks"][0]
    bold_codes = [block["rows"][i][0] for i in block["bold_rows"]]
    assert bold_codes == ["", "201", "20103", "208", "20805", "20808", "210", "21011", "221", "22102"]


def test_headers_have_merges():
    block = TABLES["T5-1"]["blocks"][0]
    assert block["header_rows"] == 2
    assert block["spans"] == [[0, 0, 1, 0], [0, 1, 1, 1], [0, 2, 1, 2], [0, 3, 0, 5], [0, 6, 1, 6]]
    assert block["rows"][1][3:6] == ["小计", "人员经费", "公用经费"]


def test_empty_fund_tables_carry_statements():
    assert TABLES["T8"]["statement"] == "本单位 2026 年无政府性基金预算"
    assert TABLES["T9"]["statement"] == "本单位 2026 年无国有资本经营预算"
    assert len(TABLES["T8"]["blocks"][0]["rows"]) == 2  # the header only


def test_page_broken_sentences_rejoined():
    text = narrative_text()
    assert "比 2025 年预算减少 20.28 万元，减少 3.5%，主要是是严格执行相关规定" in text
    assert "公务接待费 0.2 万元，与 2025 年相比持平无变化。" in text
    assert "4、社会保障和就业支出(类)抚恤(款)其他优抚支出(项)：反映本单位遗属人员补助。" in text


def test_every_block_is_rectangular():
    for tid in SEED["table_order"]:
        for block in table_blocks(TABLES[tid]):
            assert {len(r) for r in block["rows"]} == {block["ncols"]}, tid


def test_load_returns_a_fresh_copy():
    a = load_seed()
    a["tables"]["T1"]["caption"] = "changed"
    assert load_seed()["tables"]["T1"]["caption"] == "表 1.收支预算总表"


def test_demo_runtime_code_does_not_read_shared():
    demo = Path(__file__).resolve().parents[1] / "demo"
    for py in demo.glob("*.py"):
        assert "../shared" not in py.read_text(encoding="utf-8"), py.name
        assert "/work/shared" not in py.read_text(encoding="utf-8"), py.name
