"""Which records a user may see. Every selector that reads project data goes through here, so the
rule "members of a project see its data; nobody else does" is written once."""

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
