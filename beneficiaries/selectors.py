import functools

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.formatting import staff_name
from core.lists import cached_per_query
from core.names import fold
from core.scoping import for_member, member_condition
from core.versioning import data_version
from projects.selectors import member_project_list

from . import panels
from .models import Beneficiary, CrossProjectMatch, ExportJob, ImportJob


def beneficiary_list(*, user) -> QuerySet[Beneficiary]:
    """The people a user may see (members of their projects), with what the list shows."""
    return for_member(Beneficiary.objects.all(), user).select_related("project", "city")


# What a row of the staff list shows: the list reads these as plain values (25 people read as
# model instances took twice as long), the API as people.
STAFF_LIST_FIELDS = (
    "reference",
    "last_name",
    "first_name",
    "other_last_name",
    "other_first_name",
    "sex",
    "age_group",
    "nationality",
    "city__name",
    "status",
    "consent_sharing",
)


def beneficiary_table(*, user) -> QuerySet[Beneficiary]:
    """The people a user may see, with only what the staff list shows (``STAFF_LIST_FIELDS``, and
    the date it sorts by).

    Scoped by the user's projects as a subquery rather than a join: the newest people are then read
    in the order of their index, 25 at a time, instead of every person of the projects being sorted
    for each page (3.4 ms at 10,000 people on SQLite, growing with them; 0.35 ms this way)."""
    return (
        Beneficiary.objects.filter(project__in=member_project_list(user=user).values("pk"))
        .select_related("city")
        .only(*STAFF_LIST_FIELDS, "created_at")
    )


def export_rows(queryset: QuerySet[Beneficiary], *, for_partners: bool) -> QuerySet[Beneficiary]:
    """The people an export may hold: for partners, only those who consented to sharing with them
    (the consent rule of DESIGN.md, rule 3, kept here for every export path)."""
    return queryset.filter(consent_sharing=True) if for_partners else queryset


# What ``search_filter`` finds people by, as a search field says it.
SEARCH_HINT = _("Name, reference, phone or card number")


def search_filter(search: str) -> Q:
    """Find people by name (any order, no accents needed), reference, phone or card number."""
    compact = search.replace(" ", "").replace(".", "")
    lookup = Q(reference__icontains=search) | Q(residence_card_number__iexact=search)
    digits = compact.lstrip("+").lstrip("0") if compact.lstrip("+").isdigit() else ""
    if digits:
        # Said outright, the phone is not empty: the phone's trigram index holds only those
        # (migration 0018), and PostgreSQL uses it only for a query that says so.
        lookup |= Q(phone__contains=digits[-9:]) & ~Q(phone="")
    words = fold(search).split()
    if words:
        # Every word must appear in the folded name, in any order and whatever the accents, so that
        # "diallo moh" finds Mohammed Diallo and "traore" finds Traoré.
        name_match = Q()
        for word in words:
            name_match &= Q(search_name__contains=word)
        lookup |= name_match
    return lookup


def card_number_taken(*, project, card_number: str, exclude_pk: int | None = None) -> bool:
    """Whether another person of ``project`` has this residence card number (any case)."""
    rows = Beneficiary.objects.filter(project=project, residence_card_number__iexact=card_number)
    return bool(card_number) and rows.exclude(pk=exclude_pk).exists()


def beneficiary_get(*, user, reference: str) -> Beneficiary:
    """One person, or 404 for someone outside the user's projects."""
    rows = for_member(Beneficiary.objects.select_related("project", "city", "created_by"), user)
    return get_object_or_404(rows, reference=reference)


# A person's page reads the person in SQL written here, once. Built through the ORM, the query
# cost about a fifth of what the page costs beyond the site's layout (tier L, README "Speed"):
# Python wrote the SQL of a five-table join for every page (0.7 ms), and PostgreSQL planned it
# (0.5-0.7 ms at 100,000 people, against 0.2 ms for these one-row subqueries). Beside the person's
# row, as values: their project's code and country, their city's name and who registered them
# (nothing on the page reads those rows), then what the registered panels need to know.
_PERSON_PAGE_SQL = """
SELECT beneficiaries_beneficiary.*,
    (SELECT code FROM projects_project WHERE id = beneficiaries_beneficiary.project_id) AS project_code,
    (SELECT country FROM projects_project WHERE id = beneficiaries_beneficiary.project_id) AS project_country,
    (SELECT name FROM projects_location WHERE id = beneficiaries_beneficiary.city_id) AS city_name,
    (SELECT first_name FROM auth_user WHERE id = beneficiaries_beneficiary.created_by_id) AS registered_by_first_name,
    (SELECT last_name FROM auth_user WHERE id = beneficiaries_beneficiary.created_by_id) AS registered_by_last_name,
    (SELECT username FROM auth_user WHERE id = beneficiaries_beneficiary.created_by_id) AS registered_by_username
    {panel_values}
FROM beneficiaries_beneficiary
WHERE beneficiaries_beneficiary.reference = %s AND {members_only}
"""


