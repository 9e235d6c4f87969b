"""Bar charts as inline SVG, drawn here so the report needs no JavaScript chart library."""
from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

PALETTE = ["#9b1c1c", "#d69e2e", "#2b6cb0", "#276749"]
FONT = "Microsoft YaHei, PingFang SC, WenQuanYi Zen Hei, sans-serif"


def fmt_amount(v, digits: int = 2) -> str:
    if v is None:
        return "—"
    return f"{Decimal(str(v)):,.{digits}f}"


def _width(text: str) -> int:
    """Rough rendered width in px at 12px: CJK glyphs are square, Latin ones about half."""
    return sum(12 if ord(ch) > 0x2E80 else 7 for ch in text)


def hbar(rows: list[dict], series: list[str], *, unit: str = "万元", title: str = "",
         label_width: int | None = None, width: int = 760) -> Markup:
    """Horizontal bars, one group per row: rows are {'label', 'values': [v per series], 'href'?}.

    Negative or missing values draw no bar; the printed figure beside the bar is the value.
    """
    if not rows:
        return Markup("")
    bar_h, gap = 14, 8
    group_h = bar_h * len(series) + gap
    legend_h = 22 if len(series) > 1 else 0
    title_h = 22 if title else 0
    lw = label_width or min(260, max(_width(str(r["label"])) for r in rows) + 12)
    value_w = 90
    plot_w = max(120, width - lw - value_w)
    vmax = max((float(v) for r in rows for v in r["values"] if v is not None and float(v) > 0), default=0.0) or 1.0
    height = title_h + legend_h + group_h * len(rows) + 6
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" role="img"'
           f' aria-label="{escape(title)}">']
    if title:
        out.append(f'<text x="0" y="15" font-size="14" font-weight="bold">{escape(title)}（{escape(unit)}）</text>')
    if legend_h:
        x = lw
        for i, name in enumerate(series):
            out.append(f'<rect x="{x}" y="{title_h + 4}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                       f'<text x="{x + 16}" y="{title_h + 14}">{escape(name)}</text>')
            x += 24 + _width(name)
    y = title_h + legend_h
    for r in rows:
        label = str(r["label"])
        shown = label if _width(label) <= lw - 8 else _clip(label, lw - 8)
        text = f'<text x="{lw - 6}" y="{y + group_h / 2 + 2}" text-anchor="end"><title>{escape(label)}</title>{escape(shown)}</text>'
        if r.get("href"):
            text = f'<a href="{escape(r["href"])}">{text}</a>'
        out.append(text)
        for i, v in enumerate(r["values"]):
            by = y + i * bar_h
            if v is not None and float(v) > 0:
                w = max(1.0, float(v) / vmax * plot_w)
                out.append(f'<rect x="{lw}" y="{by}" width="{w:.1f}" height="{bar_h - 2}" '
                           f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(series[i])}：{fmt_amount(v)}</title></rect>')
            else:
                w = 0.0
            out.append(f'<text x="{lw + w + 4:.1f}" y="{by + bar_h - 3}" fill="#333">{fmt_amount(v)}</text>')
        y += group_h
    out.append("</svg>")
    return Markup("".join(out))


def _clip(text: str, px: int) -> str:
    acc = ""
    for ch in text:
        if _width(acc + ch + "…") > px:
            return acc + "…"
        acc += ch
    return acc
