"""The access report as a private person reads it: an HTML page and a PDF, in the report's
language (the JSON of `AccessReport.as_json` is for those who ask for it).

The PDF is drawn with fpdf2 (pure Python: no browser, no system library) in DejaVu Sans, vendored
under static/fonts (a clean machine may have no font with the Kazakh letters), embedded as the
subset of the glyphs used.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from requests.access_report import AccessReport

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "dejavu"
FONT = "DejaVu"
VALUE_LIMIT = 600  # a long letter or form body is cut, as on the page


class _ReportPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 15, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, str(self.page_no()), align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def line_of(self, text: str, *, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", 10)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def pair(self, label: str, value: str) -> None:
        self.set_font(FONT, "B", 9)
        self.multi_cell(0, 4.5, label, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)
        self.set_x(self.l_margin + 6)
        self.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")


def _cut(value: str) -> str:
    return value if len(value) <= VALUE_LIMIT else value[: VALUE_LIMIT - 1] + "…"


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def access_report_html(report: AccessReport, *, request_number: int) -> str:
    """The report as a page of its own (the admin shows it; the answer attaches it)."""
    with translation.override(report.language):
        return render_to_string(
            "requests/access_report.html",
            {
                "report": report,
                "request_number": request_number,
                "operator": report.operator["name"],
            },
        )


def access_report_pdf(report: AccessReport, *, request_number: int) -> bytes:
    """The report as PDF bytes, its texts in the report's language."""
    with translation.override(report.language):
        pdf = _ReportPDF()
        pdf.set_title(_("Information about the personal data we hold"))
        pdf.add_page()
        pdf.heading(_("Information about the personal data we hold"), 16)
        operator = report.operator
        if operator["name"]:
            pdf.line_of(
                _("Operator: %(name)s, BIN %(bin)s.")
                % {"name": operator["name"], "bin": operator["bin"]}
            )
        pdf.line_of(
            _("In answer to request No. %(number)s; drawn up %(when)s.")
            % {"number": request_number, "when": report.generated_at}
        )
        _personal_data(pdf, report)
        pdf.heading(_("Where the data came from"))
        for source in report.sources:
            pdf.line_of(f"• {source}")
        _consents(pdf, report)
        _recipients(pdf, report)
        pdf.heading(_("How long the data is kept"))
        for row in report.retention:
            pdf.line_of(f"• {row['purpose']}: {row['retention']}")
        if not report.retention:
            pdf.line_of(_("No live purpose: the data is kept only where the law requires it."))
        pdf.heading(_("Your requests"))
        for request_row in report.requests:
            text = (
                _("No. %(number)s") % {"number": request_row["number"]}
                + f", {request_row['received_at']}: {request_row['kind']} — {request_row['status']}"
            )
            if request_row["representative"]:
                text += (
                    f" ({_('sent by the legal representative')} {request_row['representative']})"
                )
            if request_row["answered_at"]:
                text += f" ({_('answered')} {request_row['answered_at']})"
            pdf.line_of(f"• {text}")
        if operator["privacy_email"]:
            pdf.ln(3)
            pdf.line_of(
                _(
                    "To have your data corrected, blocked or destroyed, or to withdraw a consent, "
                    "write to %(mailbox)s with your last name, first name, patronymic, a reply "
                    "address and what you ask for."
                )
                % {"mailbox": operator["privacy_email"]}
            )
        return bytes(pdf.output())


def _personal_data(pdf: _ReportPDF, report: AccessReport) -> None:
    pdf.heading(_("Personal data"))
    if not report.personal_data:
        pdf.line_of(_("We hold no personal data about you."))
    for record in report.personal_data:
        pdf.line_of(record.kind, bold=True)
        for item in record.fields:
            pdf.pair(f"{item.field} ({item.category})", _cut(item.value))
        pdf.ln(2)


def _consents(pdf: _ReportPDF, report: AccessReport) -> None:
    pdf.heading(_("Consents"))
    if not report.consents:
        pdf.line_of(_("You have given us no consent."))
    for consent in report.consents:
        pdf.line_of(f"{consent['purpose']} — {consent['state']}", bold=True)
        pdf.pair(_("Given at"), f"{consent['given_at']} ({consent['method']})")
        if consent["representative"]:
            pdf.pair(_("Given by the legal representative"), consent["representative"])
        if consent["policy_version"]:
            pdf.pair(_("Under the document"), consent["policy_version"])
        pdf.pair(_("Categories of personal data"), "; ".join(consent["data_categories"]))
        pdf.pair(_("Valid"), consent["valid_until"])
        pdf.pair(_("Transfer to third parties"), _yes_no(consent["third_party_transfer"]))
        abroad = _yes_no(consent["cross_border_transfer"])
        if consent["cross_border_countries"]:
            abroad += ": " + ", ".join(consent["cross_border_countries"])
        pdf.pair(_("Cross-border transfer"), abroad)
        pdf.pair(_("Publication in public sources"), _yes_no(consent["public_sources"]))
        if consent["withdrawn_at"]:
            pdf.pair(
                _("Withdrawn at"), f"{consent['withdrawn_at']} ({consent['withdrawal_channel']})"
            )
        pdf.ln(2)


def _recipients(pdf: _ReportPDF, report: AccessReport) -> None:
    pdf.heading(_("Who receives the data"))
    for recipient in report.recipients:
        where = recipient["country"]
        if recipient["data_kept_abroad"]:
            where += ", " + _("data kept abroad")
        pdf.line_of(f"• {recipient['processor']} ({where}): {'; '.join(recipient['purposes'])}")
    if not report.recipients:
        pdf.line_of(_("No processor receives your data."))
    for disclosure in report.disclosures:
        pdf.line_of(
            f"• {disclosure['recipient']}, {disclosure['disclosed_at']}: "
            f"{disclosure['data_categories']} ({disclosure['legal_basis']})"
        )
