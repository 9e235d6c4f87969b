"""A short Chinese summary of the warehouse that a person can act on."""
from __future__ import annotations

from pathlib import Path


def summarize(con, db_path: Path | None = None, run: dict | None = None) -> str:
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    lines: list[str] = []
    if run:
        lines.append(
            f"本次运行：发现文件 {run.get('files', 0)} 个（不同内容 {run.get('unique', 0)} 个），"
            f"新解析 {run.get('parsed', 0)} 个，共 {run.get('pages', 0)} 页"
            + (f"，用时 {run['seconds']:.1f} 秒。" if "seconds" in run else "。")
        )
        lines += run_lines(run)
    (n_docs,) = q("SELECT count(*) FROM documents")[0]
    outcomes = q("SELECT outcome, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC")
    lines.append(f"文档：{n_docs} 个（" + "，".join(f"{o} {n}" for o, n in outcomes) + "）")
    bad = q("SELECT source_url, outcome, outcome_detail FROM documents WHERE outcome <> 'ok' ORDER BY 1 LIMIT 10")
    for url, outcome, detail in bad:
        lines.append(f"  无法读取：{url} — {outcome}：{detail}")
    (n_filings,) = q("SELECT count(*) FROM filings")[0]
    lines.append(f"公开文件（filings）：{n_filings} 份")
    by_outcome = dict(q("SELECT outcome, count(*) FROM findings GROUP BY 1"))
    lines.append(
        "检查结果：" + "，".join(f"{k} {by_outcome.get(k, 0)}" for k in ("fail", "pass", "insufficient_data", "not_applicable", "error"))
    )
    fails = q(
        """SELECT f.rule_id, count(*) AS n, string_agg(DISTINCT fl.department, '、') AS depts
           FROM findings f JOIN filings fl USING (filing_id)
           WHERE f.outcome = 'fail' GROUP BY 1 ORDER BY 1"""
    )
    if fails:
        lines.append("未通过的规则：")
        for rule, n, depts in fails:
            lines.append(f"  {rule}: {n} 项（{depts}）")
    else:
        lines.append("未发现不一致。")
    lines += review_lines(con)
    if db_path is not None:
        lines.append(f"数据库：{Path(db_path).resolve()}")
        lines.append("查询示例：budgetwatch sql \"SELECT rule_id, message FROM findings WHERE outcome = 'fail'\"")
    return "\n".join(lines)


def review_lines(con, limit: int = 10) -> list[str]:
    """需人工核对: filings whose tables were misread; their rules said insufficient_data, not fail."""
    rows = con.execute("SELECT department, fiscal_year, kind, reason FROM review_needed "
                       "ORDER BY department, fiscal_year, filing_id").fetchall()
    if not rows:
        return []
    lines = [f"需人工核对：{len(rows)} 份文件的表格读取未通过自检，相关核对记为无法核对、未告警："]
    for dept, year, kind, reason in rows[:limit]:
        lines.append(f"  {dept or '（未识别部门）'} {year or ''} {kind or ''}：{reason}")
    if len(rows) > limit:
        lines.append(f"  ……另有 {len(rows) - limit} 份：budgetwatch sql \"SELECT * FROM review_needed\"")
    return lines


SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}


