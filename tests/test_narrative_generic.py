"""Narrative claims read as a person reads them, in any city's wording (issue 13, item 5):
names without list ordinals and level words (C2), a change read only from the sentence that
names its subject (D1), and a 决算's totals and 三公 actuals (C1, C3)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from corpus import corpus_extraction
from extractors.model import Fact
from extractors.narrative import extract_claims, narrative_text, plain_name

D = Decimal


@pytest.mark.parametrize("label, level, name", [
    ("十、教育支出", "类", "教育支出"),
    ("二十一、住房保障支出", "类", "住房保障支出"),
    ("(二)科学技术支出", "类", "科学技术支出"),
    ("（五）农林水支出", "类", "农林水支出"),
    (")一般公共服务", "类", "一般公共服务"),        # "(1)" whose "(1" the sentence before took
    ("1.行政运行", "项", "行政运行"),
    ("1、行政运行", "项", "行政运行"),
    ("①行政运行", "项", "行政运行"),
    ("教育支出（类）", "类", "教育支出"),
    ("一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）", "类", "一般公共服务"),
    ("一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）", "款", "政府办公厅(室)及相关机构事务"),
    ("一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）", "项", "行政运行"),
    ("第四部分名词解释九、一般公共服务支出", "类", "一般公共服务支出"),  # a heading run into the item
    # a name that merely starts with a numeral word keeps it
    ("一般公共服务支出", "类", "一般公共服务支出"),
    ("十三五规划项目", "项", "十三五规划项目"),
])
def test_plain_name(label, level, name):
    assert plain_name(label, level) == name


def _t5(code, label, total):
    return Fact("T5-1", code, label, "合计", D(total), total, "万元", 5)


FACTS = [_t5("201", "一般公共服务支出", "100.00"), _t5("20103", "政府办公厅（室）及相关机构事务", "100.00"),
         _t5("2010301", "行政运行", "60.00"), _t5("2010350", "事业运行", "40.00")]


def names(pages, facts=FACTS):
    return sorted((c.subject, c.level, c.label) for c in extract_claims(pages, facts, 2026) if c.kind == "item_name")


def test_numbered_glossary_entries_give_the_tables_names():
    pages = [(30, "第四部分 名词解释\n"
                  "九、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）：反映行政单位的基本支出。"
                  "十、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）：反映事业单位的基本支出。")]
    assert names(pages) == [
        ("func:201", "类", "一般公共服务支出"), ("func:20103", "款", "政府办公厅(室)及相关机构事务"),
        ("func:2010301", "项", "行政运行"), ("func:2010350", "项", "事业运行")]


def test_a_running_header_does_not_split_a_name_or_a_word():
    header = "苏州市某局 2026 年度部门预算公开"
    pages = [(n, f"{header}\n{body}") for n, body in [
        (30, "第四部分 名词解释\n一、财政拨款收入：指本级财政当年拨付的资金。"),
        (31, "二、事业收入：指事业单位开展专业业务活动取得的收入。八、一般公共服务支出（类）政府办公厅（室）及相关机"),
        (32, "构事务（款）行政运行（项）：反映行政单位的基本支出，主要原因是项目支出减"),
        (33, "少。"),
    ]]
    text = narrative_text(pages).text
    assert header.replace(" ", "") not in text.replace(" ", "")
    assert "项目支出减少。" in text
    assert ("func:201", "类", "一般公共服务支出") in names(pages)


def yoy(text, fiscal_year=2026):
    return [(c.subject, c.amount_wan, c.delta_wan, c.percent, c.direction, c.prior_year)
            for c in extract_claims([(20, text)], [], fiscal_year) if c.kind == "yoy"]


@pytest.mark.parametrize("text, expected", [
    # the amount right before the change, the subject named next to it
    ("2026年某局本级1家行政单位的机关运行经费财政拨款预算 105.75 万元，比上年预算数减少33.32 万元，下降 24.0%。",
     [("admin_operating", D("105.75"), D("-33.32"), D("-24.0"), "减少", 2025)]),
    ("（三）公务用车购置及运行费2026 年预算安排 1335.21 万元，其中：公务用车运行费 1114.17万元，比上年减少 30.00 万元，"
     "下降 2.62%；",
     [("sangong:vehicle_operation", D("1114.17"), D("-30.00"), D("-2.62"), "减少", 2025)]),
    # "本年 14.09 万元，增加 221.04 万元" was 公务接待费's amount with the 购置费's change
    ("（二）公务接待费2026 年预算安排 14.09 万元，与上年持平。公务用车购置费 221.04万元，比上年增加 221.04 万元，增长 100%。",
     [("sangong:vehicle_purchase", D("221.04"), D("221.04"), D("100"), "增加", 2025),
      ("sangong:reception", D("14.09"), D("0"), None, "持平", 2025)]),
    # a change whose sentence names no known subject is not read
    ("某局 2026 年一般公共预算当年拨款37018.75 万元，比上年执行数减少 11688.70 万元，下降23.9%。"
     "2026 年某局各单位会议费预算 0.00万元，比上年预算数减少 29.60 万元，下降 100.0%。",
     [("general_budget", D("37018.75"), D("-11688.70"), D("-23.9"), "减少", 2025)]),
    # a heading's words are not the subject of the item under it
    ("（三）一般公共预算当年拨款具体使用情况1.一般公共服务支出（类）信访事务（款）一般行政管理事务（项）2026 年预算数为 "
     "737.29 万元，比 2025 年执行数增加 670.85 万元，增幅 1009.71%。", []),
    # the amount in the sentence before: "…总预算 564.25 万元。比 2025 年预算减少…"
    ("2026 年部门收支总预算 564.25 万元。比 2025 年预算减少 20.28 万元，降低 3.5%，主要是压减经费支出。",
     [("total", D("564.25"), D("-20.28"), D("-3.5"), "减少", 2025)]),
    ("2026 年本部门的机关运行经费 22.79 万元。主要包括：办公费、印刷费等。此项支出比上年减少 1.5 万元，降低 6.18%。",
     [("admin_operating", D("22.79"), D("-1.5"), D("-6.18"), "减少", 2025)]),
    ("2026 年本部门机关运行经费 22.79 万元。主要包括：办公费、印刷费等。此项支出与 2025 年持平。",
     [("admin_operating", D("22.79"), D("0"), None, "持平", 2025)]),
    # a 决算: the subject in the change clause, its amount in the sentence before
    ("某局 2024 年度收入支出总计9859.38 万元。与 2023 年度相比，收入支出总计增加 1062.85万元，增长 12.08%。",
     [("total", D("9859.38"), D("1062.85"), D("12.08"), "增加", 2023)]),
    ("某局 2024 年度财政拨款收入支出总计 0.3 万元。与2023年度相比，财政拨款收入支出总计持平。",
     [("fiscal_appropriation", D("0.3"), D("0"), None, "持平", 2023)]),
    ("2024 年度收、支总计 600.50 万元。比 2023 年度决算数增加 12.30 万元，增长 2.09%，主要原因是人员经费正常增长。",
     [("total", D("600.50"), D("12.30"), D("2.09"), "增加", 2023)]),
    # 江苏 2017: "收入、支出预算总计" and, after 相比, "收、支预算总计各增加"
    ("江苏省人大常委会办公厅 2017 年度收入、支出预算总计 13649.07 万元，与上年相比收、支预算总计各增加 844.15万元，增长 6.59%。",
     [("total", D("13649.07"), D("844.15"), D("6.59"), "增加", 2016)]),
    # a change without a percentage still states its direction and size
    ("2026 年财政拨款“三公”经费预算 5.58 万元，较 2025 年年初预算增加 0.00 万元。",
     [("sangong:total", D("5.58"), D("0.00"), None, "增加", 2025)]),
])
def test_yoy_from_its_own_sentence(text, expected):
    fy = next((y for y in (2024, 2017) if f"{y} 年度" in text or f"{y}年度" in text), 2026)
    assert yoy(text, fy) == expected


def amounts(text, fiscal_year=2024):
    return {c.subject: c.amount_wan for c in extract_claims([(20, text)], [], fiscal_year) if c.kind == "amount"}


@pytest.mark.parametrize("text, expected", [
    ("一、收入支出决算总体情况说明某局 2024 年度收入支出总计9859.38 万元。"
     "四、财政拨款收入支出决算总体情况说明某局 2024 年度财政拨款收入支出总计 9746.50 万元。",
     {"total": D("9859.38"), "fiscal_appropriation": D("9746.50")}),
    ("2025 年度收、支总计 600.50 万元。四、财政拨款收入支出决算总体情况说明2025 年度财政拨款收、支总计 580.00 万元。",
     {"total": D("600.50"), "fiscal_appropriation": D("580.00")}),
    # the Ministry's 决算 wording
    ("国家某局 2024 年度“三公”经费财政拨款支出预算为 76.43万元，2024 年度支出决算为 46.21 万元，完成预算的 60.46%。"
     "其中：因公出国（境）费支出决算为 4.69 万元，完成预算的 15.63%；公务用车购置及运行费支出决算为 40.61 万元，"
     "完成预算的99.95%；公务接待费支出决算为 0.9 万元，完成预算的 15.52%。",
     {"sangong:total": D("46.21"), "sangong:abroad": D("4.69"), "sangong:vehicle": D("40.61"),
      "sangong:reception": D("0.9")}),
    # 上海 普陀's
    ("“三公”经费财政拨款支出年初预算为 2.85 万元，支出决算为 0.39 万元，完成预算的 13.68%，其中：因公出国（境）费决算为 "
     "0.00 万元，完成预算的 0.00%；公务用车购置及运行维护费支出决算为 0.00 万元，完成预算的 0.00%；公务接待费支出决算为 "
     "0.39 万元，完成预算的 13.68%。",
     {"sangong:total": D("0.39"), "sangong:abroad": D("0.00"), "sangong:vehicle": D("0.00"),
      "sangong:reception": D("0.39")}),
])
def test_final_account_amounts(text, expected):
    assert amounts(text) == expected


def test_final_account_completion_and_plan():
    text = ("“三公”经费财政拨款支出年初预算为 2.85 万元，支出决算为 0.39 万元，完成预算的 13.68%，其中：因公出国（境）费决算为 "
            "0.00 万元，完成预算的 0.00%；公务接待费支出决算为 0.39 万元，完成预算的 13.68%。")
    claims = extract_claims([(25, text)], [], 2024)
    assert sorted((c.kind, c.subject, c.amount_wan, c.percent) for c in claims if c.kind in ("completion", "plan")) == [
        ("completion", "sangong:abroad", D("0.00"), D("0.00")),
        ("completion", "sangong:reception", D("0.39"), D("13.68")),
        ("completion", "sangong:total", D("0.39"), D("13.68")),
        ("plan", "sangong:total", D("2.85"), None),
    ]


# --- real filings, pinned ----------------------------------------------------------------

SUZHOU_AUDIT = ("cities/006_苏州/2026年苏州市审计局部门预算.pdf",
                "566b0189ba77a1eac4ed5578789fb5b5da1eddb63c252c713a07b05526926e47")
PUTUO_FINANCE_FINAL = ("putuo/上海市普陀区财政局2024年度部门决算.pdf",
                       "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5")
MINISTRY_FINAL = ("cities/009_武汉/信访局_国家信访局2024年度部门决算公开.pdf",
                  "b50c5c76deb5913253271042061f488d53e8cb9a47e3ea1bc521a9d1c01fc3e0")


@pytest.mark.slow
def test_suzhou_numbered_class_names_are_the_tables_names():
    # 苏州's 名词解释 numbers every entry ("十一、社会保障和就业支出（类）…") and its running header
    # "苏州市审计局 2026 年度部门预算公开" lands mid-sentence
    ex = corpus_extraction(*SUZHOU_AUDIT)
    labels = {(c.subject, c.label) for c in ex.claims if c.kind == "item_name" and c.level == "类"}
    assert labels == {("func:201", "一般公共服务支出"), ("func:208", "社会保障和就业支出"), ("func:221", "住房保障支出")}


@pytest.mark.slow
@pytest.mark.parametrize("source, kind, subject, amount", [
    (PUTUO_FINANCE_FINAL, "amount", "total", D("2995.39")),
    # the office's own slip: T4 prints 2961.68 (C1 reports it)
    (PUTUO_FINANCE_FINAL, "amount", "fiscal_appropriation", D("0.3")),
    (PUTUO_FINANCE_FINAL, "yoy", "total", D("2995.39")),
    (MINISTRY_FINAL, "amount", "sangong:total", D("46.21")),
    (MINISTRY_FINAL, "amount", "sangong:abroad", D("4.69")),
    (MINISTRY_FINAL, "amount", "sangong:reception", D("0.9")),
])
def test_final_account_claims_of_real_filings(source, kind, subject, amount):
    ex = corpus_extraction(*source)
    assert [c.amount_wan for c in ex.claims if c.kind == kind and c.subject == subject] == [amount]


def no_fund(text):
    return sorted((c.subject, c.label) for c in extract_claims([(20, text)], [], 2017) if c.kind == "no_fund")


@pytest.mark.parametrize("text, expected", [
    ("本单位没有使用政府性基金预算拨款安排的支出，故本表无数据。", [("gov_fund", "没有使用政府性基金预算")]),
    # 江苏 2017–2018: the fund table's own paragraph states its spending as 0 万元
    ("七、政府性基金支出预算表情况说明本表反映江苏省高级人民法院 2017 年政府性基金支出预算安排情况。"
     "江苏省高级人民法院 2017 年政府性基金支出预算支出 0 万元。",
     [("gov_fund", "政府性基金支出预算支出 0 万元")]),
    ("2018 年国有资本经营预算财政拨款支出为 0.00 万元。", [("state_capital", "国有资本经营预算财政拨款支出为 0.00 万元")]),
    # 上海: "…政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0。"
    ("一般公共预算拨款支出预算17883万元，比2025年预算增加156万元；政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0。",
     [("gov_fund", "政府性基金拨款支出预算为0"), ("state_capital", "国有资本经营预算拨款支出预算为0")]),
    # an amount that begins with 0 is money, not none
    ("2026 年政府性基金拨款支出预算为0.5万元。", []),
    ("2017 年政府性基金支出预算支出 0.50 万元。", []),
    ("2017 年政府性基金支出预算支出 1,200.00 万元。", []),
])
def test_no_fund_statements(text, expected):
    assert no_fund(text) == expected
