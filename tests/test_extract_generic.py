"""The generic national-family reading and the switch that turns template profiles off (issue 13)."""
import pytest

from extractors import canon
from extractors.profiles import GENERIC_ID, PROFILES_OFF_ENV, active_profiles, choose_profile, load_profiles, profiles_off
from extractors.rows import summary_row_code

PROFILES = {p.id: p for p in load_profiles()}
GENERIC = PROFILES[GENERIC_ID]
TEMPLATE_IDS = set(PROFILES) - {GENERIC_ID}


@pytest.mark.parametrize(
    "value, off",
    [
        ("", set()),
        ("all", TEMPLATE_IDS),
        ("final, jiangsu-budget", {"final", "jiangsu-budget"}),
        ("generic", set()),  # the generic reading cannot be switched off
        ("all,generic", TEMPLATE_IDS),
        ("no-such-profile", set()),
    ],
)
def test_profiles_off(value, off):
    assert profiles_off(value) == off


@pytest.mark.parametrize(
    "value, expected",
    [
        ("", sorted(TEMPLATE_IDS) + [GENERIC_ID]),
        ("all", [GENERIC_ID]),
        ("jiangsu-budget,final", sorted(TEMPLATE_IDS - {"jiangsu-budget", "final"}) + [GENERIC_ID]),
    ],
)
def test_active_profiles_follow_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(PROFILES_OFF_ENV, value)
    assert [p.id for p in active_profiles()] == expected


# A 江苏 公开表's lines: its own markers choose its profile; with that profile off another one
# reads it, and with every profile off the generic reading does.
JIANGSU_LINES = ["一、2019年度江苏省委办公厅收支预算总表", "部门：江苏省委办公厅 单位：万元",
                 "十、2019年度江苏省委办公厅一般公共预算“三公”经费、会议费、培训费支出预算表"]


@pytest.mark.parametrize(
    "off, chosen",
    [("", "jiangsu-budget"), ("all", GENERIC_ID)],
)
def test_choose_profile_with_profiles_off(monkeypatch, off, chosen):
    monkeypatch.setenv(PROFILES_OFF_ENV, off)
    assert choose_profile(JIANGSU_LINES, 2019).id == chosen


def test_choose_profile_never_picks_a_switched_off_profile(monkeypatch):
    monkeypatch.setenv(PROFILES_OFF_ENV, "jiangsu-budget")
    assert choose_profile(JIANGSU_LINES, 2019).id != "jiangsu-budget"


# Template knowledge as data (issue 13 item 7): a template's own row labels belong to its
# profile and read only through it; the national wording reads through every profile.
@pytest.mark.parametrize(
    "label, profile_id, code",
    [
        ("三、其他资金", "jiangsu-budget", "income:other"),
        ("一、预算拨款", "zhuhai-budget", "income:fiscal"),
        ("一、预算拨款", GENERIC_ID, None),
        # a fund's own carry-over row, first seen in 深圳, is national wording (vocabulary.yaml):
        # 深圳 is read by the generic profile and keeps its 表4 carry-over
        ("一般公共预算拨款结余、结转", GENERIC_ID, "carryover:general_budget"),
        ("一般公共预算拨款结余、结转", "ministry-budget", "carryover:general_budget"),
        ("一般公共预算拨款结余、结转", "jiangsu-budget", "carryover:general_budget"),
        ("政府性基金预算拨款结转", GENERIC_ID, "carryover:gov_fund"),
        ("上年结余、结转", GENERIC_ID, "income_carryover"),
        ("收入合计", GENERIC_ID, "income_current"),
        ("年初结转和结余", GENERIC_ID, "income_carryover"),
        ("文化体育与传媒支出", GENERIC_ID, "207"),
        # the national rules by words: the year's subtotal and the carry-over in and out
        ("当年支出小计", GENERIC_ID, "expenditure_current"),
        ("上年结转资金", GENERIC_ID, "income_carryover"),
        ("结转下年资金", GENERIC_ID, "expenditure_carryover"),
        ("三、其他资金", GENERIC_ID, None),
    ],
)
def test_row_aliases_follow_the_profile(label, profile_id, code):
    assert summary_row_code(label, None, PROFILES[profile_id]) == code


