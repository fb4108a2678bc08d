from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from beneficiaries import selectors as beneficiary_selectors
from core.spreadsheets import neutralize, spreadsheet_response
from core.versioning import data_version
from projects.models import Funding, Indicator, Organization, Partnership
from projects.selectors import member_project_list, project_list, project_sheet
from trainings import selectors as training_selectors

from . import jobs, services
from .disclosure import MARKERS
from .display import figure_name, map_view, result_views, share_views, table_view, trend_view
from .figures import WITHHELD, Figures
from .iati import activity_file
from .labels import TABLE_TITLES
from .live import CACHE_TIMEOUT, live_figures, live_figures_ready
from .selectors import (
    current_release,
    dashboard_project,
    project_fundings,
    published_project,
    published_updates,
    release_list,
    sees_live_figures,
)
from .slices import Slice, SliceForm, slice_choices


@login_not_required
def home(request):
    """The public home page; for people who work on a project, their work list instead."""
    if works_on_a_project(request.user):
        response = staff_home(request)
        add_never_cache_headers(response)  # names of people: never kept by a browser or a proxy
        return response
    projects = project_list(user=request.user)
    return render(request, "reports/home.html", {"projects": projects})


def works_on_a_project(user) -> bool:
    return (
        user.is_authenticated
        and (user.has_perm("trainings.view_training") or user.has_perm("beneficiaries.view_beneficiary"))
        and member_project_list(user=user).exists()
    )


def staff_home(request):
    """What a staff member has to do today: the week's sessions (with the roll call a tap away), roll
    calls not written up, follow-ups due, likely duplicates to review, and the people they registered
    lately. Each part shows only to those whose role includes it."""
    user, today = request.user, timezone.localdate()
    context = {"today": today}
    if user.has_perm("trainings.view_training"):
        in_charge_of = training_selectors.trainings_in_charge(user=user)
        sessions = training_selectors.week_sessions(user=user, today=today, in_charge_of=in_charge_of)
        in_charge_of_any = bool(in_charge_of)
        context.update(
            in_charge_of_any=in_charge_of_any,
            # Someone in charge of no training (an M&E officer, say) sees the whole project's week.
            my_sessions=[s for s in sessions if s.in_charge or not in_charge_of_any],
            other_sessions=[s for s in sessions if in_charge_of_any and not s.in_charge],
            roll_calls_missing=training_selectors.roll_calls_missing(user=user, today=today, in_charge_of=in_charge_of),
        )
    if user.has_perm("trainings.add_followup"):
        context["follow_ups"] = training_selectors.follow_ups_due(user=user, today=today)
    if user.has_perm("beneficiaries.view_crossprojectmatch"):
        context["matches_to_review"] = beneficiary_selectors.matches_to_review_count(user=user)
    if user.has_perm("beneficiaries.add_beneficiary"):
        context["recent_registrations"] = beneficiary_selectors.recent_registrations(user=user)
    if user.has_perm("beneficiaries.import_beneficiary"):
        context["imports_waiting"] = list(beneficiary_selectors.import_jobs_open(user=user)[:10])
    return render(request, "reports/staff_home.html", context)


@login_not_required
def project_index(request):
    projects = project_list(user=request.user).prefetch_related("locations")
    return render(request, "reports/project_list.html", {"projects": projects})


@login_not_required
def project_detail(request, code: str):
    """The public project sheet: what the project is, who funds it, and its published results."""
    project = project_sheet(user=request.user, code=code)
    fundings = list(project.fundings.all())
    funded_total = sum((funding.amount for funding in fundings), start=0)
    is_member = member_project_list(user=request.user).filter(pk=project.pk).exists()
    release = current_release(project)
    figures = Figures(release.figures) if release else None
    partners: dict[str, list] = {}
    for partnership in project.partnerships.all():
        partners.setdefault(partnership.get_role_display(), []).append(partnership.organization)
    return render(
        request,
        "reports/project_detail.html",
        {
            "project": project,
            "fundings": fundings,
            "funded_total": funded_total,
            "partners": partners,
            "is_member": is_member,
            "release": release,
            "results": result_views(figures, project) if figures else [],
            "map": _project_map(project, figures, release),
            "updates": list(published_updates(project)[:3]),
        },
    )


