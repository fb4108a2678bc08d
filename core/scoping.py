"""Which records a user may see. Every selector that reads project data goes through here, so the
rule "members of a project see its data; nobody else does" is written in one place: as a queryset
filter (``for_member``), and as SQL for the one query written by hand (``member_condition``; a test
holds the two to the same answers for every kind of user)."""

from django.db.models import QuerySet


def for_member(queryset: QuerySet, user, *, project_path: str = "project") -> QuerySet:
    """Narrow ``queryset`` to rows of projects ``user`` is a member of.

    ``project_path`` is the lookup from the queryset's model to its Project ("" for Project
    itself). Superusers see everything; anonymous users see nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    prefix = f"{project_path}__" if project_path else ""
    # A membership is unique per (user, project), so this join cannot duplicate rows.
    return queryset.filter(**{f"{prefix}memberships__user": user})


def member_condition(user, *, project_id_column: str) -> tuple[str, list]:
    """``for_member``'s rule as an SQL condition and its parameters, for the rare query written by
    hand (a person's page, ``beneficiaries.selectors.beneficiary_page_get``): ``project_id_column``
    holds the id of the row's project."""
    if not user.is_authenticated or not user.is_active:
        return "1 = 0", []
    if user.is_superuser:
        return "1 = 1", []
    # ``project_id_column`` is a column named by our code, never a user's input.
    return (
        "EXISTS (SELECT 1 FROM projects_membership"  # noqa: S608
        f" WHERE projects_membership.project_id = {project_id_column} AND projects_membership.user_id = %s)",
        [user.pk],
    )
