"""One-off generator: turn the seed filing's text export into demo/seed/qiaokou_118_2026.json.

Run by hand (``python -m demo.tools.seed_from_txt PATH_TO_TXT``); the JSON it writes is
committed, so nothing at run time reads ../shared. The text export is a pdftotext-like
dump: tables are tab-separated rows, ``<b>`` marks bold cells, and page breaks show as
blank lines that cut sentences and table blocks. This script re-joins page-broken
sentences, groups table rows into blocks (one block per printed grid fragment) and
records merged cells, while keeping every printed string (typos included) as it is.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "seed" / "qiaokou_118_2026.json"

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”"

# Header rows per table (the first block of T1..T10 starts with a printed header).
HEADER_ROWS = {"T1": 2, "T2": 2, "T3": 1, "T4": 2, "T5-1": 2, "T5-2": 2, "T6": 2,
               "T7": 2, "T8": 2, "T9": 2, "T10": 2}

CAPTION_RE = re.compile(r"^表 (\d+(?:-\d)?)\.(.+)$")


def _strip_b(cell: str) -> tuple[str, bool]:
    bold = "<b>" in cell
    return cell.replace("<b>", "").replace("</b>", "").strip(), bold


def _cell_text(raw: str, form: bool) -> str:
    text, _ = _strip_b(raw)
    if "<p>" in text:
        paras = re.findall(r"<p>(.*?)</p>", text, flags=re.S)
        text = "\n".join(p.strip() for p in paras)
    if form:
        # pdftotext broke long form-cell labels over lines ("支出标 准"); the printed
        # cell holds one string, wrapped by the cell width.
        text = re.sub(rf"(?<=[{CJK}]) (?=[{CJK}])", "", text)
    return text


def _is_amount(s: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?%?", s))


def _auto_spans(rows: list[list[str]], header_rows: int, form: bool) -> list[list[int]]:
    """Merged cells as [row0, col0, row1, col1] (inclusive), reportlab's SPAN order is (col,row)."""
    spans = []
    covered: set[tuple[int, int]] = set()
    n = len(rows)
    ncols = len(rows[0]) if rows else 0
    span_rows = range(header_rows) if not form else range(n)
    for r in span_rows:
        for c in range(ncols):
            if (r, c) in covered or not rows[r][c]:
                continue
            c1 = c
            last_header = (not form) and r == header_rows - 1
            if not last_header and not (form and _is_amount(rows[r][c])):
                while c1 + 1 < ncols and not rows[r][c1 + 1] and (r, c1 + 1) not in covered:
                    c1 += 1
            r1 = r
            if not form and c1 == c:
                while r1 + 1 < header_rows and not rows[r1 + 1][c]:
                    r1 += 1
            if form and c == 0:
                while r1 + 1 < n and not any(rows[r1 + 1][k] for k in range(c, c1 + 1)):
                    r1 += 1
            if (r1, c1) != (r, c):
                spans.append([r, c, r1, c1])
                for rr in range(r, r1 + 1):
                    for cc in range(c, c1 + 1):
                        covered.add((rr, cc))
    return spans


def _block(raw_rows: list[list[str]], header_rows: int, form: bool) -> dict:
    ncols = max(len(r) for r in raw_rows)
    rows, bold = [], []
    for raw in raw_rows:
        raw = raw + [""] * (ncols - len(raw))
        rows.append([_cell_text(c, form) for c in raw])
        bold.append(any("<b>" in c for c in raw))
    return {
        "ncols": ncols,
        "header_rows": header_rows,
        "rows": rows,
        "bold_rows": [i for i, b in enumerate(bold) if b],
        "spans": _auto_spans(rows, header_rows, form),
    }


def _join_broken(paras: list[str]) -> list[str]:
    """Re-join paragraphs that a page break cut (no sentence-final punctuation)."""
    out: list[str] = []
    for p in paras:
        if out and not re.search(r"[。：；！？:]$", out[-1]) and not p.startswith(("(", "（")) or (
            out and p.startswith("(项)")
        ):
            sep = " " if re.search(r"\d$", out[-1]) and re.match(rf"[{CJK}]", p) else ""
            out[-1] = out[-1] + sep + p
        else:
            out.append(p)
    return out