def run_lines(run: dict) -> list[str]:
    """What this run saw for the first time, and what happened to its alerts."""
    lines = []
    if "new_filings" in run:
        lines.append(f"本次新增公开文件：{len(run['new_filings'])} 份")
    if "new_findings" in run:
        from flows.alerts.digest import summary_lines

        lines += summary_lines(run["new_findings"])  # one line per cause group (issue 16)
    for d in run.get("new_unreadable", []):
        lines.append(f"  新的无法读取文件：{d.get('source_url') or d['sha256'][:12]} — {d['outcome']}：{d.get('outcome_detail') or ''}")
    for e in run.get("load_errors", []):
        lines.append(f"  入库失败：{e.get('source_url') or e['sha256'][:12]} — {e['error']}")
    for site in run.get("failed_sites", []):
        lines.append(f"  抓取失败的站点：{site}")
    lines += quiet_site_lines(run)
    alerts = run.get("alerts")
    if alerts is not None and run.get("alert_targets") == 0:
        lines.append("告警：未配置告警地址（BUDGETWATCH_ALERT_URLS 或 Prefect Secret 块 budgetwatch-alert-urls），新问题只记录在库中。")
    elif alerts is not None:
        if run.get("digest"):
            lines.append(f"告警摘要：{run['digest']['title']}")
        lines.append(
            f"告警发送：成功 {alerts.get('delivered', 0)} 份，失败 {alerts.get('failed', 0)} 份（下次运行重发）"
            + (f"，{alerts['unconfigured']} 份的目标已不在配置中" if alerts.get("unconfigured") else "")
        )
        for err in alerts.get("errors", []):
            lines.append(f"  {err}")
    return lines


def quiet_site_lines(run: dict) -> list[str]:
    """Sites whose listing went empty or shrank (the nightly's quiet-site alarm): an error."""
    from flows.alerts.digest import quiet_site_message

    return [f"  错误：{quiet_site_message(q)}" for q in run.get("quiet_sites", [])]


def run_markdown(run: dict, text: str) -> str:
    """The Prefect markdown artifact of a run: new filings, new findings by rule and department,
    documents that could not be read, then the warehouse summary."""
    md = ["# budgetwatch 每晚运行", ""]
    md.append(f"文件 {run.get('files', 0)} 个，新解析 {run.get('parsed', 0)} 个（{run.get('pages', 0)} 页），"
              f"执行器 {run.get('task_runner', '')}。")
    md += ["", f"## 新增公开文件（{len(run.get('new_filings', []))}）"]
    for f in run.get("new_filings", []):
        link = f"[{f.get('department') or f['filing_id']}]({f['source_url']})" if f.get("source_url") else f["filing_id"]
        md.append(f"- {link} {f.get('fiscal_year') or ''} {f.get('unit_scope') or ''}{f.get('kind') or ''}")
    found = run.get("new_findings", [])
    md += ["", f"## 新发现的不一致（{len(found)}）"]
    if found:
        md += ["", "| 规则 | 部门 | 项数 |", "|---|---|---|"]
        counts: dict[tuple, int] = {}
        for f in found:
            key = (f["rule_id"], f.get("department") or "？")
            counts[key] = counts.get(key, 0) + 1
        md += [f"| {r} | {d} | {n} |" for (r, d), n in sorted(counts.items())]
    bad = run.get("new_unreadable", [])
    md += ["", f"## 无法读取的文件（{len(bad)}）"]
    md += [f"- {d.get('source_url') or d['sha256'][:12]}：{d['outcome']}——{d.get('outcome_detail') or ''}" for d in bad]
    for e in run.get("load_errors", []):
        md.append(f"- 入库失败：{e.get('source_url') or e['sha256'][:12]}——{e['error']}")
    md += ["", "## 仓库摘要", "", "```", text, "```"]
    return "\n".join(md)


def findings_table(run: dict) -> list[dict]:
    """The Prefect table artifact: one row per new finding, with a link to its evidence page."""
    from flows.alerts.digest import evidence_pages

    rows = []
    for f in run.get("new_findings", []):
        pages = evidence_pages(f.get("evidence"))
        url = f.get("source_url") or ""
        rows.append({
            "部门": f.get("department") or "",
            "年度": f.get("fiscal_year") or "",
            "规则": f["rule_id"],
            "严重程度": SEVERITY_ZH.get(f.get("severity") or "", ""),
            "说明": f.get("message") or "",
            "证据": f"{url}#page={pages[0][1]}" if url and pages else url,
            "filing_id": f["filing_id"],
        })
    return rows
