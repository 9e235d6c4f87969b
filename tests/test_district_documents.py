"""Every file the sample district publishes ends as one ``documents`` row with the outcome
the generator meant (the failure cases included), and nothing is lost on the way."""
from __future__ import annotations

import duckdb
import pytest

from district_run import manifest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run(district_run):
    site, db = district_run
    con = duckdb.connect(str(db), read_only=True)
    yield manifest(site), con
    con.close()


def _attachments(man, variant=None):
    return [(f, a) for f in man["filings"] for a in f["attachments"] if variant in (None, f["variant"])]


FAILURES = ["scanned", "encrypted", "truncated", "error_page"]


@pytest.mark.parametrize("variant", FAILURES)
def test_failure_case_ends_with_its_outcome(run, variant):
    man, con = run
    (f, a), = _attachments(man, variant)
    rows = con.execute("SELECT outcome, outcome_detail, source_url FROM documents WHERE sha256 = ?",
                       [a["sha256"]]).fetchall()
    assert len(rows) == 1, f"{variant}: {a['path']} has {len(rows)} documents rows"
    outcome, detail, url = rows[0]
    assert outcome == a["expected_outcome"], f"{variant}: {outcome} ({detail})"
    assert detail and url.endswith(a["path"])
    # a document that could not be read is no filing
    assert con.execute("SELECT count(*) FROM filings WHERE sha256 = ?", [a["sha256"]]).fetchone()[0] == 0


def test_every_attachment_is_a_document(run):
    man, con = run
    known = {s for (s,) in con.execute("SELECT sha256 FROM documents").fetchall()}
    lost = [a["path"] for _, a in _attachments(man) if a["sha256"] not in known]
    assert lost == []


@pytest.mark.parametrize("variant", ["wuhan", "jiangan", "split", "xlsx", "yuan", "three_col", "long_repeat",
                                     "long_norepeat", "landscape", "duplicate", "republished", "final"])
def test_readable_variants_are_ok_filings(run, variant):
    man, con = run
    bad = []
    for f, a in _attachments(man, variant):
        row = con.execute("SELECT outcome, outcome_detail FROM documents WHERE sha256 = ?", [a["sha256"]]).fetchone()
        if row is None or row[0] != "ok":
            bad.append((a["path"], row))
    assert bad == []
    filed = con.execute("""SELECT DISTINCT department_code, fiscal_year, kind, unit_scope FROM filings
                           WHERE department_code IS NOT NULL""").fetchall()
    unfiled = [f["title"] for f, _ in _attachments(man, variant)
               if (f["department_code"], f["fiscal_year"], f["kind"], f["unit_scope"]) not in filed]
    assert unfiled == []


def test_tables_on_the_detail_page_are_stored_as_a_document(run):
    man, con = run
    pages = [f for f in man["filings"] if f["variant"] == "html"]
    assert len(pages) == 2
    for f in pages:
        n = con.execute("SELECT count(*) FROM documents WHERE source_url LIKE ?", ["%" + f["detail_path"]]).fetchone()[0]
        assert n == 1, f["detail_path"]


def test_the_same_file_under_two_urls_is_one_document_with_both_sources(run):
    man, con = run
    (f1, a1), (f2, a2) = _attachments(man, "duplicate")
    assert a1["sha256"] == a2["sha256"] and a1["path"] != a2["path"]
    assert con.execute("SELECT count(*) FROM documents WHERE sha256 = ?", [a1["sha256"]]).fetchone()[0] == 1
    urls = {u for (u,) in con.execute("SELECT source_url FROM doc_source WHERE sha256 = ?", [a1["sha256"]]).fetchall()}
    assert {u.split("/", 3)[-1] for u in urls} == {a1["path"].lstrip("/"), a2["path"].lstrip("/")}
    assert con.execute("SELECT count(*) FROM filings WHERE sha256 = ?", [a1["sha256"]]).fetchone()[0] == 1
