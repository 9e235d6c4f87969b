"""The cells of an extracted table as HTML, written here rather than in department.html: a
district's pages hold ~66 000 cells, and Jinja's per-cell attribute lookups and filter calls
were most of the report's time. The markup is the template's, character for character."""
from __future__ import annotations

from markupsafe import Markup, escape

from flows.report.svg import fmt_amount


def cell_html(c: dict | None) -> str:
    if not c:
        return '<td class="num"></td>'
    # page (int), amount_wan (Decimal) and a formatted amount print no character HTML escapes
    unit, amount, printed = c["printed_unit"], c["amount_wan"], c["printed_value"]
    shown = fmt_amount(amount) if amount is not None and unit in (None, "万元") else escape(printed or "")
    title = f'第 {c["page"]} 页，原文 {escape(printed)} {escape(unit or "")}，合 {amount} 万元'
    return f'<td class="num" title="{title}">{shown}</td>'


def cells_html(cells: list[dict | None]) -> Markup:
    """One row's cells (`<td>` each), as department.html printed them."""
    return Markup("".join(cell_html(c) for c in cells))
