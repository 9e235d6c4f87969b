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
from decimal import Decimal
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


def group_findings(findings: list[dict]) -> list[list[dict]]:
    """Findings in groups of one cause (`group_id`, warehouse/groups.sql), in first-seen order;
    the lead (most severe, then first) comes first in its group."""
    groups: dict[str, list[dict]] = {}
    for f in findings:
        key = f"{f['filing_id']}|{f.get('group_id') or f['rule_id'] + '|' + f['subject']}"
        groups.setdefault(key, []).append(f)
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    return [sorted(g, key=lambda f: rank.get(f.get("severity") or "", 9)) for g in groups.values()]


def _amount(f: dict) -> str:
    d = f.get("difference")
    if d is None:
        return ""
    try:
        return f"（差额 {abs(Decimal(str(d))):,.2f} 万元）"
    except ArithmeticError:
        return ""


def group_lines(group: list[dict], report_url: str | None) -> list[str]:
    """One line for the group (its cause, amount and key), the other members on one line, then
    the evidence pages of all members."""
    lead, rest = group[0], group[1:]
    sev = SEVERITY_ZH.get(lead.get("severity") or "", "?")
    title = f" {lead['rule_title']}" if lead.get("rule_title") else ""
    key = lead.get("group_id") or lead.get("review_key")
    tag = f"〔编号 {key}〕" if key else ""
    lines = [f"- 【{sev}】{lead['rule_id']}{title}：{lead.get('message') or ''}{_amount(lead)}{tag}"]
    if rest:
        lines.append(f"  另有 {len(rest)} 项核对因同一差异未通过："
                     + "；".join(f"{f['rule_id']} {f.get('message') or ''}" for f in rest))
    url = lead.get("source_url")
    links = [f"[{label}]({url}#page={page})" if url else label for label, page in _group_pages(group)]
    if url and not links:
        links.append(f"[原文]({url})")
    report = _report_link(report_url, lead["filing_id"])
    if report:
        links.append(f"[报告]({report})")
    if links:
        lines.append("  证据：" + " · ".join(links))
    return lines


def summary_lines(findings: list[dict]) -> list[str]:
    """The run summary's part on new findings: one line per cause group (issue 16)."""
    groups = group_findings(findings)
    lines = [f"本次新发现的不一致：{len(groups)} 项（{len(findings)} 项核对未通过）"]
    for g in groups:
        lead = g[0]
        where = f"{lead.get('department') or '（未识别部门）'} {_filing_label(lead)}"
        more = f"；另有 {len(g) - 1} 项核对因同一差异未通过" if len(g) > 1 else ""
        pages = "、".join(label for label, _ in _group_pages(g))
        lines.append(f"  {where} {lead['rule_id']}：{lead.get('message') or ''}{_amount(lead)}{more}"
                     + (f"（{pages}）" if pages else ""))
    return lines


def _group_pages(group: list[dict]) -> list[tuple[str, int]]:
    seen: list[tuple[str, int]] = []
    for f in group:
        for lp in evidence_pages(f.get("evidence")):
            if lp not in seen:
                seen.append(lp)
    return seen


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
    groups = group_findings(findings)
    by_dept: dict[str, list[list[dict]]] = {}
    for g in groups:
        by_dept.setdefault(g[0].get("department") or "（未识别部门）", []).append(g)
    parts = []
    if findings:
        # an inconsistency is a cause group; how many checks it failed is said when that differs
        checks = f"{len(findings)} 项核对未通过，" if len(findings) > len(groups) else ""
        parts.append(f"{len(groups)} 项新的不一致（{checks}{len(by_dept)} 个部门）")
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
        "核对只指出两处不一致，不判断哪一处有误。同一差异引起的多项核对合为一项；"
        "复核结论为误报或已说明的问题不再告警。",
    ]
    for dept, dept_groups in by_dept.items():
        lines += ["", f"## {dept}（{len(dept_groups)} 项）"]
        filings = list(dict.fromkeys(g[0]["filing_id"] for g in dept_groups))
        for fid in filings:
            mine = [g for g in dept_groups if g[0]["filing_id"] == fid]
            lines.append(f"**{_filing_label(mine[0][0])}**")
            for g in mine:
                lines += group_lines(g, report_url)
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
    lines += ["", "查询全部问题：`budgetwatch sql \"SELECT * FROM finding_groups\"`；"
              "记录复核结论：`budgetwatch review 编号 --status 已核实|已说明|误报 --note 说明 --by 姓名`"]
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


# ---------------------------------------------------------------- quiet sites

def quiet_site_message(q: dict) -> str:
    """One quiet column (warehouse/quiet_sites.sql row), as the operator should read it."""
    site = q["site"]
    where = f"站点 {site}" + (f" 栏目 {q['column_url']}" if (q.get("site_columns") or 1) > 1 else "")
    now = "本次列表为空" if not q["entries"] else f"本次列表只有 {q['entries']} 条"
    before = f"上次 {q['previous_entries']} 条" if q.get("previous_entries") else "此前没有列表不为空的记录"
    return f"{where} {now}（{before}），可能已改版，请运行 budgetwatch crawl --site {site} --check"


def compose_quiet_sites(quiet: list[dict], now: datetime | None = None) -> Digest | None:
    """An alarm for sites whose listing went empty or shrank: the profile may no longer match the
    portal, and a run that finds nothing there must not read as a quiet night."""
    if not quiet:
        return None
    now = now or datetime.now(timezone.utc)
    sites = list(dict.fromkeys(q["site"] for q in quiet))
    title = f"budgetwatch 站点可能已改版：{'、'.join(sites)}"
    lines = [f"# {title}", "",
             f"本次运行（{now.astimezone(CST):%Y-%m-%d %H:%M} 北京时间）以下站点栏目的列表为空或骤减，"
             "新公开的文件可能没有被抓取：", ""]
    lines += [f"- {quiet_site_message(q)}" for q in quiet]
    lines += ["", "检查命令会逐个说明哪个选择器没有匹配、条目现在在页面的什么位置；"
              "必要时用 `budgetwatch profile draft 栏目地址` 重新生成站点配置草稿。"]
    return Digest(digest_id=_key("site_quiet", [f"{q['run_id']}|{q['column_key']}" for q in quiet]),
                  kind="site_quiet", title=title, body="\n".join(lines) + "\n", n_items=len(quiet))
