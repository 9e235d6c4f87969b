"""Bad input gets an outcome code and a Chinese message, never an exception."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import extract_file, run_isolated
from extractors.model import OUTCOMES


def _pdf(path: Path, text: str | None = None, encrypt: str | None = None, rect: bool = False) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if text:
        c.setFont("Helvetica", 12)
        c.drawString(72, 700, text)
    if rect:
        for i in range(6):
            c.rect(72, 100 + 40 * i, 400, 30)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    render = pytest.importorskip("demo.render_pdf")
    return Path(render.build_seed_pdf(tmp_path_factory.mktemp("bad") / "seed.pdf"))


@pytest.mark.parametrize(
    "name, content, outcome, words",
    [
        ("empty.pdf", b"", "not_pdf", "为空"),
        ("page.pdf", b"<!DOCTYPE html><html><head><title>x</title></head></html>", "not_pdf", "HTML"),
        ("bom.pdf", b"\xef\xbb\xbf\n<html><body>404</body></html>", "not_pdf", "HTML"),
        ("sheet.pdf", b"PK\x03\x04" + b"\0" * 64, "not_pdf", "Excel"),
        ("junk.pdf", b"GIF89a" + b"\0" * 64, "not_pdf", "%PDF"),
        ("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, "truncated", "不完整"),
    ],
)
def test_sniffed_outcomes(tmp_path, name, content, outcome, words):
    path = tmp_path / name
    path.write_bytes(content)
    ex = extract_file(path)
    assert (ex.outcome, ex.facts, ex.tables) == (outcome, [], [])
    assert words in ex.outcome_detail
    assert len(ex.sha256) == 64


def test_truncated_download(tmp_path, seed_pdf):
    data = seed_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    ex = extract_file(cut)
    assert ex.outcome == "truncated" and "重新下载" in ex.outcome_detail


def test_encrypted(tmp_path):
    ex = extract_file(_pdf(tmp_path / "locked.pdf", text="secret", encrypt="pw"))
    assert ex.outcome == "encrypted" and "加密" in ex.outcome_detail


def test_textless_pdf_is_scanned(tmp_path):
    ex = extract_file(_pdf(tmp_path / "scan.pdf", rect=True))
    assert (ex.outcome, ex.pages) == ("scanned", 1)
    assert "OCR" in ex.outcome_detail


def test_pdf_without_budget_tables_is_not_budget(tmp_path):
    ex = extract_file(_pdf(tmp_path / "memo.pdf", text="Meeting notes, nothing about budgets here at all."))
    assert ex.outcome == "not_budget" and "未找到任何预算表" in ex.outcome_detail


def test_missing_file_is_reported(tmp_path):
    ex = extract_file(tmp_path / "nope.pdf")
    assert ex.outcome == "parse_error" and "无法读取" in ex.outcome_detail


# Both ways of starting the child: forked from the fork server (default) and a fresh interpreter.
CHILD_MODES = pytest.mark.parametrize("child", ["forkserver", "subprocess"])


@pytest.mark.slow
@CHILD_MODES
def test_isolated_matches_in_process(seed_pdf, child, monkeypatch):
    monkeypatch.setenv("BUDGETWATCH_EXTRACT_CHILD", child)
    a = extract_file(seed_pdf)
    b = run_isolated(seed_pdf, timeout_s=120)
    assert b.outcome == a.outcome == "ok"
    assert (b.facts, b.claims, b.meta, b.tables) == (a.facts, a.claims, a.meta, a.tables)


@CHILD_MODES
def test_isolated_timeout(seed_pdf, child, monkeypatch):
    monkeypatch.setenv("BUDGETWATCH_EXTRACT_CHILD", child)
    ex = run_isolated(seed_pdf, timeout_s=0.05)
    assert ex.outcome == "timeout" and "秒" in ex.outcome_detail


@CHILD_MODES
def test_isolated_memory_limit(seed_pdf, child, monkeypatch):
    monkeypatch.setenv("BUDGETWATCH_EXTRACT_CHILD", child)
    ex = run_isolated(seed_pdf, memory_mb=40)
    assert ex.outcome == "parse_error" and "40 MB" in ex.outcome_detail


def test_outcomes_are_the_contract():
    assert set(OUTCOMES) == {"ok", "scanned", "not_pdf", "truncated", "encrypted", "not_budget", "parse_error", "timeout"}
