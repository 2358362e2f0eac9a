"""The service-record certificate (志愿服务记录证明) as a PDF.

It is an official Chinese document whatever the page's language, laid out as the 2020
《志愿服务记录与证明出具办法》 asks: the volunteer's name, the ID type (居民身份证) and the number
— masked, never in full —, the volunteer number, the hours and content of service, the issuer,
the certificate number and the date. Chinese is set in STSong-Light, one of the CID fonts every
PDF reader carries (nothing is embedded, so the file stays small and needs no font on the server).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wushe.volunteers.certificates import Line, certificate_lines
from wushe.volunteers.models import Certificate

FONT = "STSong-Light"
ID_TYPE = "居民身份证"
REGULATION = "民政部《志愿服务记录与证明出具办法》（2020年）"

pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=TA_CENTER)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11.5, leading=20, firstLineIndent=23)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=14)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, textColor=colors.grey)
SIGN = ParagraphStyle("sign", fontName=FONT, fontSize=11.5, leading=22, alignment=TA_RIGHT)


def hours_text(hours: Decimal) -> str:
    """12 → "12", 12.50 → "12.5": hours as people write them."""
    text = f"{Decimal(hours):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _summary(certificate: Certificate, lines: list[Line]) -> str:
    name = escape(certificate.name)
    honour = sum((line.hours for line in lines if line.honour), Decimal(0))
    period = ""
    if lines:
        first, last = lines[0].day, lines[-1].day
        period = f"于{chinese_date(first)}至{chinese_date(last)}期间"
    text = (
        f"兹证明 <b>{name}</b>（证件类型：{ID_TYPE}；证件号码：{certificate.id_masked}；"
        f"志愿者编号：{certificate.volunteer.number}）{period}参加志愿服务，"
        f"截至{chinese_date(certificate.issued_on)}累计记录志愿服务时间 "
        f"<b>{hours_text(certificate.hours)}</b> 小时"
    )
    if honour:
        text += f"（其中荣誉时长 {hours_text(honour)} 小时）"
    return text + "。志愿服务记录如下："


def _table(lines: list[Line]) -> Table:
    rows = [["序号", "服务日期", "服务内容", "时长（小时）"]]
    for index, line in enumerate(lines, start=1):
        content = escape(line.content) + ("〔荣誉时长〕" if line.honour else "")
        rows.append(
            [str(index), line.day.isoformat(), Paragraph(content, CELL), hours_text(line.hours)]
        )
    if len(rows) == 1:
        rows.append(["—", "—", Paragraph("暂无服务记录", CELL), "0"])
    table = Table(rows, colWidths=[14 * mm, 28 * mm, 100 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (1, -1), "CENTER"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
            ]
        )
    )
    return table


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes (A4)."""
    lines = certificate_lines(certificate)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"志愿服务记录证明 {certificate.number}",
        author=certificate.issuer,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
    )
    story = [
        Paragraph("志愿服务记录证明", TITLE),
        Paragraph(f"证明编号：{escape(certificate.number)}", SIGN),
        Spacer(1, 6 * mm),
        Paragraph(_summary(certificate, lines), BODY),
        Spacer(1, 4 * mm),
        _table(lines),
        Spacer(1, 10 * mm),
        Paragraph(f"出具单位（盖章）：{escape(certificate.issuer)}", SIGN),
        Paragraph(f"出具日期：{chinese_date(certificate.issued_on)}", SIGN),
        Spacer(1, 8 * mm),
        Paragraph(
            f"说明：本证明依据{REGULATION}出具，所载信息以本单位志愿服务记录为准；"
            "证件号码已作脱敏处理。",
            SMALL,
        ),
    ]
    document.build(story)
    return buffer.getvalue()


def pdf_response(certificate: Certificate) -> HttpResponse:
    """The certificate's PDF as a download, for the pages and the API alike."""
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response
