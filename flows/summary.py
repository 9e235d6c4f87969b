"""A short Chinese summary of the warehouse that a person can act on."""
from __future__ import annotations

from pathlib import Path


def summarize(con, db_path: Path | None = None, run: dict | None = None) -> str:
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    lines: list[str] = []
    if run:
        lines.append(
            f"本次运行：发现文件 {run.get('files', 0)} 个（不同内容 {run.get('unique', 0)} 个），"
            f"新解析 {run.get('parsed', 0)} 个，共 {run.get('pages', 0)} 页，用时 {run.get('seconds', 0):.1f} 秒。"
        )
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
    if db_path is not None:
        lines.append(f"数据库：{Path(db_path).resolve()}")
        lines.append(f"查询示例：budgetwatch sql \"SELECT rule_id, message FROM findings WHERE outcome = 'fail'\"")
    return "\n".join(lines)