def _fix_t11_t12(tables: dict) -> None:
    t11 = tables["T11"]["blocks"]
    for blk in t11:
        for i, row in enumerate(blk["rows"]):
            if row[0] == "合计" and row[2] == "564.25":
                # pdftotext lost the two leading (merged) cells of the 支出 合计 row
                blk["rows"][i] = ["", "", "合计"] + row[2:-1]
        blk["spans"] = _auto_spans(blk["rows"], 0, True)
    # 项目申报表 2: "营商环境办件 / 按时办结率" is one cell broken over a page.
    for form in tables["T12"]["forms"]:
        blocks = form["blocks"]
        for bi in range(len(blocks) - 1):
            a, b = blocks[bi], blocks[bi + 1]
            if a["rows"][-1][3] == "营商环境办件" and b["rows"][0][3] == "按时办结率":
                a["rows"][-1][3] = "营商环境办件按时办结率"
                del b["rows"][0]
                a["spans"] = _auto_spans(a["rows"], 0, True)
                b["spans"] = _auto_spans(b["rows"], 0, True)


def parse(txt: str) -> dict:
    lines = txt.splitlines()
    i_p2 = next(i for i, ln in enumerate(lines) if ln.startswith("表 1."))
    i_p3 = next(i for i, ln in enumerate(lines) if i > i_p2 and ln.startswith("### 第三部分"))
    i_p4 = next(i for i, ln in enumerate(lines) if ln.startswith("#### 第四部分"))
    i_p1 = next(i for i, ln in enumerate(lines) if ln.startswith("## 第一部分"))
    i_p2h = next(i for i, ln in enumerate(lines) if ln.startswith("## 第二部分"))

    # ---- part 1
    p1 = [ln.strip() for ln in lines[i_p1 + 1 : i_p2h] if ln.strip()]
    part1: list[dict] = []
    for ln in p1:
        if ln.startswith("#"):
            part1.append({"kind": "heading", "level": 2, "text": ln.lstrip("# ")})
        else:
            part1.append({"kind": "para", "text": ln})
    part1 = _merge_items(part1)

    # ---- part 2
    tables: dict[str, dict] = {}
    order: list[str] = []
    chunk_starts = [i for i in range(i_p2, i_p3) if CAPTION_RE.match(lines[i])] + [i_p3]
    for a, b in zip(chunk_starts, chunk_starts[1:]):
        num, name = CAPTION_RE.match(lines[a]).groups()
        tid = "T" + num
        t: dict = {"id": tid, "caption": lines[a].strip(), "title": "", "dept_line": "",
                   "unit_line": "", "notes": [], "blocks": [], "statement": ""}
        forms: list[dict] = []
        cur_rows: list[list[str]] = []
        label = ""

        def flush():
            nonlocal cur_rows
            if not cur_rows:
                return
            form = tid in ("T11", "T12")
            hr = HEADER_ROWS.get(tid, 0) if not t["blocks"] else 0
            blk = _block(cur_rows, hr, form)
            (forms[-1]["blocks"] if forms else t["blocks"]).append(blk)
            cur_rows = []

        body = lines[a + 1 : b]
        k = 0
        while k < len(body):
            ln = body[k].rstrip("\n")
            k += 1
            if "\t" in ln:
                cells = ln.split("\t")
                if cur_rows and len(cells) != len(cur_rows[-1]):
                    flush()
                cur_rows.append(cells)
                continue
            s = ln.strip()
            if not s:
                continue
            flush()
            if s.startswith("#"):
                title = s.lstrip("# ")
                if tid == "T12":
                    forms.append({"label": label, "title": title, "blocks": []})
                    label = ""
                else:
                    t["title"] = title
            elif s.startswith("部门/单位"):
                if s.endswith((":", "：")):  # the name went to the next line in the export
                    while not body[k].strip():
                        k += 1
                    s = s + body[k].strip()
                    k += 1
                t["dept_line"] = s
            elif s.startswith("单位"):
                if s.endswith((":", "：")):
                    while not body[k].strip():
                        k += 1
                    s = s + body[k].strip()
                    k += 1
                t["unit_line"] = s
            elif s.startswith("本单位"):
                t["statement"] = s
            elif re.fullmatch(r"12-\d", s):
                label = s
            else:
                t["notes"].append(s)
        flush()
        if forms:
            t["forms"] = forms
            del t["blocks"]
        tables[tid] = t
        order.append(tid)
    _fix_t11_t12(tables)

    # ---- parts 3 and 4
    def narrative(seg: list[str]) -> list[dict]:
        items: list[dict] = []
        for ln in seg:
            s = ln.strip()
            if not s:
                continue
            m = re.match(r"^(#+)\s*(.+)$", s)
            if m:
                items.append({"kind": "heading", "level": len(m.group(1)) - 3, "text": m.group(2)})
            elif re.match(r"^[一二三四五六七八九十]+、.{2,30}说明$", s):
                items.append({"kind": "heading", "level": 1, "text": s})
            elif re.match(r"^（[一二三四五六七八九十]）[^。：]{2,20}情况$", s):
                items.append({"kind": "heading", "level": 2, "text": s})
            else:
                items.append({"kind": "para", "text": s})
        return _merge_items(items)

    part3 = narrative(lines[i_p3 + 1 : i_p4])
    part4 = narrative(lines[i_p4 + 1 :])
    for it in part3 + part4:
        if it["kind"] == "heading":
            it["level"] = max(1, it["level"])

    return {
        "generator": "demo/tools/seed_from_txt.py",
        "meta": {
            "region_code": "420104",
            "region_name": "硚口区",
            "department": "硚口区城市运行管理中心",
            "department_code": "118",
            "unit_scope": "部门",
            "fiscal_year": 2026,
            "kind": "预算",
            "template": "wuhan-2026-budget",
            "published_at": "2026-01-26",
            # The PDF's own CreationDate (a plausible export time before publication;
            # the 20-day rule falls back to it when a page carries no 发布日期).
            "pdf_created": "2026-01-22T09:30:00+08:00",
        },
        "cover": {
            "title": "硚口区城市运行管理中心",
            "subtitle": "2026 年部门预算",
        },
        "toc": _toc(),
        "part_titles": {
            "1": lines[i_p1].lstrip("# ").strip(),
            "2": next(ln for ln in lines if ln.startswith("## 第二部分")).lstrip("# ").strip(),
            "3": lines[i_p3].lstrip("# ").strip(),
            "4": lines[i_p4].lstrip("# ").strip(),
        },
        "part1": part1,
        "table_order": order,
        "tables": tables,
        "part3": part3,
        "part4": part4,
    }


