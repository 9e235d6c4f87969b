"""The sample city (issue 17): districts from demo/city.yaml, each its own portal and profile."""
from __future__ import annotations

import re

import pytest

from demo.city import approval_rows, districts, register_approvals, site_profile
from demo.district.localise import localiser
from spiders.profile import load_profile


def test_the_first_district_is_the_sample_district():
    d = districts(1)
    assert [(x.index, x.code, x.name, x.site, x.seed) for x in d] == [(1, "420104", "硚口区", "sample", 2026)]


def test_thirteen_wuhan_districts_in_order():
    ds = districts(13)
    assert [x.code for x in ds] == ["420104", "420102", "420103", "420105", "420106", "420107", "420111",
                                    "420112", "420113", "420114", "420115", "420116", "420117"]
    assert len({x.seed for x in ds}) == 13 and len({x.site for x in ds}) == 13


@pytest.mark.parametrize("n", [0, 14, -1])
def test_a_count_outside_the_city_is_refused_in_chinese(n):
    with pytest.raises(ValueError, match="区的个数应在 1 到 13 之间"):
        districts(n)


def test_a_later_district_gets_the_sample_profile_under_its_own_name(tmp_path):
    d = districts(2)[1]
    path = site_profile(d, tmp_path)
    own, sample = load_profile(path), load_profile("sample")
    assert (own.name, own.region_code, own.title) == ("sample-jiangan", "420102", "示例江岸区人民政府门户网站 · 财政预决算")
    assert (own.listing, own.detail, own.attachments) == (sample.listing, sample.detail, sample.attachments)
    assert site_profile(districts(1)[0], tmp_path) == "sample"


@pytest.mark.parametrize("text, expected", [
    ("硚口区发展和改革局", "江岸区发展和改革局"),
    ("中共武汉市硚口区委员会办公室", "中共武汉市江岸区委员会办公室"),
    ("42010426118T000000100", "42010226118T000000100"),  # the region embedded in a project code
    ("420104", "420102"),
    ("金额 4201.04 万元，代码 4201041", "金额 4201.04 万元，代码 4201041"),  # not a project code
    ("硌口区统计局", "江岸区统计局"),  # 硚口's look-alike would make the filing 硚口's: not elsewhere
    ("硃口区统计局", "江岸区统计局"),
])
def test_localiser_renames_what_prints_the_district(text, expected):
    assert localiser("420102", "江岸区").text(text) == expected


def test_the_sample_district_is_not_localised():
    assert localiser("420104", "硚口区") is None and localiser(None, None) is None


def test_a_later_districts_portal_prints_its_own_name_and_code():
    from demo.portal import site_content

    d = districts(2)[1]
    filings, truth, meta = site_content("district", seed=d.seed, region_code=d.code, region_name=d.name)
    assert (len(filings), meta["region_code"], meta["region"]) == (269, "420102", "江岸区")
    assert {f.region_code for f in filings} == {"420102"}
    text = "".join(f.title + f.department + f.body + "".join(a.link_text for a in f.attachments) for f in filings)
    assert "硚口" not in text and text.count("江岸区") > 269
    dept = next(f for f in filings if f.department_code == "118" and f.fiscal_year == 2026 and f.kind == "预算")
    assert dept.title == "江岸区城市运行管理中心2026年部门预算公开"  # composed, not the seed PDF of 硚口
    codes = {m for f in filings for a in f.attachments if hasattr(a.write, "args")
             for m in re.findall(r"\d{11}T\d{9}", str(a.write.args[1]))}
    assert codes and {c[:6] for c in codes} == {"420102"}
    # 硚口's look-alikes (硌口区, 硃口区) resolve to 420104: none may print in another district
    printed = "".join(str(a.write.args[1]) for f in filings for a in f.attachments if hasattr(a.write, "args"))
    assert "硌口" not in printed and "硃口" not in printed
    assert [(t["department_code"], t["fiscal_year"]) for t in truth if t["rule_id"] == "D4"] == []


def test_approval_dates_of_the_later_districts():
    rows = approval_rows(districts(3))
    assert [(r[0], r[1], r[2], str(r[3])) for r in rows] == [
        ("420102", 2024, "预算", "2024-01-09"), ("420102", 2025, "预算", "2025-01-08"), ("420102", 2026, "预算", "2026-01-06"),
        ("420103", 2024, "预算", "2024-01-09"), ("420103", 2025, "预算", "2025-01-08"), ("420103", 2026, "预算", "2026-01-06")]


def test_registering_approvals_is_idempotent(tmp_path):
    import duckdb

    db = tmp_path / "budget.duckdb"
    assert register_approvals(db, districts(1)) == 0
    assert register_approvals(db, districts(2)) == 3
    assert register_approvals(db, districts(2)) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM approval_dates WHERE region_code = '420102'").fetchone()[0] == 3
    con.close()


@pytest.mark.parametrize("name, code", [("江岸区", "420102"), ("东西湖区", "420112"), ("新洲区", "420117"),
                                        ("硚口区", "420104")])
def test_every_wuhan_district_resolves_to_its_code(name, code):
    from extractors.canon import REGION_ALIASES

    assert REGION_ALIASES[name] == code
    # a district's own name comes before 武汉市 so its departments get the district's code
    assert list(REGION_ALIASES).index(name) < list(REGION_ALIASES).index("武汉市")


@pytest.mark.parametrize("n", ["0", "14"])
def test_demo_refuses_a_count_outside_the_city(tmp_path, capsys, n):
    from flows.cli import main

    assert main(["demo", "--districts", n, "--db", str(tmp_path / "budget.duckdb")]) == 2
    assert f"区的个数应在 1 到 13 之间（demo/city.yaml），收到 {n}" in capsys.readouterr().err
    assert not (tmp_path / "budget.duckdb").exists()
