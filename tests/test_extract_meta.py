"""Filing metadata read from page text: the department's one spelling and its code."""
from __future__ import annotations

import pytest

from extractors.meta import canonical_department, read_meta


@pytest.mark.parametrize(
    "printed, canonical",
    [
        ("中共武汉市硚口区委党校", "武汉市硚口区委党校"),
        ("中国共产党苏州市委员会宣传部", "苏州市委宣传部"),
        ("-1-苏州市审计局", "苏州市审计局"),
        ("硚口区教育局", "硚口区教育局"),
    ],
)
def test_canonical_department(printed, canonical):
    assert canonical_department(printed) == canonical


@pytest.mark.parametrize(
    "name, code",
    [("中共武汉市硚口区委党校", "147"), ("硚口区教育局", "111")],
)
def test_department_code_from_the_printed_project_form_line(name, code):
    """决算 files print the code only as "[147]中共武汉市硚口区委党校" (no 3-digit row in 收入决算表):
    the code is found under the name as printed, not only under its canonical spelling."""
    pages = [f"{name}2024年度部门决算公开", "目录", f"项目支出绩效自评表\n单位名称：[{code}]{name}\n"]
    meta = read_meta(pages, [], "final")
    assert (meta.department, meta.department_code, meta.fiscal_year, meta.kind) == (
        canonical_department(name), code, 2024, "决算")
    assert name in meta.names_seen


@pytest.mark.parametrize("cover, department", [
    ("2018 年度江苏省高级\n人民法院预算公开\n2018 年 2 月 24 日", "江苏省高级人民法院"),  # 省法院 2018's cover
    ("2026年武汉市信访局部门预算", "武汉市信访局"),
])
def test_department_from_the_cover(cover, department):
    assert read_meta([cover], [], None).department == department


@pytest.mark.parametrize("department, header, region", [
    ("武汉市江岸区统计局", "武汉市硌口区统计局", "420102"),  # a neighbour's look-alike misprinted in a header
    ("武汉市硚口区统计局", "武汉市硌口区统计局", "420104"),  # its own look-alike: still its own district
    ("统计局", "武汉市硌口区统计局", "420104"),  # the name carries no district: the unit lines decide
])
def test_region_from_the_department_name_before_the_unit_lines(department, header, region):
    pages = [f"{department}2026年部门预算", f"收入总表\n单位名称：{header}\n"]
    assert read_meta(pages, [], None).region_code == region


@pytest.mark.corpus
def test_jiangsu_court_2018_names_itself_on_a_cover_without_部门():
    from tests.corpus import corpus_extraction

    m = corpus_extraction("jiangsu/江苏省高级人民法院/省法院2018年度部门预算公开.pdf",
                          "9bb83bc165f9437a9be42d7f3f2a5bdf9ca480f86601f65a70518389207dc3a5").meta
    assert (m.department, m.region_code, m.fiscal_year, m.kind) == ("江苏省高级人民法院", "320000", 2018, "预算")
