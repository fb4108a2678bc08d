from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.formatting import number
from core.spreadsheets import neutralize, spreadsheet_response
from projects.models import Indicator
from projects.selectors import member_project_list, project_list, project_sheet

from .charts import bar_chart
from .disclosure import SMALL_MARK
from .iati import activity_file
from .labels import DIMENSION_NAMES, TABLE_TITLES, label
from .report import REPORT_TIMEOUT, Report, data_version, project_report
from .results import withheld
from .selectors import dashboard_project, project_fundings, published_project


@login_not_required
def home(request):
    projects = project_list(user=request.user)
    return render(request, "reports/home.html", {"projects": projects})


@login_not_required
def project_index(request):
    projects = project_list(user=request.user).prefetch_related("locations")
    return render(request, "reports/project_list.html", {"projects": projects})


@login_not_required
def project_detail(request, code: str):
    """The public project sheet: what the project is, who funds it, and its results."""
    project = project_sheet(user=request.user, code=code)
    fundings = list(project.fundings.all())
    funded_total = sum((funding.amount for funding in fundings), start=0)
    is_member = member_project_list(user=request.user).filter(pk=project.pk).exists()
    return render(
        request,
        "reports/project_detail.html",
        {"project": project, "fundings": fundings, "funded_total": funded_total, "is_member": is_member},
    )


SECTIONS = [
    (
        "people",
        gettext_lazy("Migrants reached"),
        ["registered_by_age", "registered_by_nationality", "registered_by_city"],
    ),
    ("training", gettext_lazy("Training and employment"), ["certified_by_kind", "working_by_sex", "businesses_by_sex"]),
    ("capacity", gettext_lazy("Capacity building"), ["stakeholders_by_organization", "events_by_kind"]),
    (
        "trends",
        gettext_lazy("Trends by quarter"),
        ["enrollments_by_quarter", "certificates_by_quarter", "events_by_quarter"],
    ),
]
FILE_FORMATS = ("csv", "xlsx")
Metric = Indicator.Metric
HEADLINES = [
    Metric.REGISTERED,
    Metric.COMPLETED_VOCATIONAL,
    Metric.COMPLETED_MICRO_ENTERPRISE,
    Metric.BUSINESSES_CREATED,
    Metric.WORKING_AFTER_SIX_MONTHS,
    Metric.STAKEHOLDERS_TRAINED,
    Metric.EVENTS_HELD,
]


def dashboard(request, code: str):
    """Results in detail for donors and staff of the project: only safe aggregates."""
    project = dashboard_project(user=request.user, code=code)
    return render(request, "reports/dashboard.html", {"project": project, "body": _body(project)})


def print_report(request, code: str):
    """The dashboard as a document to print or save as PDF (A4), in the page's language."""
    project = dashboard_project(user=request.user, code=code)
    return render(request, "reports/print_report.html", {"project": project, "body": _body(project)})


def _body(project) -> str:
    """The figures, charts and tables as HTML, drawn once per language and data version: the same
    for every reader of the project, so that a page served from the cache costs what a plain
    signed-in page does."""
    key = f"reports:body:{project.pk}:{data_version()}:{get_language()}"
    body = cache.get(key)
    if body is None:
        body = render_to_string("reports/_dashboard_body.html", _context(project, project_report(project)))
        cache.set(key, body, REPORT_TIMEOUT)
    return body


def aggregates(request, code: str, file_format: str):
    """Every table of the dashboard in one sheet, with hidden cells as the dashboard shows them."""
    if file_format not in FILE_FORMATS:
        raise Http404(_("Downloads are CSV or XLSX."))
    project = dashboard_project(user=request.user, code=code)
    rows = aggregate_rows(project_report(project))
    filename = f"{project.compact_code}-results.{file_format}"
    return spreadsheet_response(rows, file_format=file_format, filename=filename, sheet_title=_("Results"))


@login_not_required
def iati_activity(request, code: str):
    """The project as an IATI 2.03 activity, for public projects and for their members."""
    project = published_project(user=request.user, code=code)
    body = activity_file(project, project_report(project), project_fundings(project))
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{project.iati_identifier}.xml"'
    return response


def _context(project, report: Report) -> dict:
    fundings = project_fundings(project)
    funded = sum((funding.amount for funding in fundings), start=0)
    # Employment by sex comes with each sex's share working, beside its table.
    shares = {"working_by_sex": [(label("sex", s.code), s) for s in report.working_shares]}
    sections = [
        {
            "key": key,
            "title": title,
            "figures": [{**_figure(report.tables[name]), "shares": shares.get(name)} for name in names],
        }
        for key, title, names in SECTIONS
    ]
    return {
        "project": project,
        "report": report,
        "sections": sections,
        "fundings": fundings,
        "funded_total": funded,
        "funded_share": min(100, int(funded * 100 / project.budget)) if project.budget else 0,
        "headlines": _headlines(report),
    }


def _headlines(report: Report) -> list[dict]:
    """The project's main figures, each through the rule for a figure shown on its own."""
    headlines = []
    for metric in HEADLINES:
        value, base = report.metrics[metric]["value"], report.metrics[metric].get("base")
        is_count = base is None
        if value is None or withheld(value, base, percentage=not is_count):
            text = SMALL_MARK if is_count else "—"
        else:
            text = number(value) if is_count else f"{number(value, 1)} %"
        headlines.append({"name": Metric(metric).label, "text": text, "is_count": is_count})
    return headlines


def _figure(table) -> dict:
    """A table ready for a template: its title, its chart and its labelled rows."""
    return {
        "key": table.key,
        "title": TABLE_TITLES[table.key],
        "table": table,
        "chart": bar_chart(table),
        "row_heading": DIMENSION_NAMES[table.rows],
        "columns": [label(table.columns, code) for code in table.column_codes],
        "lines": [(label(table.rows, code), cells, total) for code, cells, total in table.lines()],
    }


def aggregate_rows(report: Report):
    """(table, row, column, value) for every figure, after the results framework; hidden figures
    read as on the page ("< 5", "…")."""
    yield [_("Table"), _("Row"), _("Column"), _("Value")]
    for line in report.results:
        indicator = line.indicator
        actual = SMALL_MARK if line.withheld else ("" if line.actual is None else line.actual)
        name = neutralize(f"{indicator.code} {indicator.name}")
        yield [_("Results framework"), name, _("Baseline"), indicator.baseline]
        yield [_("Results framework"), name, _("Target"), indicator.target]
        yield [_("Results framework"), name, _("Actual"), actual]
    for table in report.tables.values():
        title = str(TABLE_TITLES[table.key])
        columns = [label(table.columns, code) for code in table.column_codes]
        for code, cells, total in table.lines():
            row = neutralize(label(table.rows, code))
            for column, cell in zip(columns, cells, strict=True):
                yield [title, row, column, _value(cell)]
            if table.show_row_totals and len(columns) > 1:
                yield [title, row, _("Total"), _value(total)]
        for column, cell in zip(columns, table.safe.column_totals, strict=True):
            yield [title, _("Total"), column, _value(cell)]
        if len(columns) > 1:
            yield [title, _("Total"), _("Total"), _value(table.safe.total)]


def _value(cell):
    return str(cell) if cell.hidden else cell.value
