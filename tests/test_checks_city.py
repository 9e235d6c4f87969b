"""Cross-department rules compare a department only with its own district (issue 17).

Two districts of one city in one warehouse: E6's peers and E5's code reuse stay within a
region_code. The same department placed in either district flips between outlier and not.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
from decimal import Decimal

import pytest

from fixtures.warehouse.seed_extraction import SEED_SOURCE, seed_extraction
from warehouse.checks import run_checks
from warehouse.db import connect
from warehouse.load import load_extraction

SEED_X = seed_extraction()
QIAOKOU, JIANGAN = "420104", "420102"
# staff per department: 硚口 around 16, 江岸 2 to 4 (the same personnel cost, so 4 to 8 times per head)
QIAOKOU_STAFF = [16, 17, 15, 16, 18, 14, 16, 17]
JIANGAN_STAFF = [2, 3, 2, 3, 4, 2, 3, 3]


def department(region: str, code: str, staff: int | None = None, project_label: str | None = None):
    """The seed filing as department `code` of `region`, with a head count in its narrative."""
    x = copy.deepcopy(SEED_X)
    x.sha256 = hashlib.sha256(f"{region}-{code}-{staff}-{project_label}".encode()).hexdigest()
    name = {QIAOKOU: "硚口区", JIANGAN: "江岸区"}[region] + f"测试局{code}"
    x.meta = dataclasses.replace(x.meta, region_code=region, department_code=code, department=name, names_seen=[name])
    if staff is not None:
        x.claims.append(dataclasses.replace(x.claims[0], kind="staff", subject="staff:total", label="人员构成",
                                            amount_wan=Decimal(staff), percent=None))
    if project_label is not None:
        for f in x.facts:
            if f.table_kind == "T10" and len(f.row_code) > 11 and f.row_code[11] == "T":
                f.row_label = project_label
    return x


def warehouse(*extractions):
    con = connect(":memory:")
    for i, x in enumerate(extractions):
        load_extraction(con, x, dict(SEED_SOURCE, source_url=f"http://sample.local/{i}.pdf"))
    run_checks(con)
    return con


def e6(con, region: str, code: str) -> tuple[str, str]:
    return con.execute(
        "SELECT f.outcome, f.message FROM findings f JOIN filings g USING (filing_id) "
        "WHERE f.rule_id = 'E6' AND f.subject = 'personnel_per_staff' AND g.region_code = ? AND g.department_code = ?",
        [region, code]).fetchone()


@pytest.fixture(scope="module")
def city_in_two():
    """The odd department (staff 2) in 硚口 among departments of 16: an outlier there only."""
    xs = [department(QIAOKOU, f"{101 + i}", s) for i, s in enumerate(QIAOKOU_STAFF)]
    xs += [department(JIANGAN, f"{101 + i}", s) for i, s in enumerate(JIANGAN_STAFF)]
    xs.append(department(QIAOKOU, "199", 2))
    con = warehouse(*xs)
    yield con
    con.close()


@pytest.mark.parametrize("region, code, outcome, peers", [
    (QIAOKOU, "199", "fail", 9),   # 2 staff among 硚口's 16s: an outlier of its own district
    (QIAOKOU, "101", "pass", 9),
    (JIANGAN, "101", "pass", 8),   # 江岸's 8 departments are their own peers, not 硚口's 9
    (JIANGAN, "103", "pass", 8),
])
def test_e6_peers_are_the_departments_of_the_same_district(city_in_two, region, code, outcome, peers):
    got, message = e6(city_in_two, region, code)
    assert got == outcome
    assert f"同侪 {peers} 个部门" in message


def test_e6_the_same_department_among_its_own_districts_peers_is_no_outlier():
    """Moved to 江岸 (where departments of 2 or 3 staff are the rule) it is not an outlier."""
    xs = [department(QIAOKOU, f"{101 + i}", s) for i, s in enumerate(QIAOKOU_STAFF)]
    xs += [department(JIANGAN, f"{101 + i}", s) for i, s in enumerate(JIANGAN_STAFF)]
    xs.append(department(JIANGAN, "199", 2))
    con = warehouse(*xs)
    got, message = e6(con, JIANGAN, "199")
    assert (got, "同侪 9 个部门" in message) == ("pass", True)
    assert e6(con, QIAOKOU, "101")[1].count("同侪 8 个部门") == 1


def e5_reuse(con, region: str) -> int:
    """E5 findings of the district's filings that name the code's use in another filing."""
    return con.execute(
        "SELECT count(*) FROM findings f JOIN filings g USING (filing_id) "
        "WHERE f.rule_id = 'E5' AND g.region_code = ? AND f.message LIKE '%同一编码在其他文件中%'", [region]).fetchone()[0]


@pytest.mark.parametrize("other_region, reused", [(JIANGAN, False), (QIAOKOU, True)])
def test_e5_a_code_reused_under_another_name_is_found_within_the_district_only(other_region, reused):
    con = warehouse(department(QIAOKOU, "118"), department(other_region, "118" if other_region != QIAOKOU else "119",
                                                           project_label="另一个项目"))
    n = e5_reuse(con, QIAOKOU)
    assert (n > 0) is reused
