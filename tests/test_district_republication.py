"""A corrected re-publication: the same detail page and attachment URL, new bytes, a later
发布日期 (the district's epoch 1). Served on the same port twice and crawled by the nightly
flow, it must become a second document at the same URL and a new version of the filing
whose A4 fault is gone."""
from __future__ import annotations

import socket

import duckdb
import pytest

from demo.district.district import REPUBLISHED, district
from demo.portal import build_site
from demo.server import serve
from flows.nightly import nightly

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("republication")
    sites = []
    for epoch in (0, 1):
        keep = [f for f in district(epoch=epoch).filings
                if (f.department_code, f.fiscal_year) == REPUBLISHED and f.unit_scope == "部门"]
        sites.append((build_site(tmp / "build", filings=keep), keep[0]))
    db = tmp / "data" / "budget.duckdb"
    port = _free_port()
    for site, _ in sites:
        with serve(site, port=port) as base:
            nightly(sites=["sample"], db=str(db), start_urls={"sample": base + "zwgk/czyjs/index.html"})
    con = duckdb.connect(str(db), read_only=True)
    yield sites, con
    con.close()


def test_same_urls_new_bytes_later_date(runs):
    ((s0, f0), (s1, f1)), _ = runs
    assert f0.detail_path == f1.detail_path
    path = f"zwgk/czyjs/{f0.folder}/{f0.attachments[0].file_name}"
    assert f1.attachments[0].file_name == f0.attachments[0].file_name
    assert (s0 / path).read_bytes() != (s1 / path).read_bytes()
    assert f1.published_at > f0.published_at


def test_both_versions_are_documents_at_one_url(runs):
    ((_, f0), _), con = runs
    rows = con.execute("""SELECT d.outcome, count(DISTINCT s.sha256) FROM doc_source s JOIN documents d USING (sha256)
                          WHERE s.source_url LIKE ? GROUP BY 1""", ["%" + f0.attachments[0].file_name]).fetchall()
    assert rows == [("ok", 2)]


def test_the_corrected_version_no_longer_fails_a4(runs):
    _, con = runs
    versions = con.execute("""SELECT filing_id, published_at::VARCHAR, version, is_current FROM filing_versions
                              WHERE department_code = ? AND fiscal_year = ? ORDER BY published_at""",
                           list(REPUBLISHED)).fetchall()
    assert len(versions) == 2 and versions[0][1] < versions[1][1]
    assert [v[2:] for v in versions] == [(1, False), (2, True)]
    fails = dict(con.execute("""SELECT filing_id, count(*) FILTER (WHERE rule_id = 'A4' AND outcome = 'fail')
                                FROM findings_all_versions GROUP BY 1""").fetchall())
    assert fails.get(versions[0][0], 0) >= 1, "the first publication's A4 fault was not reported"
    assert fails.get(versions[1][0], 0) == 0


def test_the_first_publications_a4_fails_are_resolved_by_the_correction(runs):
    _, con = runs
    (versions,) = con.execute("""SELECT list(filing_id ORDER BY version) FROM filing_versions
                                 WHERE department_code = ? AND fiscal_year = ?""", list(REPUBLISHED)).fetchone()
    old, new = versions
    resolved = con.execute("""SELECT DISTINCT filing_id, resolved_by FROM resolved_findings WHERE rule_id = 'A4'""").fetchall()
    assert resolved == [(old, new)]
    assert con.execute("""SELECT count(*) FROM findings WHERE filing_id = ? AND rule_id = 'A4' AND outcome = 'fail'""",
                       [new]).fetchone()[0] == 0