def test_vocabulary_and_profile_aliases_name_canonical_keys():
    assert set(canon.VOCABULARY["summary_rows"].values()) <= set(canon.ROW_KEYS)
    assert set(canon.T7_ITEM_LABELS.values()) <= set(canon.COLUMNS["T7"])
    for p in PROFILES.values():
        assert set(p.row_aliases.values()) <= set(canon.ROW_KEYS), p.id
        assert set(p.t7_items.values()) <= set(canon.COLUMNS["T7"]), p.id
    assert not PROFILES[GENERIC_ID].row_aliases  # the generic reading has only the national wording


# Titles by content: number, ordinal, year and department around the national names, 预算 or 决算.
@pytest.mark.parametrize(
    "line, kind",
    [
        ("表1 2026年某某局部门收支总表", "T1"),
        ("附表1-1 收入支出决算总表", "T1"),
        ("表一 部门收入总表", "T2"),
        ("2026年度某省高级人民法院收支预算总表", "T1"),
        ("五、2018年度某省高级人民法院财政拨款收支预算总表", "T4"),
        ("某某单位2024年度财政拨款收入支出决算总表", "T4"),
        ("本年支出总体情况表", "T3"),
        ("支出决算表", "T3"),
        ("2026年某某局一般公共预算支出表（按功能分类科目）", "T5-1"),
        ("一般公共预算支出表（分单位）", "T5-2"),
        ("一般公共预算基本支出经济分类情况表", "T6"),
        ("一般公共预算财政拨款基本支出决算表", "T6"),
        ("行政经费及“三公”经费预算表", "T7"),
        ("一般公共预算“三公”经费支出决算表", "T7"),
        # a 三公 title wrapped onto two lines, its first line
        ("十一、2017年度某某院一般公共预算“三公”经费、会议费、培训费支出预", "T7"),
        ("公开09表：一般公共预算“三公”经费、会议费、培训费", "T7"),
        ("政府性基金预算财政拨款收入支出决算表", "T8"),
        ("国有资本经营预算支出功能分类预算表", "T9"),
        # not a table read: a narrative line, a contents line, tables outside the national core
        ("关于2026年部门收支总表的说明", None),
        ("一、收支总表……3", None),
        ("财政拨款支出预算表", None),
        ("一般公共预算机关运行经费支出预算表", None),
        ("一般公共预算项目支出表", None),
        ("政府采购预算表", None),
    ],
)
def test_generic_titles(line, kind):
    assert GENERIC.match_title(line, 2026) == kind


# Header cells by content: year blocks, value markers and the national header words.
@pytest.mark.parametrize(
    "kind, path, label",
    [
        ("T1", ["收入", "预算数"], "预算数"),
        ("T1", ["2026年预算数"], "预算数"),
        ("T1", ["支出", "决算数"], "决算数"),
        ("T1", ["项目"], None),
        ("T2", ["本年收入", "一般公共预算拨款收入"], "本年收入/一般公共预算"),
        ("T2", ["上年结转", "一般公共预算"], "上年结转结余/一般公共预算"),
        ("T2", ["总计"], "合计"),
        ("T2", ["经营收入"], "本年收入/事业单位经营收入"),
        ("T3", ["基本支出", "人员支出"], "基本支出/人员经费"),
        ("T3", ["科目编码"], None),
        ("T6", ["公用经费", "科目编码"], None),  # a block's code and name columns hold no amount
        ("T6", ["公用经费", "科目名称"], None),
        ("T3", ["年初预算数"], "年初预算数"),
        ("T5-1", ["2026年预算数", "年初预算数", "基本支出"], "基本支出/小计"),
        ("T5-1", ["2025年执行数", "小计"], None),
        ("T5-1", ["上年预算数", "合计"], None),
        ("T5-1", ["变动情况", "合计"], None),
        ("T3", ["2026年政府采购项目", "小计"], None),  # a side group of its own, not the table's 合计
        ("T6", ["金额"], "合计"),
        ("T5-1", ["金额"], "合计"),  # one amount column and no split
        ("T2", ["金额"], None),
        ("T7", ["“三公”经费合计"], "合计"),
        ("T7", ["公务用车购置及运行维护费", "购置费"], "公务用车购置及运行费/公务用车购置费"),
        ("T7", ["公务用车购置及运行维护费", "小计"], "公务用车购置及运行费/小计"),
        ("T7", ["年初预算数", "公务接待费"], "年初预算数/公务接待费"),
        ("T8", ["支出总计"], "合计"),
        # a vertical 收入总表 (kind / item) and a 三公 group header
        ("T2", ["一般公共预算资金", "小计"], "本年收入/一般公共预算"),
        ("T2", ["上年结转和结余资金", "小计"], "上年结转结余/小计"),
        ("T2", ["其他资金", "事业收入"], "本年收入/事业收入"),
        ("T7", ["“三公”经费", "小计"], "合计"),
        ("T7", ["总计", "一般公共预算"], "合计"),  # items split by fund: the 一般公共预算 part
        ("T7", ["因公出国(境)费", "一般公共预算"], "因公出国（境）费"),
        ("T7", ["因公出国(境)费", "政府性基金"], None),
        ("T7", ["“三公”经费", "公务用车购置及运行费", "购置费"], "公务用车购置及运行费/公务用车购置费"),
    ],
)
def test_generic_headers(kind, path, label):
    assert GENERIC.column_label(kind, path, 2026) == label


