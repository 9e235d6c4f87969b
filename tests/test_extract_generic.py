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
        ("当年收入小计", "jiangsu-budget", "income_current"),
        ("当年收入小计", GENERIC_ID, None),
        ("一、预算拨款", "zhuhai-budget", "income:fiscal"),
        ("一、预算拨款", GENERIC_ID, None),
        ("上年结余、结转", "ministry-budget", "income_carryover"),
        ("上年结余、结转", "jiangsu-budget", None),
        ("收入合计", GENERIC_ID, "income_current"),
        ("年初结转和结余", GENERIC_ID, "income_carryover"),
        ("文化体育与传媒支出", GENERIC_ID, "207"),
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