def _merge_items(items: list[dict]) -> list[dict]:
    out: list[dict] = []
    run: list[str] = []

    def flush():
        if run:
            out.extend({"kind": "para", "text": p} for p in _join_broken(run))
            run.clear()

    for it in items:
        if it["kind"] == "para":
            run.append(it["text"])
        else:
            flush()
            out.append(it)
    flush()
    return out


def _toc() -> list[dict]:
    # The 目录 as printed (the text export mangles its indentation, not its words).
    num = "一二三四五六七八九十"
    def cn(i: int) -> str:
        return num[i - 1] if i <= 10 else "十" + num[i - 11]
    return [
        {"heading": "第一部分 硚口区城市运行管理中心概况",
         "items": ["一、主要职能", "二、部门预算单位构成", "三、部门人员构成"]},
        {"heading": "第二部分 硚口区城市运行管理中心 2026 年部门预算表",
         "items": [f"{cn(i)}、{n}" for i, n in enumerate([
             "收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表",
             "一般公共预算支出表", "一般公共预算基本支出表", "一般公共预算“三公”经费支出表",
             "政府性基金预算支出表", "国有资本经营预算支出表", "项目支出表",
             "部门整体支出绩效目标表", "项目支出绩效目标表"], 1)]},
        {"heading": "第三部分 硚口区城市运行管理中心 2026 年部门收支预算安排情况",
         "items": [f"{cn(i)}、{n}" for i, n in enumerate([
             "预算收支情况总体说明", "预算收入情况说明", "预算支出情况说明",
             "财政拨款收支预算情况说明", "一般公共预算支出安排情况说明",
             "一般公共预算基本支出安排情况说明", "政府性基金预算支出安排情况说明",
             "国有资本经营预算支出安排情况说明", "一般公共预算“三公”经费支出情况说明",
             "项目支出安排情况", "其他重要事项的说明"], 1)]},
        {"heading": "第四部分 名词解释", "items": []},
    ]


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else Path("../shared/seed/qiaokou-city-operations-center-2026.txt")
    data = parse(src.read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
