"""The narrative's required parts (F3) and 年初预算 quoted in a 决算 (E3), extractors/narrative.py."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.narrative import extract_claims, section_claims

ALL = {"functions", "units", "staff", "changes", "sangong", "admin_operating", "procurement", "assets",
       "performance", "glossary"}


def sections(pages) -> dict[str, int]:
    return {c.subject.split(":")[1]: c.page for c in section_claims(pages)}


def test_every_part_of_a_wuhan_narrative_with_its_page():
    pages = [
        (2, "目 录\n第一部分 部门概况\n一、主要职能\n三、部门人员构成\n第四部分 名词解释"),
        (3, "第一部分 硚口区某局概况\n一、部门主要职能\n负责……\n二、部门预算单位构成\n三、部门预算单位人员构成"),
        (9, "七、一般公共预算“三公”经费支出表\n单位：万元\n合计 0.2"),
        (12, "3.“绩效指标”：设定绩效指标值时的依据或参考标准。"),
        (26, "第三部分 2026 年部门预算情况说明\n一、预算收支情况总体说明\n九、一般公共预算“三公”经费支出情况说明"),
        (27, "（一）机关运行经费安排情况\n（二）政府采购预算安排情况\n（四）国有资产占有使用情况\n（五）预算绩效管理情况"),
        (28, "第四部分 名词解释\n1.财政拨款收入：……"),
    ]
    assert sections(pages) == {"functions": 3, "units": 3, "staff": 3, "changes": 26, "sangong": 26,
                               "admin_operating": 27, "procurement": 27, "assets": 27, "performance": 27,
                               "glossary": 28}


@pytest.mark.parametrize("text, missing", [
    # listed in the contents only: the part is missing from the text
    ("目录\n（四）国有资产占有使用情况", {"assets"}),
    # a table title or a table row is not a part of the narrative
    ("十一、部门整体支出绩效目标表\n二、政府采购 12.5", {"performance", "procurement"}),
])
def test_contents_tables_and_rows_are_not_parts(text, missing):
    assert not (set(sections([(1, text)])) & missing)


@pytest.mark.parametrize("sentence, subject, amount", [
    ("2024 年度一般公共预算财政拨款支出年初预算为 1,234.56 万元，支出决算为 1,200.00 万元，完成年初预算的 97.2%。",
     "general_budget_expenditure", "1234.56"),
    ("2024 年度“三公”经费支出年初预算为 12.5 万元，支出决算为 10.2 万元。", "sangong:total", "12.5"),
    ("公务接待费支出年初预算为 3 万元，支出决算为 2.1 万元。", "sangong:reception", "3"),
])
def test_plan_claims_of_a_final_account(sentence, subject, amount):
    claims = [c for c in extract_claims([(5, sentence)], [], 2024) if c.kind == "plan"]
    assert [(c.subject, c.amount_wan, c.page) for c in claims] == [(subject, Decimal(amount), 5)]


def test_seed_has_every_part(tmp_path):
    from demo.render_pdf import build_seed_pdf
    from extractors.pdf import extract_file

    ex = extract_file(build_seed_pdf(tmp_path / "seed.pdf"))
    got = {c.subject.split(":")[1]: (c.page, c.label) for c in ex.claims if c.kind == "section"}
    assert set(got) == ALL
    assert got["assets"] == (28, "(四)国有资产占有使用情况")
    assert got["glossary"] == (28, "第四部分名词解释")


def test_parts_printed_as_lead_words_of_a_paragraph_and_not_in_the_glossary():
    """A 决算 prints "(三) 国有资产占有使用情况：截至…" with its text on the same line."""
    pages = [(20, "十、其他重要事项的情况说明\n(一) 机关运行经费支出情况：2024 年度机关运行经费支出 5.1 万元。\n"
                  "(三) 国有资产占有使用情况：截至 2024 年 12 月 31 日，部门共有车辆 1 辆。"),
             (21, "第四部分 名词解释\n（四）政府采购：指各级国家机关……\n（五）预算绩效管理情况")]
    assert sections(pages) == {"admin_operating": 20, "assets": 20, "glossary": 21}


def test_final_account_sangong_amounts_are_the_spent_ones():
    text = ("2024 年度“三公”经费财政拨款支出预算为 6.02 万元，支出决算为 5.79 万元，完成预算的 96.18%。"
            "其中：因公出国(境)费支出决算 4.53 万元；公务用车购置及运行维护费支出决算 0 万元，"
            "其中：公务用车购置费 0 万元，公务用车运行维护费 0 万元；公务接待费支出决算 1.26 万元。")
    got = {c.subject: c.amount_wan for c in extract_claims([(7, text)], [], 2024) if c.kind == "amount"}
    assert got == {"sangong:total": Decimal("5.79"), "sangong:abroad": Decimal("4.53"), "sangong:vehicle": Decimal("0"),
                   "sangong:vehicle_purchase": Decimal("0"), "sangong:vehicle_operation": Decimal("0"),
                   "sangong:reception": Decimal("1.26")}


def test_contents_running_over_two_pages_do_not_count():
    pages = [(2, "目 录\n第一部分 某局概况\n一、主要职能\n二、部门预算单位构成\n- 2 -"),
             (3, "九、一般公共预算“三公”经费支出情况说明\n十一、其他重要事项的情况说明\n第四部分 名词解释\n- 3 -"),
             (4, "第一部分 某局概况\n一、部门主要职能\n1、贯彻执行国家、省、市有关方针政策。\n二、部门预算单位构成\n- 4 -")]
    assert sections(pages) == {"functions": 4, "units": 4}


def test_parts_named_without_a_number_and_a_glossary_before_the_last_part():
    """上海 prints its parts unnumbered on lines of their own, the glossary third."""
    pages = [(2, "目 录\n一、单位主要职能\n二、单位机构设置\n三、名词解释\n四、单位预算编制说明"),
             (3, "上海市统计和大数据研究院（上海市统计数据管理中心）（单位）主要职能\n 主要职能包括：\n1.坚持……"),
             (4, "上海市统计和大数据研究院（单位）机构设置\n单位设8个内设机构，包括：行政管理部。"),
             (5, "名词解释\n（一）财政拨款收入：是市级预算主管部门……\n（七）“三公”经费：是……"),
             (6, "单位预算编制说明\n2026年，单位收入预算 100 万元。")]
    assert sections(pages) == {"functions": 3, "units": 4, "glossary": 5, "changes": 6}


@pytest.mark.parametrize("text, found", [
    # 福州: the part's number and its name on two lines
    ("第四部分\n名词解释\n一、财政拨款收入：指……", {"glossary": 1}),
    # 深圳: the text layer runs a part's heading onto the sentence before it
    ("收入较上年增幅 12.5%。第四部分 政府采购预算情况\n2026 年……", {"procurement": 1}),
    ("本单位无政府性基金预算支出。 第九部分 名词解释", {"glossary": 1}),
    # a line with sentence punctuation is no heading, nor a line that only mentions the words
    ("按照规定，本部门严格履行，主要职能", {}),
    ("主要职能包括以下几个方面的内容和要求", {}),
    ("二、机构编制", {"units": 1}),
])
def test_headings_read_by_their_words(text, found):
    assert sections([(1, text)]) == found


def test_a_glossary_heading_on_an_unmarked_contents_page_does_not_hide_the_parts():
    """湖州: the contents' second page is not all headings, so its "三、名词解释" is read."""
    pages = [(3, "二、部门预算表\n三、名词解释\n部门预算公开"),
             (4, "一、部门概况\n（一）主要职能\n湖州市退役军人事务局机构职能是……\n（二）部门机构设置情况\n从预算单位构成看……")]
    assert sections(pages) == {"glossary": 3, "functions": 4, "units": 4}
