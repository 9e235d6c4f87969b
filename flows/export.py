"""Export the public views to CSV, Parquet or one Excel workbook.

- Excel: one sheet per view with Chinese sheet names and headers; amounts are numbers
  (DECIMAL written as numeric cells with a 0.00 format), never text. Last, and the sheet the
  workbook opens on, 核对发现: the failing findings with the 状态 and 备注 columns staff fill
  in, read back by `budgetwatch review --import`.
- CSV: UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly.
- Parquet: DuckDB's COPY, which keeps DECIMAL(20, 6) as a Parquet decimal.
Every file is written beside its target and renamed into place, so a failed export
never leaves half a file where the last good one was.
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from warehouse import comments as dictionary

PUBLIC_VIEWS = ["documents", "filings", "facts", "filing_totals", "findings"]
# Further views exported when the warehouse has them.
OPTIONAL_VIEWS = ["rules", "coverage"]

# Chinese sheet names and headers for Excel, where staff read them: the data dictionary's
# (warehouse/dictionary.yaml, "sheets" and "headers"), beside each column's description.
ZH_HEADERS: dict[str, str] = dictionary.spec()["headers"]
ZH_SHEETS: dict[str, str] = dictionary.spec()["sheets"]
EXCEL_MAX_ROWS = 1_048_576


class ExportError(Exception):
    pass


def views_of(con) -> list[str]:
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [v for v in PUBLIC_VIEWS if v in have] + [v for v in OPTIONAL_VIEWS if v in have]


def export(db: Path, kind: str, dest: Path) -> list[Path]:
    """Write the public views as `kind` ('xlsx', 'csv' or 'parquet') to `dest` (a file for
    xlsx, a folder otherwise); return the files written."""
    if kind == "xlsx":
        return [_xlsx(Path(db), Path(dest))]
    if kind in ("csv", "parquet"):
        return _copy_out(Path(db), kind, Path(dest))
    raise ValueError(f"unknown export kind {kind}")


def _xlsx(db: Path, dest: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    from flows.readonly_sql import connect_for_reading

    con = connect_for_reading(db)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    wb = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3F0EA")
    try:
        for view in views_of(con):
            n = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
            if n + 1 > EXCEL_MAX_ROWS:
                raise ExportError(f"视图 {view} 有 {n} 行，超过 Excel 单表上限；请改用 --csv 或 --parquet 导出。")
            cur = con.execute(f"SELECT * FROM {view}")
            cols = [(d[0], str(d[1])) for d in cur.description]
            ws = wb.create_sheet(ZH_SHEETS.get(view, view)[:31])
            ws.freeze_panes = "A2"
            for i, (name, _) in enumerate(cols):
                ws.column_dimensions[_letter(i)].width = _width(name)
            ws.auto_filter.ref = f"A1:{_letter(len(cols) - 1)}{n + 1}"
            header = []
            for name, _ in cols:
                c = WriteOnlyCell(ws, value=ZH_HEADERS.get(name, name))
                c.font, c.fill = bold, fill
                header.append(c)
            ws.append(header)
            while batch := cur.fetchmany(5000):
                for row in batch:
                    ws.append([_cell(ws, v) for v in row])
        if _review_sheet(con, wb, bold, fill):  # after the views (their order is the export's contract),
            wb.active = len(wb.worksheets) - 1   # but the sheet Excel opens on
        wb.save(tmp)
        tmp.replace(dest)
    except BaseException:
        for ws in wb.worksheets:  # end the half-written sheets quietly and drop their temp files
            _discard(ws)
        raise
    finally:
        con.close()
        tmp.unlink(missing_ok=True)
    return dest


REVIEW_SHEET_SQL = Path(__file__).with_name("review_sheet.sql")
EDITABLE_FILL = "FFF4CC"  # the columns staff fill in, shaded so they find them


def _review_sheet(con, wb, bold, fill) -> bool:
    """The 核对发现 sheet, last in the workbook and the one it opens on: failing findings with the 状态 and 备注
    columns staff fill in and `budgetwatch review --import` reads back (issue 16)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from warehouse.reviews import STATUSES

    if "finding_review" not in {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}:
        return False  # a warehouse written before issue 16, opened read-only: nothing to review yet
    rows = con.execute(REVIEW_SHEET_SQL.read_text(encoding="utf-8")).fetchall()
    cols = [d[0] for d in con.description]
    if len(rows) + 1 > EXCEL_MAX_ROWS:
        raise ExportError(f"核对发现有 {len(rows)} 行，超过 Excel 单表上限；请改用 --csv 或 --parquet 导出。")
    ws = wb.create_sheet("核对发现")
    ws.freeze_panes = "B2"
    editable = {cols.index("状态"), cols.index("备注")}
    widths = {"编号": 14, "核对组": 13, "部门": 24, "说明": 60, "备注": 40, "原文": 40, "规则说明": 30}
    for i, name in enumerate(cols):
        ws.column_dimensions[_letter(i)].width = widths.get(name, 12)
    status_col = _letter(cols.index("状态"))
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False,
                        showErrorMessage=True, errorTitle="状态", error="请从列表中选择：" + "、".join(STATUSES))
    dv.add(f"{status_col}2:{status_col}{max(len(rows), 1) + 1}")
    ws.data_validations.append(dv)
    ws.auto_filter.ref = f"A1:{_letter(len(cols) - 1)}{len(rows) + 1}"
    header = []
    for i, name in enumerate(cols):
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        c.fill = PatternFill("solid", fgColor=EDITABLE_FILL) if i in editable else fill
        header.append(c)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    return True


