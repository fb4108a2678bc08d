from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.roles import Role
from core.scoping import for_member

from .models import Funding, Location, Partnership, Project


def project_list(*, user) -> QuerySet[Project]:
    """Projects a user may read: the public ones, plus those they are a member of."""
    member_ids = for_member(Project.objects.all(), user, project_path="").values("pk")
    return Project.objects.filter(Q(is_public=True) | Q(pk__in=member_ids)).order_by("code")


def member_project_list(*, user) -> QuerySet[Project]:
    """Projects whose non-public data a user may work on."""
    return for_member(Project.objects.all(), user, project_path="").order_by("code")


def staff_of(projects) -> QuerySet:
    """Active users who work on any of ``projects`` (donors read them, they do not work on them)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__project__in=projects)
        .exclude(groups__name=Role.DONOR.value)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def project_sheet(*, user, code: str) -> Project:
    """A project with everything its sheet shows, or 404 for a project the user may not read."""
    queryset = project_list(user=user).prefetch_related(
        "components",
        "sectors",
        "locations",
        Prefetch("fundings", queryset=Funding.objects.select_related("organization")),
        Prefetch("partnerships", queryset=Partnership.objects.select_related("organization")),
    )
    return get_object_or_404(queryset, code=code)


def cities_of(projects) -> QuerySet[Location]:
    """The cities of the countries ``projects`` (a list, or a queryset read as a subquery, in the
    same query) work in: what a form or a list's filter about them offers."""
    if isinstance(projects, QuerySet):
        countries = projects.values("country")
    else:
        countries = {project.country.code for project in projects}
    return Location.objects.filter(kind=Location.Kind.CITY, country__in=countries)
