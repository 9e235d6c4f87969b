"""Compose the nightly digest: new inconsistencies grouped by department, in Chinese.

The digest says what is new since the last run and nothing else (domain.md: users
"want to be told only about what is new"), with a link from each finding to the PDF page
its evidence is on.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flows.settings import SEVERITIES

HERE = Path(__file__).resolve().parent
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
CST = timezone(timedelta(hours=8), "北京时间")


@dataclass
class Digest:
    digest_id: str
    kind: str  # findings | run_failed
    title: str
    body: str
    n_items: int
    findings: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)


def sql(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _rows(cur) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def new_findings(con, since: datetime) -> list[dict]:
    """Failing findings first seen at or after `since` (naive UTC), any severity."""
    return _rows(con.execute(sql("new_findings.sql"), {"since": since}))


def new_unreadable(con, known_sha256: list[str]) -> list[dict]:
    return _rows(con.execute(sql("new_documents.sql"), {"known": list(known_sha256)}))


def review_needed(con, filing_ids: list[str]) -> list[dict]:
    """Filings of this run whose tables were misread (需人工核对): no alert, a reading to do."""
    return _rows(con.execute(sql("review_needed.sql"), {"filings": list(filing_ids)}))


def at_least(severity: str | None, minimum: str) -> bool:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return rank.get(severity or "", len(SEVERITIES)) >= rank[minimum]


def evidence_pages(evidence) -> list[tuple[str, int]]:
    """(label, page) for every place the evidence points at, in order, without repeats."""
    try:
        data = json.loads(evidence) if isinstance(evidence, str) else evidence
    except ValueError:
        return []
    found: list[tuple[str, int]] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            page = node.get("page")
            if isinstance(page, int) and page > 0:
                where = node.get("table") or ("说明" if node.get("source") == "narrative" else None)
                label = f"{_table_zh(where)} 第 {page} 页" if where else f"第 {page} 页"
                if (label, page) not in found:
                    found.append((label, page))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return found


def _table_zh(kind: str | None) -> str:
    if not kind:
        return ""
    if kind == "说明":
        return "情况说明"
    return "表" + kind[1:] if kind.startswith("T") and kind[1:2].isdigit() else kind


def _report_link(report_url: str | None, filing_id: str) -> str | None:
    if not report_url:
        return None
    base = report_url if report_url.endswith(".html") else report_url.rstrip("/") + "/index.html"
    return f"{base}#findings"


def _filing_label(f: dict) -> str:
    year = f"{f['fiscal_year']} 年" if f.get("fiscal_year") else ""
    return f"{year}{f.get('unit_scope') or ''}{f.get('kind') or ''}".strip() or f["filing_id"]


def _finding_lines(f: dict, report_url: str | None) -> list[str]:
    sev = SEVERITY_ZH.get(f.get("severity") or "", "?")
    title = f" {f['rule_title']}" if f.get("rule_title") else ""
    lines = [f"- 【{sev}】{f['rule_id']}{title}：{f.get('message') or ''}"]
    links = []
    url = f.get("source_url")
    for label, page in evidence_pages(f.get("evidence")):
        links.append(f"[{label}]({url}#page={page})" if url else label)
    if url and not links:
        links.append(f"[原文]({url})")
    report = _report_link(report_url, f["filing_id"])
    if report:
        links.append(f"[报告]({report})")
    if links:
        lines.append("  证据：" + " · ".join(links))
    return lines


def _key(kind: str, parts: list[str]) -> str:
    h = hashlib.sha256(kind.encode())
    for p in sorted(parts):
        h.update(b"\0" + p.encode())
    return h.hexdigest()[:24]


def compose(findings: list[dict], documents: list[dict], min_severity: str, report_url: str | None = None,
            now: datetime | None = None, review: list[dict] | None = None) -> Digest | None:
    """One digest for one run, or None when there is nothing new worth sending.

    ``review``: filings whose tables were misread (需人工核对); listed apart, never as findings.
    """
    findings = [f for f in findings if at_least(f.get("severity"), min_severity)]
    review = list(review or [])
    if not findings and not documents and not review:
        return None
    now = now or datetime.now(timezone.utc)
    by_dept: dict[str, list[dict]] = {}
    for f in findings:
        by_dept.setdefault(f.get("department") or "（未识别部门）", []).append(f)
    parts = []
    if findings:
        parts.append(f"{len(findings)} 项新的不一致（{len(by_dept)} 个部门）")
    if documents:
        parts.append(f"{len(documents)} 个文件无法读取")
    if review:
        parts.append(f"{len(review)} 份文件需人工核对")
    title = "budgetwatch 预算公开核对：" + "，".join(parts)
    lines = [
        f"# {title}",
        "",
        f"本次运行（{now.astimezone(CST):%Y-%m-%d %H:%M} 北京时间）首次发现以下问题；"
        f"只列出严重程度不低于「{SEVERITY_ZH[min_severity]}」的新问题，已报告过的不再重复。"
        "核对只指出两处不一致，不判断哪一处有误。",
    ]
    for dept, items in by_dept.items():
        lines += ["", f"## {dept}（{len(items)} 项）"]
        filings = list(dict.fromkeys(f["filing_id"] for f in items))
        for fid in filings:
            group = [f for f in items if f["filing_id"] == fid]
            lines.append(f"**{_filing_label(group[0])}**")
            for f in group:
                lines += _finding_lines(f, report_url)
    if documents:
        lines += ["", f"## 无法读取的文件（{len(documents)} 个）"]
        for d in documents:
            name = d.get("title") or d.get("source_url") or d["sha256"][:12]
            link = f"[{name}]({d['source_url']})" if d.get("source_url") else name
            lines.append(f"- {link}：{d['outcome']}——{d.get('outcome_detail') or ''}")
    if review:
        lines += ["", f"## 需人工核对（{len(review)} 份）",
                  "以下文件的表格读取未通过自检（多处表内合计不平且差额各不相同，多为读错行列），"
                  "相关核对一律记为“无法核对”，未作告警；请对照原文件人工核对。"]
        for r in review:
            name = f"{r.get('department') or '（未识别部门）'} {_filing_label(r)}"
            link = f"[{name}]({r['source_url']})" if r.get("source_url") else name
            lines.append(f"- {link}：{r.get('reason') or ''}")
    lines += ["", "查询全部问题：`budgetwatch sql \"SELECT * FROM findings WHERE outcome = 'fail'\"`"]
    keys = ([f"{f['filing_id']}|{f['rule_id']}|{f['subject']}" for f in findings] + [d["sha256"] for d in documents]
            + [f"review|{r['filing_id']}" for r in review])
    return Digest(
        digest_id=_key("findings", keys),
        kind="findings",
        title=title,
        body="\n".join(lines) + "\n",
        n_items=len(findings) + len(documents) + len(review),
        findings=findings,
        documents=documents,
        review=review,
    )


def compose_run_failed(flow_run_id: str, flow_run_name: str, message: str, ui_url: str | None = None,
                       now: datetime | None = None) -> Digest:
    now = now or datetime.now(timezone.utc)
    title = f"budgetwatch 每晚运行失败：{flow_run_name}"
    lines = [
        f"# {title}",
        "",
        f"运行 {flow_run_name}（{flow_run_id}）于 {now.astimezone(CST):%Y-%m-%d %H:%M} 北京时间失败，"
        "本次的新数据可能未入库，新问题可能未告警；下次运行会补上。",
        "",
        f"原因：{message or '（无说明）'}",
    ]
    if ui_url:
        lines += ["", f"[在 Prefect 界面查看日志]({ui_url.rstrip('/')}/runs/flow-run/{flow_run_id})"]
    return Digest(digest_id=_key("run_failed", [flow_run_id]), kind="run_failed", title=title,
                  body="\n".join(lines) + "\n", n_items=1)
