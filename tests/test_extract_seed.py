"""The seed filing (硚口区城市运行管理中心 2026) rendered to PDF by demo/, read back by extractors/."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractors import extract_file
from extractors.amounts import parse_amount

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_TXT = SHARED / "seed" / "qiaokou-city-operations-center-2026.txt"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    render = pytest.importorskip("demo.render_pdf")
    pdf = Path(render.build_seed_pdf(tmp_path_factory.mktemp("seed") / "seed.pdf"))
    # Page texts straight from the PDF's text layer: the oracle for page numbers, so the
    # tests do not pin the renderer's pagination.
    doc = pdfium.PdfDocument(str(pdf))
    texts = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", doc[i].get_textpage().get_text_range()))
             for i in range(len(doc))]
    doc.close()
    return extract_file(pdf), texts


@pytest.fixture(scope="module")
def seed(rendered):
    return rendered[0]


@pytest.fixture(scope="module")
def page_of(rendered):
    texts = rendered[1]

    def find(needle: str, after: int = 3) -> int:
        needle = re.sub(r"\s+", "", unicodedata.normalize("NFKC", needle))
        return next(i + 1 for i, t in enumerate(texts) if i + 1 > after and needle in t)

    return find


def fact(ex, kind, row, column):
    hits = [f for f in ex.facts if f.table_kind == kind and f.row_code == row and f.column_label == column]
    assert len(hits) == 1, (kind, row, column, hits)
    return hits[0]


def test_outcome_and_meta(seed):
    assert seed.outcome == "ok"
    assert seed.pages >= 21
    m = seed.meta
    assert (m.department, m.department_code, m.region_code, m.region_name) == ("硚口区城市运行管理中心", "118", "420104", "硚口区")
    assert (m.fiscal_year, m.kind, m.unit_scope, m.template) == (2026, "预算", "部门", "wuhan-2026-budget")
    assert set(m.names_seen) == {"硚口区城市运行管理中心", "武汉市硚口区城市运行管理中心",
                                 "硌口区城市运行管理中心", "硃口区城市运行管理中心"}


TITLES = [("T1", "表1."), ("T2", "表2."), ("T3", "表3."), ("T4", "表4."), ("T5-1", "表5-1."), ("T5-2", "表5-2."),
          ("T6", "表6."), ("T7", "表7."), ("T8", "表8."), ("T9", "表9."), ("T10", "表10."), ("T11", "表11."),
          ("T12", "项目名称武汉市硚口区城市运行管理中心工作经费"),
          ("T12", "项目名称武汉市硚口区城市运行管理中心劳务派遣人员工作经费")]


def test_all_table_instances_found_with_pages(seed, page_of):
    assert [t.table_kind for t in seed.tables] == [k for k, _ in TITLES]
    starts = [page_of(title) for _, title in TITLES]
    for t, start, next_start in zip(seed.tables, starts, starts[1:] + [seed.pages + 1]):
        # starts on its title's page, runs over consecutive pages, stops before the next title
        assert t.pages == list(range(start, t.pages[-1] + 1)), t
        assert t.pages[-1] < next_start or (t.pages[-1] == next_start and t.table_kind != "T12")
    assert [t.unit for t in seed.tables] == ["万元"] * 12 + ["元", "元"]
    assert [len(t.pages) for t in seed.tables[:11]] == [1] * 11  # tables 1–10 fit one page each


@pytest.mark.parametrize("kind, note", [("T8", "本单位2026年无政府性基金预算"), ("T9", "本单位2026年无国有资本经营预算")])
def test_empty_tables_carry_their_statement(seed, kind, note):
    t = next(t for t in seed.tables if t.table_kind == kind)
    assert (t.n_facts, t.note) == (0, note)


@pytest.mark.parametrize(
    "kind, row, column, printed, wan, page",
    [
        ("T1", "income:general_budget", "预算数", "564.25", "564.25", "表1."),
        ("T1", "208", "预算数", "78.76", "78.76", "表1."),
        ("T1", "expenditure_total", "预算数", "564.25", "564.25", "表1."),
        ("T2", "118001", "本年收入/一般公共预算", "564.25", "564.25", "表2."),
        ("T3", "total", "基本支出", "454.75", "454.75", "表3."),
        ("T3", "2010399", "项目支出", "109.5", "109.5", "表3."),
        ("T4", "income_current", "预算数", "564.25", "564.25", "表4."),
        ("T4", "221", "预算数", "39.33", "39.33", "表4."),
        ("T5-1", "2010350", "基本支出/公用经费", "22.79", "22.79", "表5-1."),
        ("T5-2", "118", "基本支出/人员经费", "431.96", "431.96", "表5-2."),
        ("T6", "30217", "公用经费", "0.2", "0.2", "表6."),
        ("T6", "30103", "人员经费", "128", "128", "表6."),
        ("T7", "total", "合计", "0.2", "0.2", "表7."),
        ("T7", "total", "公务接待费", "0.2", "0.2", "表7."),
        ("T10", "42010426118T000000100", "本年拨款/一般公共预算", "6.8", "6.8", "表10."),
        ("T10", "total", "合计", "109.5", "109.5", "表10."),
        ("T11", "t11:exp:basic", "近两年/2024", "455.15", "455.15", "表11."),
        ("T11", "t11:income_total", "当年预算", "564.25", "564.25", "表11."),
        ("T11", "t11:expenditure_total", "近两年/2025", "584.53", "584.53", "表11."),
        ("T12", "project:武汉市硚口区城市运行管理中心工作经费", "项目当年预算", "68000", "6.8", "项目总预算68000项目当年预算68000"),
        ("T12", "project:武汉市硚口区城市运行管理中心工作经费", "前两年/2026年/预算数", "68000", "6.8", "2026年6800068000100%"),
        ("T12", "project:武汉市硚口区城市运行管理中心劳务派遣人员工作经费", "前两年/2025年/执行数", "1712000", "171.2", "2025年17120001712000"),
        ("T12", "project:武汉市硚口区城市运行管理中心劳务派遣人员工作经费", "资金来源/一般公共预算财政拨款", "1027000", "102.7", "一般公共预算财政拨款1027000"),
    ],
)
def test_exact_facts(seed, page_of, kind, row, column, printed, wan, page):
    f = fact(seed, kind, row, column)
    assert (f.printed_value, str(f.amount_wan), f.page) == (printed, wan, page_of(page))
    assert f.printed_unit == ("元" if kind == "T12" else "万元")


def test_fact_carries_bbox_of_its_cell(seed, page_of):
    f = fact(seed, "T5-1", "2010350", "合计")
    assert (f.printed_value, f.amount_wan, f.page, f.row_label) == ("296.25", Decimal("296.25"), page_of("表5-1."), "事业运行")
    x0, top, x1, bottom = f.bbox
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 850
    # the 合计 cell sits left of the 基本支出/小计 cell of the same row
    g = fact(seed, "T5-1", "2010350", "基本支出/小计")
    assert x1 <= g.bbox[0] + 0.5 and (top, bottom) == (g.bbox[1], g.bbox[3])


def test_blank_cells_give_no_fact(seed):
    assert not [f for f in seed.facts if f.table_kind == "T7" and f.column_label == "因公出国（境）费"]
    assert not [f for f in seed.facts if f.table_kind == "T1" and f.row_code == "203"]


# ---- oracle: every amount printed in tables 1–10 of the seed text is a fact -------------------

_TITLE_RE = re.compile(r"^表\s*(\d+(?:-\d+)?)\.")


def _txt_amounts() -> Counter:
    if not SEED_TXT.exists():
        pytest.skip(f"{SEED_TXT} is absent (../shared not mounted)")
    out: Counter = Counter()
    kind = None
    for line in SEED_TXT.read_text(encoding="utf-8").splitlines():
        m = _TITLE_RE.match(line.strip())
        if m:
            number = m.group(1)
            kind = f"T{number}" if number not in ("11", "12") else None
            continue
        if kind and "\t" in line:
            cells = line.split("\t")
            if kind not in ("T1", "T4", "T7"):
                cells = cells[1:]  # the code column: 118, 2010350, 42010426118T000000100 are not amounts
            for cell in cells:
                cell = re.sub(r"</?b>", "", cell).strip()
                if parse_amount(cell) is not None:
                    out[(kind, cell)] += 1
    return out


def test_every_printed_amount_of_tables_1_to_10_is_a_fact(seed):
    expected = _txt_amounts()
    assert sum(expected.values()) == 205
    got = Counter((f.table_kind, f.printed_value) for f in seed.facts if f.table_kind not in ("T11", "T12"))
    assert got == expected


# ---- narrative claims ---------------------------------------------------------------------------


def claim(ex, kind, subject, **kw):
    hits = [c for c in ex.claims if c.kind == kind and c.subject == subject
            and all(getattr(c, k) == v for k, v in kw.items())]
    assert hits, (kind, subject, kw)
    return hits[0]


@pytest.mark.parametrize(
    "subject, amount",
    [("total", "564.25"), ("income_total", "564.25"), ("expenditure_total", "564.25"),
     ("fiscal_appropriation", "564.25"), ("personnel", "431.96"), ("public", "22.79"),
     ("admin_operating", "22.79"), ("sangong:total", "0.2"), ("sangong:reception", "0.2"),
     ("sangong:abroad", "0"), ("sangong:vehicle", "0"), ("sangong:vehicle_purchase", "0"),
     ("sangong:vehicle_operation", "0"), ("procurement:total", "103.95"), ("procurement:goods", "1.25"),
     ("procurement:services", "102.7"), ("procurement:works", "0"), ("func:208", "78.76")],
)
def test_amount_claims(seed, page_of, subject, amount):
    hits = [c for c in seed.claims if c.kind == "amount" and c.subject == subject]
    assert [str(c.amount_wan) for c in hits] == [amount]
    sentence = re.sub(r"\s+", "", hits[0].text)
    assert amount in sentence
    # the page is where the sentence's opening words are printed, after the tables
    assert hits[0].page == page_of(sentence[:15], after=page_of("第三部分", after=page_of("表12.")) - 1)


@pytest.mark.parametrize("subject, amount, percent", [("basic", "454.75", "80.59"), ("project", "109.5", "19.41")])
def test_share_claims(seed, page_of, subject, amount, percent):
    c = claim(seed, "share", subject)
    assert (str(c.amount_wan), str(c.percent), c.page) == (amount, percent, page_of("三、预算支出情况说明"))


@pytest.mark.parametrize(
    "subject, amount, delta, percent, direction, prior",
    [
        ("total", "564.25", "-20.28", "-3.5", "减少", 2025),
        ("general_budget", "564.25", "-20.28", "-3.5", "减少", 2025),
        ("admin_operating", "22.79", "-1.5", "-6.18", "减少", 2025),  # "比上年" -> fiscal year - 1
        ("sangong:total", None, "0", None, "持平", 2025),
        ("sangong:reception", "0.2", "0", None, "持平", 2025),
    ],
)
def test_yoy_claims(seed, subject, amount, delta, percent, direction, prior):
    c = claim(seed, "yoy", subject)
    s = lambda v: None if v is None else str(v)  # noqa: E731
    assert (s(c.amount_wan), s(c.delta_wan), s(c.percent), c.direction, c.prior_year) == (
        amount, delta, percent, direction, prior)


@pytest.mark.parametrize(
    "subject, label, level, amount",
    [
        ("func:2080899", "其他抚恤支出", "项", "43.2"),  # the narrative's name, matched to T5-1 by amount
        ("func:2010350", "事业运行", "项", "296.25"),
        ("func:2210202", "提租补贴", "项", "6.18"),
        ("func:2010399", "其他政府办公厅(室)及相关机构事务支出", "项", "109.5"),
        ("func:20103", "财政事务", "款", None),  # heading over the 项目支出 item 2010399
        ("func:201", "一般公共服务支出", "类", None),
        ("func:2080899", "其他优抚支出", "项", None),  # 名词解释
        ("func:20808", "抚恤", "款", None),
        ("func:20103", "政府办公厅及相关机构事务", "款", None),
        ("func:221", "住房保障支出", "类", None),
    ],
)
def test_item_name_claims(seed, subject, label, level, amount):
    c = claim(seed, "item_name", subject, label=label, level=level)
    assert (None if c.amount_wan is None else str(c.amount_wan)) == amount
    assert label in c.text


def test_basic_item_list_is_complete(seed):
    items = [(c.subject, str(c.amount_wan)) for c in seed.claims
             if c.kind == "item_name" and c.level == "项" and c.amount_wan is not None]
    assert items == [("func:2010350", "296.25"), ("func:2080505", "35.56"), ("func:2080899", "43.2"),
                     ("func:2101102", "14.47"), ("func:2101103", "24.7"), ("func:2101199", "1.23"),
                     ("func:2210201", "33.15"), ("func:2210202", "6.18"), ("func:2010399", "109.5")]


def test_scope_and_no_fund_claims(seed, page_of):
    assert claim(seed, "sangong_scope", "sangong").label == "本单位及下属单位"
    gov = claim(seed, "no_fund", "gov_fund")
    cap = claim(seed, "no_fund", "state_capital")
    assert (gov.page, cap.page) == (page_of("2026年没有使用政府性基金预算"), page_of("2026年没有使用国有资本经营预算"))
    assert "硃口区城市运行管理中心" in gov.text and "国有资本经营" in cap.text


def test_extraction_round_trips_through_json(seed):
    from extractors.model import Extraction

    again = Extraction.from_dict(seed.to_dict())
    assert again.facts == seed.facts and again.claims == seed.claims and again.meta == seed.meta


def _jsonable(o):
    """What to_dict returned before it walked the dataclasses itself: asdict's output with each
    Decimal a string and each tuple a list."""
    from decimal import Decimal

    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, dict):
        return {k: _jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_jsonable(v) for v in o]
    return o


def test_to_dict_is_asdict_made_jsonable(seed):
    # to_dict walks the dataclasses itself (asdict's deep copy cost ~5 ms a filing): the same
    # data, key order included, so a cache entry's bytes do not change with it
    import json
    from dataclasses import asdict

    assert any(f.amount_wan is not None and f.bbox for f in seed.facts)  # Decimals and tuples to convert
    assert json.dumps(seed.to_dict(), ensure_ascii=False) == json.dumps(_jsonable(asdict(seed)), ensure_ascii=False)


@pytest.mark.parametrize("subject, count", [("staff:quota", 24), ("staff:actual", 16)])
def test_staff_count_claims(seed, page_of, subject, count):
    """人员构成: "编制人数 24 人，其中：事业编制 24 人，在职实有人数 16 人" — the first count of each."""
    hits = [c for c in seed.claims if c.kind == "count" and c.subject == subject]
    assert [int(c.amount_wan) for c in hits] == [count]
    assert hits[0].page == page_of("部门预算单位人员构成", after=0)