@functools.lru_cache(maxsize=4)
def _person_page_panel_values(registered_panels: tuple, vendor: str) -> tuple[str, tuple, tuple]:
    """What the registered panels need to know of a person (``panels.person_page_values``, ORM
    expressions), as columns of the page's SQL: their SQL, its parameters, and for each value its
    name and the converters the ORM would apply to it. Turned into SQL once per set of panels and
    database. A value that needs a join or an aggregate cannot be a column of the person's row
    alone: it is refused here, with its name, rather than sent as SQL the database refuses."""
    values = panels.person_page_values(registered_panels)
    query = Beneficiary.objects.annotate(**values).query
    if len(query.alias_map) > 1 or query.group_by:
        raise ImproperlyConfigured(
            f"A person's page reads each panel value as a subquery or from the person's own columns: "
            f"{', '.join(values)} would join a table or aggregate."
        )
    compiler = query.get_compiler(connection=connection)
    columns, parameters, converted = [], [], []
    for name in values:
        expression = query.annotations[name]
        sql, expression_parameters = expression.select_format(compiler, *compiler.compile(expression))
        columns.append(f", {sql} AS {connection.ops.quote_name(name)}")
        parameters.extend(expression_parameters)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        converted.append((name, expression, tuple(converters)))
    return "".join(columns), tuple(parameters), tuple(converted)


def beneficiary_page_get(*, user, reference: str) -> Beneficiary:
    """One person as their page shows them, or 404 for someone outside the user's projects.

    Their own row, and beside it, as values: their project's code and country (``project_code``,
    ``project_country``), their city's name (``city_name``), who registered them
    (``registered_by``, a name) and what the page's panels need to know of them."""
    panel_values, panel_parameters, panel_values_read = _person_page_panel_values(
        panels.registered_panels(), connection.vendor
    )
    members_only, member_parameters = member_condition(user, project_id_column="beneficiaries_beneficiary.project_id")
    sql = _PERSON_PAGE_SQL.format(panel_values=panel_values, members_only=members_only)
    person = next(iter(Beneficiary.objects.raw(sql, [*panel_parameters, reference, *member_parameters])), None)
    if person is None:
        raise Http404
    # As the ORM reads them (SQLite answers 0 or 1 for a yes or no, and dates as text).
    for name, expression, converters in panel_values_read:
        value = getattr(person, name)
        for converter in converters:
            value = converter(value, expression, connection)
        setattr(person, name, value)
    person.registered_by = staff_name(
        get_user_model()(
            first_name=person.registered_by_first_name,
            last_name=person.registered_by_last_name,
            username=person.registered_by_username,
        )
    )
    return person


# Services record why a version was saved as a code; this is how people read it.
CHANGE_REASONS = {
    "registered": _("Registered"),
    "edited": _("Edited"),
    "withdrawn": pgettext_lazy("person status", "Withdrawn"),
    "anonymized": pgettext_lazy("person status", "Anonymized"),
}


def beneficiary_history(*, beneficiary: Beneficiary) -> list[dict]:
    """Each saved version, newest first, with who saved it and which fields changed (by label)."""
    # Through the history model's own manager (``beneficiary.history`` builds a manager on each
    # access, a fifth of what reading a person's history cost), and put in order here: a person's
    # few versions sort in no time, and the ORDER BY took a third of the query's time to write.
    records = sorted(
        Beneficiary.history.model.objects.filter(id=beneficiary.pk).select_related("history_user").order_by(),
        key=lambda record: (record.history_date, record.history_id),
        reverse=True,
    )
    entries = []
    # Each version beside the one before it; the oldest has none, and a person written in bulk
    # (an import of old records) may have no version at all.
    for record, previous in zip(records, [*records[1:], None][: len(records)], strict=True):
        changed = []
        if previous is not None:
            delta = record.diff_against(previous)
            changed = [str(Beneficiary._meta.get_field(change.field).verbose_name) for change in delta.changes]
        reason = CHANGE_REASONS.get(record.history_change_reason or "", record.get_history_type_display())
        entries.append({"record": record, "changed": changed, "what": reason})
    return entries