def _project_map(project, figures, release):
    """The project's map, drawn once per release and data version (places may move)."""
    key = f"reports:map:{project.pk}:{release.pk if release else 'none'}:{data_version()}:{get_language()}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = (map_view(project, figures),)  # a tuple: "no map" is kept too
        cache.set(key, drawn, CACHE_TIMEOUT)
    return drawn[0]


# (key, title, tables, the components they belong to: "" for the whole project)
SECTIONS = [
    (
        "people",
        gettext_lazy("Migrants reached"),
        ["registered_by_age", "registered_by_nationality", "registered_by_city"],
        {""},
    ),
    (
        "training",
        gettext_lazy("Training and employment"),
        ["certified_by_kind", "working_by_sex", "businesses_by_sex"],
        {"", "vocational", "micro_enterprise"},
    ),
    (
        "capacity",
        gettext_lazy("Capacity building"),
        ["stakeholders_by_organization", "events_by_kind"],
        {"", "capacity"},
    ),
]
# Trends, and the component each belongs to; a training component's trend counts its own kind only.
TRENDS = [
    ("enrollments_by_quarter", {"", "vocational", "micro_enterprise"}),
    ("certificates_by_quarter", {"", "vocational", "micro_enterprise"}),
    ("events_by_quarter", {"", "capacity"}),
]
# Key figures a city slice can show: (table, column) of the city's row.
CITY_CELLS = {
    Indicator.Metric.REGISTERED: ("registered_by_city", "total"),
    Indicator.Metric.COMPLETED_VOCATIONAL: ("certified_by_city", "vocational"),
    Indicator.Metric.COMPLETED_MICRO_ENTERPRISE: ("certified_by_city", "micro_enterprise"),
}
# The key figures of each component.
AREA_METRICS = {
    "vocational": {Indicator.Metric.COMPLETED_VOCATIONAL, Indicator.Metric.WORKING_AFTER_SIX_MONTHS},
    "micro_enterprise": {Indicator.Metric.COMPLETED_MICRO_ENTERPRISE, Indicator.Metric.BUSINESSES_CREATED},
    "capacity": {Indicator.Metric.STAKEHOLDERS_TRAINED, Indicator.Metric.EVENTS_HELD},
}
# What the quarter slice shows of each trend table.
QUARTER_NAMES = {
    "enrollments_by_quarter": gettext_lazy("Enrollments"),
    "certificates_by_quarter": gettext_lazy("Certificates awarded"),
    "events_by_quarter": gettext_lazy("Events held"),
}
PRINT_CONTENT = "reports/_print_report_content.html"
FILE_FORMATS = ("csv", "xlsx")
WHOLE = Slice()  # the whole project, for the releases page's preview


def dashboard(request, code: str):
    """Results in detail for donors and staff of the project: only protected figures."""
    return _dashboard_page(request, code, "reports/dashboard.html", "reports/_dashboard_content.html")


def print_report(request, code: str):
    """The dashboard as a document to print or save as PDF (A4), in the page's language."""
    return _dashboard_page(request, code, "reports/print_report.html", PRINT_CONTENT)


def _dashboard_page(request, code: str, template_name: str, content_template: str):
    """The page's content is the same for every reader of the same source, slice, language and
    rights: it is drawn once and kept (per data version, so that a change to the project redraws it);
    each request draws only the site's frame (navigation, the sign-out form's CSRF token) around it.
    The slice comes from the address; a value the release does not have is refused, by name."""
    project = dashboard_project(user=request.user, code=code, whole=False)
    may_see_live = sees_live_figures(request.user, project)
    releases = _published_releases(project)
    live, release = _chosen_source(may_see_live, releases, request.GET.get("release", ""))
    can_publish = live and request.user.has_perm("reports.publish_release")
    source = "live" if live else f"release-{release.pk}" if release else "none"

    def slice_form():
        return SliceForm(
            request.GET or None,
            releases=[(r.number, date_format(r.period_end, "DATE_FORMAT")) for r in releases],
            live=may_see_live,
            choices=_slice_choices(project, release, live, source),
        )

    # The whole project, unsliced (no query in the address), needs no form until the page is drawn.
    form = slice_form() if request.GET else None
    valid = form is None or form.is_valid()
    chosen = form.slice() if form is not None else WHOLE
    key = (
        f"reports:page:{content_template}:{project.pk}:{source}:{may_see_live}:{can_publish}:{chosen.key}:"
        f"{data_version()}:{get_language()}"
    )
    content = cache.get(key) if valid else None
    if content is None:
        project = dashboard_project(user=request.user, code=code)  # the whole row, to draw the page
        form = form or slice_form()
        context = {
            "project": project,
            "release": release,
            "live": live,
            "can_publish": can_publish,
            "form": form,
            "slice": chosen,
            "query": chosen.query,
            "body": _body(project, release, live, chosen, open_tables=content_template == PRINT_CONTENT),
        }
        content = render_to_string(content_template, context)
        if valid and (not live or live_figures_ready(project)):  # never keep a page of stale live figures
            cache.set(key, content, CACHE_TIMEOUT)
    return render(request, template_name, {"project": project, "content": content}, status=200 if valid else 400)


