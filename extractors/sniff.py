"""What a file really is, from its first bytes, before any parser sees it."""
from __future__ import annotations

from pathlib import Path


def sniff(path: Path) -> tuple[str, str | None, str]:
    """(media_type, outcome_if_rejected, Chinese detail). outcome is None for a PDF worth parsing."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        return "application/octet-stream", "not_pdf", "文件为空（0 字节），不是 PDF。"
    if b"%PDF-" in head[:1024]:
        return "application/pdf", None, ""
    if head.startswith(b"PK\x03\x04"):
        return ("application/zip", "not_pdf",
                "文件是 ZIP/Excel（xlsx）格式而不是 PDF，请用表格提取器处理。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "application/x-ole-storage", "not_pdf", "文件是旧版 Office（xls/doc）格式而不是 PDF。"
    lower = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lower.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<!--")) or b"<html" in lower[:1024]:
        return ("text/html", "not_pdf",
                "文件扩展名为 .pdf，但内容是 HTML 网页（可能是网站返回的页面而非附件），请检查下载链接。")
    return "application/octet-stream", "not_pdf", "文件开头没有 PDF 标识（%PDF），无法识别为 PDF。"


def has_eof_marker(path: Path) -> bool:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 2048))
        return b"%%EOF" in fh.read()