def recent_registrations(*, user, limit: int = 5) -> list[Beneficiary]:
    """The last people ``user`` registered, in the projects they still work on, newest first. Kept per
    user and data version: a registration, a change, an anonymization or a membership reads again."""
    return cache.get_or_set(
        f"recent-registrations:{data_version()}:{user.pk}:{user.is_superuser}:{limit}",
        lambda: list(
            for_member(Beneficiary.objects.filter(created_by=user), user)
            .only("reference", "first_name", "last_name", "status", "created_at")
            .order_by("-created_at")[:limit]
        ),
        3600,
    )


def matches_to_review_count(*, user) -> int:
    """Likely duplicates across projects not yet reviewed, of which either person is in one of the
    user's projects (the admin lists the same). Kept per user and data version: a review, a
    registration or a membership counts again."""
    # The query is built only when the count is not kept: building it cost as much as the rest.
    return cache.get_or_set(
        f"matches-to-review:{data_version()}:{user.pk}:{user.is_superuser}",
        lambda: _matches_to_review(user=user).count(),
        3600,
    )


def _matches_to_review(*, user) -> QuerySet[CrossProjectMatch]:
    open_matches = CrossProjectMatch.objects.filter(reviewed_at__isnull=True)
    mine = for_member(open_matches, user, project_path="beneficiary__project").values("pk")
    theirs = for_member(open_matches, user, project_path="other__project").values("pk")
    return open_matches.filter(Q(pk__in=mine) | Q(pk__in=theirs))


def frequent_nationalities(*, projects, limit: int = 6) -> list[str]:
    """The country codes most registered in ``projects``, the most frequent first (at least five
    people each, so that a form never hints at a rare nationality). Kept until the data changes."""
    project_ids = sorted(project.pk for project in projects)
    key = f"frequent-nationalities:{data_version()}:{','.join(map(str, project_ids))}"
    codes = cache.get(key)
    if codes is None:
        rows = (
            Beneficiary.objects.filter(project__in=project_ids)
            .exclude(status=Beneficiary.Status.ANONYMIZED)
            .values("nationality")
            .annotate(people=Count("pk"))
            .filter(people__gte=5)
            .order_by("-people", "nationality")[:limit]
        )
        codes = [row["nationality"] for row in rows]
        cache.set(key, codes, 3600)
    return codes


def recent_imports(*, project, limit: int = 10) -> list[dict]:
    """The project's latest spreadsheet imports: each ``batch`` with how many ``people`` it registered
    and when (``at``), the latest first."""
    imports = (
        Beneficiary.objects.filter(project=project)
        .exclude(import_batch="")
        .values("import_batch")
        .annotate(people=Count("pk"), at=Min("created_at"))
        .order_by("-at")[:limit]
    )
    return cached_per_query("recent-imports", imports, lambda: list(imports))  # until the data changes


def import_job_get(*, user, pk) -> ImportJob | None:
    """An import of this user's, in a project they still work on; None for anyone else's."""
    return for_member(ImportJob.objects.filter(created_by=user), user).select_related("project").filter(pk=pk).first()


def import_jobs_open(*, user) -> QuerySet[ImportJob]:
    """This user's imports still under way, or checked and left without being committed or
    cancelled (a file kept for them), the newest first."""
    under_way = Q(status__in=[ImportJob.Status.CHECKING, ImportJob.Status.COMMITTING])
    waiting = Q(status=ImportJob.Status.CHECKED) & ~Q(file="")
    return for_member(ImportJob.objects.filter(under_way | waiting, created_by=user), user)


def export_job_get(*, user, pk) -> ExportJob | None:
    """An export this user asked for; None for anyone else's."""
    return ExportJob.objects.filter(created_by=user, pk=pk).first()