def _discard(ws) -> None:
    try:
        ws.close()
    except Exception:  # the sheet is thrown away anyway
        pass
    out = getattr(getattr(ws, "_writer", None), "out", None)
    if isinstance(out, str) and os.path.exists(out):
        os.remove(out)


def _cell(ws, v):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(v, Decimal):  # a number in Excel, shown to the cent like the filings
        c = WriteOnlyCell(ws, value=v)
        c.number_format = "#,##0.00####"
        return c
    if isinstance(v, datetime):
        c = WriteOnlyCell(ws, value=v.replace(tzinfo=None))
        c.number_format = "yyyy-mm-dd hh:mm:ss"
        return c
    if isinstance(v, date):
        c = WriteOnlyCell(ws, value=v)
        c.number_format = "yyyy-mm-dd"
        return c
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, str) and v.startswith("="):  # text, never a formula Excel would run
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"
        return c
    return v


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _width(name: str) -> int:
    wide = {"sha256": 20, "source_url": 40, "message": 60, "evidence": 40, "outcome_detail": 40,
            "filing_id": 36, "row_label": 28, "column_label": 20, "department": 24, "title_zh": 40}
    return wide.get(name, 14)


def _copy_out(db: Path, kind: str, dest: Path) -> list[Path]:
    """CSV and Parquet through DuckDB's COPY (exact decimals; DECIMAL types kept in Parquet)."""
    from flows.readonly_sql import connect_for_reading

    dest.mkdir(parents=True, exist_ok=True)
    options = "FORMAT csv, HEADER true" if kind == "csv" else "FORMAT parquet"
    con = connect_for_reading(db, external_access=True)
    written = []
    try:
        for view in views_of(con):
            path = dest / f"{view}.{kind}"
            tmp = dest / f".{view}.{os.getpid()}.tmp.{kind}"
            try:
                con.execute(f"COPY (SELECT * FROM {view}) TO '{_sql_str(tmp)}' ({options})")
                if kind == "csv":  # a BOM, so Excel reads the file as UTF-8
                    data = tmp.read_bytes()
                    tmp.write_bytes(b"\xef\xbb\xbf" + data)
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
            written.append(path)
    finally:
        con.close()
    return written


def _sql_str(path: Path) -> str:
    return path.resolve().as_posix().replace("'", "''")
