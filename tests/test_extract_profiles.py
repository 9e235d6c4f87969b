"""Template profiles (YAML) and row vocabulary: printed words to canonical kinds, columns and rows."""
import pytest
import yaml

from extractors import canon
from extractors.profiles import _YAML_LOADER, PROFILE_DIR, load_profiles
from extractors.rows import summary_row_code

PROFILES = {p.id: p for p in load_profiles()}
WUHAN = PROFILES["wuhan-2026-budget"]
MINISTRY = PROFILES["ministry-budget"]


def test_profiles_only_use_canonical_kinds_and_columns():
    for p in PROFILES.values():
        for kind, spec in p.tables.items():
            assert kind in canon.TABLE_KINDS
            assert set(spec.headers.values()) <= set(canon.COLUMNS[kind]), (p.id, kind)


@pytest.mark.parametrize(
    "line, kind",
    [
        ("表 1.收支预算总表", "T1"),
        ("收支总表", "T1"),
        ("表 5-1.一般公共预算支出表（分功能科目）", "T5-1"),
        ("一般公共预算支出表(分单位)", "T5-2"),
        ("表 7.一般公共预算“三公”经费支出表", "T7"),
        ("2026 年区城市运行管理中心整体支出绩效目标申报表", "T11"),
        ("表 12.部门项目支出绩效目标表", "T12"),
        ("一、收支预算总表", None),  # a table-of-contents entry is not a title
        ("一般公共预算基本支出表", "T6"),
        ("本单位 2026 年无政府性基金预算", None),
    ],
)
def test_wuhan_titles(line, kind):
    assert WUHAN.match_title(line, 2026) == kind


@pytest.mark.parametrize(
    "line, kind",
    [("部门公开表 5 一般公共预算支出表", "T5-1"), ("财政拨款预算“三公”经费支出表", "T7"), ("部门收支总表", "T1")],
)
def test_ministry_titles(line, kind):
    assert MINISTRY.match_title(line, 2026) == kind


@pytest.mark.parametrize(
    "profile, kind, path, label",
    [
        (WUHAN, "T5-1", ["基本支出", "小计"], "基本支出/小计"),
        (WUHAN, "T6", ["本年一般公共预算基本支出", "合计"], "合计"),
        (WUHAN, "T7", ["“三公”经费合计"], "合计"),
        (WUHAN, "T7", ["因公出国(境)费"], "因公出国（境）费"),  # NFKC parentheses still map
        (WUHAN, "T2", ["本年收入", "一般公\n共预算"], "本年收入/一般公共预算"),
        (WUHAN, "T10", ["财政专\n户管理\n资金"], "财政专户管理资金"),
        (WUHAN, "T3", ["科目编码"], None),
        (MINISTRY, "T5-1", ["2026年预算数", "年初预算数", "基本支出"], "基本支出/小计"),
        (MINISTRY, "T5-1", ["2025年执行数", "执行数"], None),
        (MINISTRY, "T2", ["事业收入", "金额"], "本年收入/事业收入"),
        (MINISTRY, "T7", ["2026年预算数", "公务用车购置及运行费", "公务用车\n购置费"],
         "公务用车购置及运行费/公务用车购置费"),
    ],
)
def test_header_paths(profile, kind, path, label):
    assert profile.column_label(kind, path, 2026) == label


def test_year_placeholder_follows_the_filing_year():
    assert MINISTRY.column_label("T5-1", ["2027年预算数", "小计"], 2027) == "合计"
    assert MINISTRY.column_label("T5-1", ["2027年预算数", "小计"], 2026) is None


@pytest.mark.parametrize(
    "label, section, code",
    [
        ("一、一般公共预算拨款收入", None, "income:general_budget"),
        ("七、社会保障和就业支出", None, "208"),
        ("廿一、灾害防治及应急管理支出", None, "224"),
        ("（十八）住房保障支出", None, "221"),
        ("（一）一般公共预算拨款", "current", "income:general_budget"),
        ("（一）一般公共预算拨款", "carryover", "carryover:general_budget"),
        ("收 入 总 计", None, "income_total"),
        ("二、年终结转结余", None, "expenditure_carryover"),
        ("结转下年", None, "expenditure_carryover"),
        ("本年支出合计", None, "expenditure_current"),
        ("二十、国有资本经营预算支出", None, "223"),
        ("某某收入", None, None),
    ],
)
def test_summary_row_codes(label, section, code):
    assert summary_row_code(label, section) == code


@pytest.mark.parametrize("name", sorted(p.name for p in PROFILE_DIR.glob("*.yaml")))
def test_profiles_read_by_libyaml_as_by_pure_python(name):
    # load_profiles reads with libyaml's parser for speed; it must give the pure-Python parser's data
    text = (PROFILE_DIR / name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=_YAML_LOADER) == yaml.load(text, Loader=yaml.SafeLoader)
    assert _YAML_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _two_kind_profile():
    from extractors.profiles import Profile, TableSpec
    import re

    return Profile(id="t", region="", kind="", scope="", ignore_header_parts=[], tables={
        "T1": TableSpec("T1", titles=["收支总表"], title_patterns=[re.compile("支出.*总表$")], headers={},
                        cores={"收支总表"}),
        "T3": TableSpec("T3", titles=["支出总表"], title_patterns=[], headers={}, cores={"支出总表", "收支总表"}),
    })


@pytest.mark.parametrize("line,kind", [
    ("支出总表", "T1"),           # T3's exact title, but T1 comes first and its pattern finds it
    ("收支总表", "T1"),
    ("2026年部门收支总表", "T1"),   # by the core, the first kind holding it
    ("部门支出预算表", None),
])
def test_match_title_keeps_the_profile_order(line, kind):
    assert _two_kind_profile().match_title(line, 2026) == kind
