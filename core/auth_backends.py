"""Django's ModelBackend, reading a user's permissions in one query rather than two."""

from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class ModelBackend(backends.ModelBackend):
    """Every staff page asks for a permission: Django reads the user's own permissions, then their
    groups', in two queries (a tenth of a person's page beyond the layout, tier L; README, "Speed").
    Here both are one query, with Django's rules: none for an inactive or anonymous user or for an
    object, every permission for a superuser, kept on the user object for the request."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            rows = Permission.objects.order_by()  # a set: no sort by the model's ordering
            if not user_obj.is_superuser:
                own = user_obj.user_permissions.through.objects.filter(user_id=user_obj.pk)
                # Through the membership rows, not the groups themselves: a join fewer to plan.
                groups = user_obj.groups.through.objects.filter(user_id=user_obj.pk).values("group_id")
                of_groups = Group.permissions.through.objects.filter(group_id__in=groups)
                rows = rows.filter(Q(pk__in=own.values("permission_id")) | Q(pk__in=of_groups.values("permission_id")))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in rows.values_list("content_type__app_label", "codename")
            }
        return user_obj._perm_cache