def _published_releases(project) -> list:
    """The releases a reader may choose, newest first, without their figures; kept per data
    version (a release published or withdrawn is a new version): a donor's dashboard drawn from
    the cache then reads nothing but its project."""
    key = f"reports:releases:{project.pk}:{data_version()}"
    releases = cache.get(key)
    if releases is None:
        releases = list(project.releases.published().defer("figures", "counts", "audit").order_by("-number"))
        cache.set(key, releases, CACHE_TIMEOUT)
    return releases


def _chosen_source(may_see_live: bool, releases: list, requested: str):
    """(live, release): the release asked for by its number, else staff's live figures, else the
    current release (None when nothing is published)."""
    chosen = next((r for r in releases if str(r.number) == requested), None)
    if chosen is not None:
        return False, chosen
    if may_see_live:
        return True, None
    return False, (releases[0] if releases else None)


def _slice_choices(project, release, live: bool, source: str) -> dict:
    """The cities and quarters of the chosen figures, kept with them (per source and version)."""
    if not live and release is None:
        return {"cities": [], "quarters": []}
    key = f"reports:slices:{project.pk}:{source}:{data_version() if live else ''}:{get_language()}"
    choices = cache.get(key)
    if choices is None:
        choices = slice_choices(live_figures(project)[0] if live else Figures(release.figures))
        if not live or live_figures_ready(project):  # not the choices of live figures served meanwhile
            cache.set(key, choices, CACHE_TIMEOUT)
    return choices


def _body(project, release, live: bool, chosen: Slice = WHOLE, *, open_tables: bool = False) -> str:
    """The figures, charts and tables as HTML, drawn once per language, source (a release, or the
    live figures' data version) and slice: the same for every reader of the project."""
    if not live and release is None:
        return ""
    source = f"live-{data_version()}" if live else f"release-{release.pk}"
    key = f"reports:body:{project.pk}:{source}:{chosen.key}:{open_tables}:{get_language()}"
    body = cache.get(key)
    if body is None:
        figures = live_figures(project)[0] if live else Figures(release.figures)
        context = {**_context(project, figures, release, chosen), "open_tables": open_tables}
        body = render_to_string("reports/_dashboard_body.html", context)
        if not live or live_figures_ready(project):  # the last live figures, served meanwhile: not kept
            cache.set(key, body, CACHE_TIMEOUT)
    return body


def aggregates(request, code: str, file_format: str):
    """Every table of the dashboard in one sheet, with hidden cells as the dashboard shows them."""
    if file_format not in FILE_FORMATS:
        raise Http404(_("Downloads are CSV or XLSX."))
    project = dashboard_project(user=request.user, code=code)
    live, release = _chosen_source(
        sees_live_figures(request.user, project), _published_releases(project), request.GET.get("release", "")
    )
    figures = live_figures(project)[0] if live else (Figures(release.figures) if release else None)
    if figures is None:
        raise Http404(_("No results have been published for this project yet."))
    return _figures_file(project, figures, release, file_format)


def _figures_file(project, figures: Figures, release, file_format: str):
    """The figures as a sheet (CSV or XLSX), named after their release (or "live")."""
    suffix = f"release-{release.number}" if release else "live"
    filename = f"{project.compact_code}-results-{suffix}.{file_format}"
    return spreadsheet_response(
        aggregate_rows(figures, project), file_format=file_format, filename=filename, sheet_title=_("Results")
    )


