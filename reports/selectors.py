from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from projects.models import Funding, Partnership, Project
from projects.selectors import member_project_list, project_list

from .models import Release, Update, UpdatePhoto


def dashboard_project(*, user, code: str, whole: bool = True) -> Project:
    """A project whose dashboard ``user`` may read: donors and staff of the project (404 otherwise).
    ``whole=False`` reads only its code: the frame drawn around a page kept in the cache needs no
    more, and a project is a wide row (every column read costs each request)."""
    projects = member_project_list(user=user)
    if not whole:
        projects = projects.only("code")
    return get_object_or_404(projects, code=code)


def project_fundings(project: Project) -> list[Funding]:
    """Who funds the project, the largest first."""
    return list(project.fundings.select_related("organization").order_by("-amount"))


def published_project(*, user, code: str) -> Project:
    """A project whose published figures ``user`` may read: a public one, or one they work on."""
    return get_object_or_404(
        project_list(user=user).prefetch_related(
            "sectors", Prefetch("partnerships", queryset=Partnership.objects.select_related("organization"))
        ),
        code=code,
    )


def current_release(project: Project, *, with_figures: bool = True) -> Release | None:
    """What donors and the public read: the latest release not withdrawn (a withdrawn release gives
    way to the one before it). ``with_figures=False`` leaves its figures and audit unread until they
    are used (a page drawn from the cache does not need them)."""
    releases = project.releases.published().order_by("-number")
    if not with_figures:
        releases = releases.defer("figures", "counts", "audit")
    return releases.first()


def latest_release(project: Project) -> Release | None:
    """The latest release ever published, withdrawn or not: its readers may still hold it, so the
    next release is audited against it."""
    return project.releases.order_by("-number").first()


def release_list(project: Project):
    return project.releases.select_related("published_by", "withdrawn_by").order_by("-number")


def sees_live_figures(user, project: Project) -> bool:
    """Staff of the project see live figures; donors see what was published."""
    return (
        user.has_perm("beneficiaries.view_beneficiary")
        and member_project_list(user=user).filter(pk=project.pk).exists()
    )


def project_updates(project: Project):
    """Every update of the project, for its staff: the newest first, with what the list shows."""
    return project.updates.select_related("created_by", "approved_by").annotate(photo_count=Count("photos"))


def published_updates(project: Project):
    """Updates the public reads: approved ones, each with its photos that may be shown."""
    return project.updates.published().prefetch_related(
        Prefetch("photos", queryset=UpdatePhoto.objects.showable(), to_attr="showable_photos")
    )


def staff_update(*, project: Project, pk: int) -> Update:
    return get_object_or_404(project.updates.select_related("created_by", "approved_by"), pk=pk)


def public_photo(*, project: Project, update_pk: int, pk: int) -> UpdatePhoto:
    """A photo the public may see: of an approved update, and showable today (404 otherwise)."""
    return get_object_or_404(
        UpdatePhoto.objects.showable().filter(update__project=project, update__approved_at__isnull=False),
        update_id=update_pk,
        pk=pk,
    )
