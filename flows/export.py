"""Export the public views to CSV, Parquet or one Excel workbook."""
from __future__ import annotations

from pathlib import Path

PUBLIC_VIEWS = ["documents", "filings", "facts", "filing_totals", "findings"]

# Chinese headers for Excel, where staff read them.
ZH_HEADERS = {
    "sha256": "文件SHA256", "source_url": "来源地址", "fetched_at": "抓取时间", "media_type": "文件类型",
    "pages": "页数", "outcome": "结果", "outcome_detail": "说明", "filing_id": "公开文件ID",
    "region_code": "行政区划代码", "department": "部门", "department_code": "部门编码", "unit_scope": "部门/单位",
    "fiscal_year": "年度", "kind": "预算/决算", "template": "模板", "published_at": "发布日期",
    "table_kind": "表", "row_code": "行编码", "row_label": "行名称", "column_label": "列", "amount_wan": "金额（万元）",
    "printed_value": "原文数值", "printed_unit": "原文单位", "page": "页码", "bbox": "位置",
    "income_total": "收入总计", "expenditure_total": "支出总计", "fiscal_appropriation": "财政拨款收入",
    "general_budget_appropriation": "一般公共预算拨款收入", "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出", "personnel_expenditure": "人员经费", "public_expenditure": "公用经费",
    "sangong_total": "三公经费合计", "sangong_abroad": "因公出国（境）费", "sangong_vehicle_purchase": "公务用车购置费",
    "sangong_vehicle_operation": "公务用车运行费", "sangong_reception": "公务接待费",
    "gov_fund_expenditure": "政府性基金支出", "rule_id": "规则", "severity": "严重程度", "message": "说明",
    "expected": "应为", "actual": "实际", "difference": "差额", "tolerance": "容差", "evidence": "证据",
    "first_seen": "首次发现", "last_seen": "最近发现",
}
ZH_SHEETS = {"documents": "文档", "filings": "公开文件", "facts": "数据", "filing_totals": "主要合计", "findings": "核对结果"}


def export(db: Path, kind: str, dest: Path) -> list[Path]:
    """Write the public views as `kind` ('xlsx', 'csv' or 'parquet') to `dest`."""
    if kind != "xlsx":
        return _copy_out(db, kind, dest)
    import pandas as pd

    from flows.readonly_sql import connect_readonly

    con = connect_readonly(db)
    try:
        frames = {v: con.execute(f"SELECT * FROM {v}").df() for v in PUBLIC_VIEWS}
    finally:
        con.close()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(dest, engine="openpyxl") as xw:
        for view, df in frames.items():
            df = df.copy()
            for col in df.columns:  # Excel cells hold no DECIMAL or list values
                if df[col].dtype == object:
                    df[col] = df[col].map(lambda v: v if v is None or isinstance(v, (str, int, float)) else str(v))
            df.rename(columns=ZH_HEADERS).to_excel(xw, sheet_name=ZH_SHEETS[view], index=False)
    return [dest]


def _copy_out(db: Path, kind: str, dest: Path) -> list[Path]:
    """CSV and Parquet through DuckDB's COPY, which keeps DECIMAL types in Parquet."""
    import duckdb

    if kind not in ("csv", "parquet"):
        raise ValueError(f"unknown export kind {kind}")
    dest.mkdir(parents=True, exist_ok=True)
    options = "FORMAT csv, HEADER true" if kind == "csv" else "FORMAT parquet"
    con = duckdb.connect(str(db), read_only=True)
    written = []
    try:
        for view in PUBLIC_VIEWS:
            path = dest / f"{view}.{kind}"
            con.execute(f"COPY (SELECT * FROM {view}) TO '{path.as_posix()}' ({options})")
            written.append(path)
    finally:
        con.close()
    return written