@login_not_required
@require_safe
def partner_logo(request, code: str, organization_pk: int):
    """The logo of an organization that funds or carries out a project the reader may read."""
    project = published_project(user=request.user, code=code)
    serving = Q(pk__in=Partnership.objects.filter(project=project).values("organization")) | Q(
        pk__in=Funding.objects.filter(project=project).values("organization")
    )
    organization = get_object_or_404(Organization.objects.exclude(logo="").filter(serving), pk=organization_pk)
    response = FileResponse(organization.logo.open("rb"), content_type="image/png")
    # A public project's partner is public knowledge; a private project's, only for its members.
    response["Cache-Control"] = "public, max-age=3600" if project.is_public else "private, max-age=3600"
    return response


@login_not_required
@require_safe
def release_figures(request, code: str, file_format: str):
    """The current release's figures as a sheet, for anyone who may read the project's sheet:
    only what the release publishes, hidden cells as the sheet shows them."""
    if file_format not in FILE_FORMATS:
        raise Http404(_("Downloads are CSV or XLSX."))
    project = published_project(user=request.user, code=code)
    release = current_release(project)
    if release is None:
        raise Http404(_("No results have been published for this project yet."))
    return _figures_file(project, Figures(release.figures), release, file_format)


@login_not_required
def iati_activity(request, code: str):
    """The project as an IATI 2.03 activity, with the results of its current release: a file to
    download (or for a machine to fetch), not a page."""
    project = published_project(user=request.user, code=code)
    release = current_release(project)
    updates = [(update, request.build_absolute_uri(update.get_absolute_url())) for update in published_updates(project)]
    body = activity_file(project, release, project_fundings(project), list(project.partnerships.all()), updates)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.iati_identifier}.xml"'
    return response


def _context(project, figures: Figures, release, chosen: Slice = WHOLE) -> dict:
    fundings = project_fundings(project)
    funded = sum((funding.amount for funding in fundings), start=0)
    shares = share_views(figures)
    results = result_views(figures, project)
    area = chosen.area
    sections, trends = [], []
    if not chosen.city:  # the city slice has its own section; the tables below are not by city
        for key, title, names, areas in SECTIONS:
            if area not in areas:
                continue
            views = [table_view(figures, name) for name in names if name != "businesses_by_sex" or area != "vocational"]
            for view in views:
                if view.key == "working_by_sex":  # each sex's share working, beside its table
                    view.shares = shares
            sections.append({"key": key, "title": title, "figures": views})
        kind = area if area in ("vocational", "micro_enterprise") else None
        trends = [
            trend_view(figures, key, column=kind if key != "events_by_quarter" else None)
            for key, areas in TRENDS
            if area in areas
        ]
    return {
        "project": project,
        "release": release,
        "slice": chosen,
        "as_of": figures.as_of,
        "results": results,
        "key_figures": _key_figures(figures, results, chosen),
        "quarter": _quarter_figures(figures, chosen.quarter) if chosen.quarter else None,
        "city": _city_figures(figures, chosen.city) if chosen.city else None,
        "sections": sections,
        "trends": trends,
        "fundings": fundings,
        "funded_total": funded,
        "funded_share": min(100, int(funded * 100 / project.budget)) if project.budget else 0,
        "map": map_view(project, figures) if chosen.is_whole else None,
        "withheld_mark": WITHHELD,
    }


def _key_figures(figures: Figures, results, chosen: Slice) -> list[dict]:
    """The headline figures, each against its target where the results framework sets one; for a
    city, those counted by city; for a component, its own."""
    lines = {line.indicator.metric: line for line in results if line.indicator.metric}
    cards = []
    for headline in figures.headlines:
        metric = headline["metric"]
        if chosen.city and metric not in CITY_CELLS:
            continue
        if chosen.area and metric not in AREA_METRICS[chosen.area]:
            continue
        value = headline["value"]
        if chosen.city:
            table, column = CITY_CELLS[metric]
            value = figures.cell(table, chosen.city, column)
        cards.append(
            {
                "name": Indicator.Metric(metric).label,
                "value": value,
                "percentage": headline["percentage"],
                "is_marker": value in (*MARKERS, WITHHELD),
                # A target is the whole project's: a city's figure is not measured against it.
                "line": None if chosen.city else lines.get(metric),
            }
        )
    return cards


def _quarter_figures(figures: Figures, quarter: str) -> list[tuple[str, object]]:
    """What the release counts in one quarter: each trend table's total for it."""
    return [(str(QUARTER_NAMES[key]), figures.cell(key, quarter, "total")) for key, _areas in TRENDS]


