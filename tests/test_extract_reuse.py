"""An extraction child that reads several documents reads each as a fresh child would
(extractors/reuse.py): the same Extraction, and a failure taken only from a fresh child."""
from __future__ import annotations

import logging

import pytest

from benchmarks.hostile import kids_loop, plain_page
from extractors import run_isolated
from extractors.isolate import child_usage
from extractors.reuse import _workers, reused_children
from extractors.warmup import WARMUP_PDF

TIMEOUT_S = 60


def _plain(ex) -> dict:
    d = ex.to_dict()
    d.pop("seconds")  # wall-clock time
    return d


@pytest.fixture
def files(tmp_path):
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(plain_page())
    html = tmp_path / "page.pdf"
    html.write_text("<html><body>预算</body></html>", "utf-8")
    return [WARMUP_PDF, plain, html, WARMUP_PDF]


def test_one_child_reads_a_threads_documents_as_fresh_children_do(files):
    fresh = [run_isolated(f, timeout_s=TIMEOUT_S) for f in files]
    before = child_usage()["children"]
    with reused_children():
        again = [run_isolated(f, timeout_s=TIMEOUT_S) for f in files]
    assert child_usage()["children"] - before == 1
    assert [e.outcome for e in again] == ["ok", "not_budget", "not_pdf", "ok"]
    assert [_plain(e) for e in again] == [_plain(e) for e in fresh]
    assert not _workers  # closed with the block


def test_a_changed_environment_gets_a_new_child(files, monkeypatch):
    # a child keeps the environment it was started with: the settings it reads come from there
    before = child_usage()["children"]
    with reused_children():
        run_isolated(files[1], timeout_s=TIMEOUT_S)
        monkeypatch.setenv("BUDGETWATCH_OCR_PAGES", "3")
        run_isolated(files[1], timeout_s=TIMEOUT_S)
        run_isolated(files[1], timeout_s=TIMEOUT_S)
    assert child_usage()["children"] - before == 2


def test_a_failure_after_earlier_documents_is_taken_from_a_fresh_child(files, tmp_path, caplog):
    # A child that has read earlier documents has less room than a fresh one: its failure
    # could be theirs. The document is read again in a fresh child, whose outcome counts.
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(kids_loop(two_node=True))
    fresh = run_isolated(broken, timeout_s=TIMEOUT_S)
    assert fresh.outcome == "parse_error"
    with caplog.at_level(logging.INFO, logger="extractors.reuse"), reused_children():
        first = run_isolated(broken, timeout_s=TIMEOUT_S)  # a child's first document: its answer stands
        assert "fresh child" not in caplog.text
        run_isolated(files[1], timeout_s=TIMEOUT_S)
        again = run_isolated(broken, timeout_s=TIMEOUT_S)
        assert "failed in a child that had read 1 documents (parse_error); reading it in a fresh child" in caplog.text
        after = run_isolated(files[0], timeout_s=TIMEOUT_S)  # the failed child is gone; a new one reads on
    assert _plain(first) == _plain(again) == _plain(fresh)
    assert after.outcome == "ok"
