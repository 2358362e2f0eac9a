"""The monthly report as PDF: the same three sheets, one section each, on landscape A4.

Chinese is set in the Adobe CID font STSong-Light, which every PDF reader carries: reportlab
embeds no file for it, so the report needs no font on the server and stays small.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wushe.indicators.templatetags.indicator_tags import figure

if TYPE_CHECKING:
    from wushe.dashboards.monthly import MonthlyReport, Sheet

FONT = "STSong-Light"
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=15, leading=20, spaceAfter=4)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
NUMBER = ParagraphStyle("number", parent=CELL, alignment=TA_RIGHT)


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _text(value) -> str:
    """A cell as Paragraph markup (escaped: a name may hold "&" or "<"). Numbers are printed
    as in the workbook, without grouping (a year is a number too)."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return figure(value).replace(",", "")
    return escape(str(value))


def _length(value) -> int:
    """How wide a cell's text is, a Chinese character counting twice."""
    text = _text(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _widths(sheet: Sheet, width: float) -> list[float]:
    """Column widths in proportion to their longest cell (within bounds), filling ``width``."""
    rows = [sheet.columns, *sheet.rows, *([sheet.total] if sheet.total else [])]
    wanted = [
        min(max(max(_length(row[index]) for row in rows), 8), 34)
        for index in range(len(sheet.columns))
    ]
    return [width * share / sum(wanted) for share in wanted]


def _cell(value, bold: bool = False) -> Paragraph:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    text = _text(value)
    return Paragraph(f"<b>{text}</b>" if bold else text, NUMBER if number else CELL)


def _table(sheet: Sheet) -> Table:
    body = [[_cell(name) for name in sheet.columns]]
    body += [[_cell(value) for value in row] for row in sheet.rows]
    if sheet.total is not None:
        body.append([_cell(value, bold=True) for value in sheet.total])
    width = landscape(A4)[0] - 30 * mm
    table = Table(body, colWidths=_widths(sheet, width), repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if sheet.total is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f5f7fa")))
    table.setStyle(TableStyle(style))
    return table


def monthly_pdf(report: MonthlyReport) -> bytes:
    _font()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=report.title,
        author=report.generated_by,
    )
    story: list = []
    for index, sheet in enumerate(report.sheets):
        if index:
            story.append(PageBreak())
        title, *facts = report.header_rows(sheet)
        story.append(Paragraph(_text(title[0]), TITLE))
        for fact in facts:
            story.append(Paragraph(" ".join(_text(part) for part in fact), BODY))
        story.append(Spacer(1, 4 * mm))
        story.append(_table(sheet))
    document.build(story)
    return buffer.getvalue()