def _city_figures(figures: Figures, city: str) -> list[tuple[str, list[tuple[str, object]]]]:
    """A city's rows of the tables by city: its people registered by sex, certified by kind."""
    views = []
    for key in ("registered_by_city", "certified_by_city"):
        view = table_view(figures, key)
        row = next(([*cells, total] for name, cells, total in view.lines if name == city), None)
        if view.withheld or row is None:
            views.append((view.title, []))
            continue
        views.append((view.title, list(zip([*view.columns, _("Total")], row, strict=True))))
    return views


def aggregate_rows(figures: Figures, project):
    """(table, row, column, value) for every figure, after the results framework; hidden figures
    read as on the page ("< 5", "…")."""
    yield [_("Table"), _("Row"), _("Column"), _("Value")]
    for line in result_views(figures, project):
        indicator = line.indicator
        name = neutralize(f"{indicator.code} {indicator.name}")
        yield [_("Results framework"), name, _("Baseline"), indicator.baseline]
        yield [_("Results framework"), name, _("Target"), indicator.target]
        yield [_("Results framework"), name, _("Actual"), "" if line.actual is None else line.actual]
    for key in figures.tables:
        view = table_view(figures, key)
        if view.withheld:
            yield [view.title, "", "", _("Not published")]
            continue
        for row, cells, total in view.lines:
            for column, cell in zip(view.columns, cells, strict=True):
                yield [view.title, neutralize(row), column, cell]
            if view.show_row_totals and len(view.columns) > 1:
                yield [view.title, neutralize(row), _("Total"), total]
        for column, cell in zip(view.columns, view.column_totals, strict=True):
            yield [view.title, _("Total"), column, cell]
        if len(view.columns) > 1:
            yield [view.title, _("Total"), _("Total"), view.total]


# --- Releases: the M&E officer previews, publishes and withdraws ---------------------------------


@permission_required("reports.publish_release", raise_exception=True)
def releases(request, code: str):
    """The next release as it would be published (live figures, what is hidden and why), and the
    releases published so far."""
    project = dashboard_project(user=request.user, code=code)
    figures, audit = live_figures(project)
    hidden = sorted(audit["reasons"].items())
    context = {
        "project": project,
        "releases": release_list(project),
        "current": current_release(project),
        "audit": audit,
        "reduced": [str(TABLE_TITLES[key]) for key in audit.get("reduced", [])],
        "hidden": [(figure_name(figures, name), _reason_text(figures, reason)) for name, reason in hidden],
        "body": _body(project, None, live=True),
        # The last publication asked for: under way, or failed (and why); an older one is history.
        "publication": project.publications.first(),
    }
    return render(request, "reports/releases.html", context)


def _reason_text(figures: Figures, reason: str) -> str:
    if reason == "small":
        return _("1 to 4 people")
    if reason == "change":
        return _("a change of 1 to 4 people since the last release")
    return _("would let %(figure)s be worked out") % {"figure": figure_name(figures, reason)}


@require_POST
@permission_required("reports.publish_release", raise_exception=True)
def release_publish(request, code: str):
    """Publication is a job: this page asks for it, and the releases page follows it."""
    project = dashboard_project(user=request.user, code=code)
    try:
        publication = jobs.request_publication(project=project, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:releases", code=project.code)
    publication.refresh_from_db()  # where a worker was quick (or jobs run at once), its outcome
    if publication.is_published:
        messages.success(request, _("Release %(number)d is published.") % {"number": publication.release.number})
    elif publication.is_failed:
        messages.error(request, publication.error)
    return redirect("reports:releases", code=project.code)


@require_safe
@permission_required("reports.publish_release", raise_exception=True)
def release_status(request, code: str):
    """Whether a publication of the project is under way, for the releases page (js/job.js)."""
    project = dashboard_project(user=request.user, code=code)
    publication = project.publications.first()
    return JsonResponse(publication.progress() if publication else {"running": False})


@require_POST
@permission_required("reports.publish_release", raise_exception=True)
def release_withdraw(request, code: str, number: int):
    project = dashboard_project(user=request.user, code=code)
    release = get_object_or_404(project.releases, number=number)
    try:
        services.withdraw_release(release=release, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Release %(number)d is withdrawn.") % {"number": release.number})
    return redirect("reports:releases", code=project.code)
