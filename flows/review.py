"""`budgetwatch review`: record staff's conclusions on findings, one by one or from the
核对发现 sheet of `budgetwatch export --xlsx` edited in Excel.

An import is all or nothing: every row is checked first and any error rejects the whole file
with one Chinese message per bad row (numbered as Excel numbers them); the changes are then
written in one transaction on a staging copy published atomically (warehouse.publish).
"""
from __future__ import annotations

import getpass
from pathlib import Path

from flows import settings
from warehouse.reviews import STATUSES, ReviewError, Target, record, resolve, set_status

SHEET = "核对发现"
KEY_COLUMN, STATUS_COLUMN, NOTE_COLUMN = "编号", "状态", "备注"


def default_reviewer() -> str:
    return settings.reviewer() or getpass.getuser()


def review_one(db: Path, key: str, status: str, note: str | None, by: str) -> list[Target]:
    from flows.runs import open_for_update

    with open_for_update(db) as con:
        return set_status(con, key, status, note, by)


def read_sheet(path: Path) -> list[tuple[int, str, str, str | None]]:
    """(Excel row number, key, status, note) of every non-empty row of the 核对发现 sheet."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as e:
        raise ReviewError(f"无法读取 Excel 文件 {path}：{e}") from None
    try:
        if SHEET not in wb.sheetnames:
            raise ReviewError(f"文件中没有“{SHEET}”工作表（现有：{'、'.join(wb.sheetnames)}）；"
                              "请导入 budgetwatch export --xlsx 生成并编辑过的文件")
        rows = wb[SHEET].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        missing = [c for c in (KEY_COLUMN, STATUS_COLUMN, NOTE_COLUMN) if c not in header]
        if missing:
            raise ReviewError(f"“{SHEET}”工作表缺少列：{'、'.join(missing)}（第 1 行应为表头）")
        ki, si, ni = (header.index(c) for c in (KEY_COLUMN, STATUS_COLUMN, NOTE_COLUMN))
        out = []
        for n, row in enumerate(rows, start=2):
            cells = list(row) + [None] * (len(header) - len(row))
            if all(v is None or str(v).strip() == "" for v in cells):
                continue
            text = lambda v: "" if v is None else str(v).strip()  # noqa: E731
            out.append((n, text(cells[ki]), text(cells[si]), text(cells[ni]) or None))
        return out
    finally:
        wb.close()


def import_sheet(db: Path, path: Path, by: str) -> dict:
    """Apply the edited sheet; returns {'changed': n, 'unchanged': m}. Raises ReviewError with
    every bad row listed, having changed nothing."""
    from flows.runs import open_for_update

    rows = read_sheet(Path(path))
    if not by.strip():
        raise ReviewError("请用 --by 注明复核人")
    with open_for_update(db) as con:
        errors: list[str] = []
        changes: list[tuple[Target, str, str | None]] = []
        seen: dict[str, int] = {}
        unchanged = 0
        for n, key, status, note in rows:
            if not key:
                errors.append(f"第 {n} 行：缺少编号")
                continue
            if status not in STATUSES:
                shown = f"“{status}”" if status else "为空"
                errors.append(f"第 {n} 行：状态{shown}不在可选范围内（{' / '.join(STATUSES)}）")
                continue
            if key in seen:
                errors.append(f"第 {n} 行：编号 {key} 与第 {seen[key]} 行重复")
                continue
            seen[key] = n
            targets = [t for t in resolve(con, key) if t.review_key == key.lower()]
            if not targets:
                errors.append(f"第 {n} 行：未知编号 {key}（不是本库中任何核对发现的编号）")
                continue
            current = con.execute("SELECT review_status, review_note FROM finding_review WHERE review_key = ? "
                                  "ORDER BY is_current DESC LIMIT 1", [targets[0].review_key]).fetchone()
            if current == (status, note):
                unchanged += 1
                continue
            changes.append((targets[0], status, note))
        if errors:
            raise ReviewError(f"导入被拒绝，数据库未作任何修改（{len(errors)} 处错误）：\n" + "\n".join(errors))
        con.begin()
        try:
            for target, status, note in changes:
                record(con, [target], status, note, by, f"xlsx:{Path(path).name}")
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return {"changed": len(changes), "unchanged": unchanged}