@pytest.mark.parametrize(
    "paths, labels, settled",
    [
        # 江苏: 合计 covers 三公, 会议费 and 培训费; the 三公 subtotal is the canonical 合计
        ([["合计"], ["“三公”经费", "小计"], ["会议费"]], ["合计", "合计", "会议费"], ["三公会议培训合计", "合计", "会议费"]),
        # one 合计: nothing to settle
        ([["“三公”经费合计"], ["会议费"]], ["合计", "会议费"], ["合计", "会议费"]),
        # 决算: the budget block beside the actual one is the opening budget
        ([["预算数", "合计"], ["决算数", "合计"]], ["合计", "合计"], ["年初预算数/合计", "合计"]),
    ],
)
def test_generic_settles_two_sangong_totals(paths, labels, settled):
    assert GENERIC.settle_columns("T7", paths, labels) == settled
    assert PROFILES["jiangsu-budget"].settle_columns("T7", paths, labels) == labels


@pytest.mark.parametrize(
    "paths, labels, settled",
    [
        ([["科目编码"], ["金额"]], [None, "合计"], [None, "合计"]),  # the one amount column
        # 决算 T6: two blocks side by side, each headed only 决算数
        ([["科目名称"], ["决算数"], ["科目名称"], ["决算数"]], [None, "合计", None, "合计"], [None, None, None, None]),
    ],
)
def test_generic_bare_amount_columns(paths, labels, settled):
    assert GENERIC.settle_columns("T6", paths, labels) == settled


def test_generic_reads_only_the_first_of_blocks_side_by_side():
    paths = [["人员经费", "科目编码"], ["人员经费", "科目名称"], ["人员经费", "决算数"],
             ["公用经费", "科目编码"], ["公用经费", "科目名称"], ["公用经费", "决算数"]]
    labels = [None, None, "人员经费", None, None, "公用经费"]
    assert GENERIC.settle_columns("T6", paths, labels) == [None, None, "人员经费", None, None, None]


@pytest.mark.parametrize("cells, is_numbers", [
    (["栏次", "1", "2"], True),
    (["", "", "1", "2", "3"], True),
    # 湖州 marks the label columns of its 栏次 row with asterisks, even over one amount column
    (["**", "**", "1"], True),
    (["**", "**", "1", "2", "3"], True),
    (["**", "**", "12.5"], False),
    (["", "1", "2"], False),  # two bare numbers may be amounts
    (["合计", "1", "2", "3"], False),
])
def test_a_row_of_column_numbers_is_no_data(cells, is_numbers):
    from extractors.grid import _is_column_number_row

    assert _is_column_number_row(cells) is is_numbers


@pytest.mark.parametrize("line, explains", [
    ("本单位 2026 年无政府性基金预算", True),
    ("注：本部门无相关收支项目", True),  # 江苏 公开表: the empty table's own footnote
    ("本表无数据", True),
    ("注：本部门无该项目", True),
    # 普陀 决算 表7: the reason first, then "故本表无数据"
    ("说明：中共上海市普陀区委社会工作部本年度没有财政拨款“三公”经费支出，故本表无数据。", True),
    ("本部门本年度没有政府性基金预算财政拨款收入，此表为空表。", True),
    ("无线电管理支出", False),
    ("注：本表反映部门本年度“三公”经费支出预决算情况。", False),
    ("注：本表金额单位转换时存在尾数误差", False),
])
def test_the_statement_that_explains_an_empty_table(line, explains):
    from extractors.locate import _NOTE_RE

    assert bool(_NOTE_RE.search(line)) is explains


