from django.shortcuts import get_object_or_404

from projects.models import Funding, Project
from projects.selectors import member_project_list, project_list


def dashboard_project(*, user, code: str) -> Project:
    """A project whose dashboard ``user`` may read: donors and staff of the project (404 otherwise)."""
    return get_object_or_404(member_project_list(user=user), code=code)


def project_fundings(project: Project) -> list[Funding]:
    """Who funds the project, the largest first."""
    return list(project.fundings.select_related("organization").order_by("-amount"))


def published_project(*, user, code: str) -> Project:
    """A project whose published figures ``user`` may read: a public one, or one they work on."""
    return get_object_or_404(project_list(user=user).prefetch_related("sectors"), code=code)
