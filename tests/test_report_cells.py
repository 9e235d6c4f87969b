"""A department page's table cells, written in Python (flows/report/cells.py) with the markup
department.html used to print."""
from decimal import Decimal

import pytest
from jinja2 import Environment

from flows.report.cells import cells_html
from flows.report.svg import fmt_amount

# The template the cells replaced, kept here as the reference they must match.
TEMPLATE = ("{% for c in cells %}<td class=\"num\"{% if c %} title=\"第 {{ c.page }} 页，原文 {{ c.printed_value }} "
            "{{ c.printed_unit or '' }}，合 {{ c.amount_wan }} 万元\"{% endif %}>{% if c %}{{ c.amount_wan|amt if "
            "c.amount_wan is not none and c.printed_unit in (none, '万元') else (c.printed_value or '') }}{% endif %}"
            "</td>{% endfor %}")


def cell(value, unit, amount, page=3):
    return {"printed_value": value, "printed_unit": unit, "amount_wan": amount, "page": page}


@pytest.mark.parametrize("c, html", [
    (None, '<td class="num"></td>'),
    (cell("1,234.50", "万元", Decimal("1234.50")),
     '<td class="num" title="第 3 页，原文 1,234.50 万元，合 1234.50 万元">1,234.50</td>'),
    (cell("12345000", "元", Decimal("1234.5")),
     '<td class="num" title="第 3 页，原文 12345000 元，合 1234.5 万元">12345000</td>'),
    (cell("<b>&", None, None, page=None),
     '<td class="num" title="第 None 页，原文 &lt;b&gt;&amp; ，合 None 万元">&lt;b&gt;&amp;</td>'),
    (cell(None, "万元", None), '<td class="num" title="第 3 页，原文 None 万元，合 None 万元"></td>'),
    (cell("-7", None, Decimal("-7")), '<td class="num" title="第 3 页，原文 -7 ，合 -7 万元">-7.00</td>'),
])
def test_cells_print_as_the_template_did(c, html):
    env = Environment(autoescape=True)
    env.filters["amt"] = fmt_amount
    assert str(cells_html([c])) == html == env.from_string(TEMPLATE).render(cells=[c])