@pytest.mark.slow
@pytest.mark.corpus
def test_a_foreign_profile_that_reads_no_core_table_yields_to_the_generic_reading(monkeypatch):
    """苏州 with its own profile off: 江苏's markers win the profile choice but its reading finds no
    收支总表 / 支出总表 (parse_error); the generic reading of the same file reads all nine tables."""
    from pathlib import Path

    from corpus import corpus_file
    from extractors import extract_file

    path = corpus_file("cities/006_苏州/2026年苏州市数据局部门预算.pdf",
                       "46f6c0744764fadc2b6559dc6cfdffb9e2f3214837270c784c68a52f41633d91")
    monkeypatch.setenv(PROFILES_OFF_ENV, "suzhou-budget")
    assert choose_profile([line for line in _first_lines(path)], 2026).id == "jiangsu-budget"
    ex = extract_file(Path(path))
    assert (ex.outcome, ex.meta.template) == ("ok", GENERIC_ID)
    assert ex.outcome_detail.endswith("（模板 jiangsu-budget 未能读出核心表，改用通用读法）")
    assert [(t.table_kind, t.self_check) for t in ex.tables if t.table_kind in ("T1", "T3")] == [
        ("T1", "pass"), ("T3", "pass")]


def _first_lines(path):
    from extractors.prescreen import prescreen

    return [line for p in prescreen(path) for line in p.text.splitlines()]


# The national group headers that restate the table's title (表8 本年政府性基金预算支出 …) are
# dropped in every profile, not only where a profile lists them: 湖州 and 苏州 read no 表8 before.
@pytest.mark.parametrize("profile_id", ["huzhou-budget", "suzhou-budget", "jiangsu-budget", GENERIC_ID])
@pytest.mark.parametrize("kind, path, label", [
    ("T8", ["本年政府性基金预算支出", "合计"], "合计"),
    ("T8", ["本年政府性基金预算支出", "基本支出"], "基本支出"),
    ("T8", ["本年政府性基金预算支出", "项目支出"], "项目支出"),
    ("T9", ["本年国有资本经营预算支出", "项目支出"], "项目支出"),
    ("T6", ["本年一般公共预算基本支出", "人员经费"], "人员经费"),
    # a group of another year is no such header: its columns stay unread
    ("T8", ["上年政府性基金预算支出", "合计"], None),
])
def test_national_table_group_headers_are_dropped_in_every_profile(profile_id, kind, path, label):
    assert PROFILES[profile_id].column_label(kind, path, 2026) == label


@pytest.mark.corpus
@pytest.mark.parametrize("rel, sha, total", [
    ("cities/079_湖州/2026年湖州市卫生健康委员会部门预算.pdf",
     "8369e431c4ed0d14948f2da23e2540dec082b93ff149cf3cd3cbbde7598aaed4", "27600.00"),
    ("cities/006_苏州/2026年苏州市水务局部门预算.pdf",
     "590ce1f04d039c6f5288aac6a638f41a542f222bca001100daeb4e6980ba2952", "44,003.26"),
])
def test_fund_table_under_its_group_header_is_read(rel, sha, total):
    from corpus import corpus_extraction

    ex = corpus_extraction(rel, sha)
    t8 = {(f.row_code, f.column_label): f.printed_value for f in ex.facts if f.table_kind == "T8"}
    assert (t8[("total", "合计")], t8[("total", "项目支出")]) == (total, total)
    assert next(t.self_check for t in ex.tables if t.table_kind == "T8") == "pass"


@pytest.mark.corpus
def test_an_unread_national_title_ends_the_table_above_it(monkeypatch):
    """福州 read with every profile off: "八、一般公共预算支出经济分类情况表" on p17 is not a table
    budgetwatch reads, but its title ends 表9 (p16); 表9 used to take p17's 351,904.90 万元 of
    economic classes, and B8 alarmed that 表4 has no 国有资本经营 money."""
    from pathlib import Path

    from corpus import corpus_file
    from extractors import extract_file

    path = corpus_file("cities/017_福州/2026年福州市医疗保障局部门预算.pdf",
                       "3eeafd201351ec1081b9a72d9874e6f519d738eb1be2d0daf14333b245ee6d4f")
    monkeypatch.setenv(PROFILES_OFF_ENV, "all")
    ex = extract_file(Path(path))
    t9 = [t for t in ex.tables if t.table_kind == "T9"]
    assert [(t.pages, t.n_facts) for t in t9] == [([16], 3)]
    assert sorted({f.amount_wan for f in ex.facts if f.table_kind == "T9"}) == [0]
