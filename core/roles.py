"""Roles are Django auth groups. This module is the single source of truth for their names and for
which model permissions each holds; data migrations apply it with ``grant``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DONOR = "donor", _("Donor")
    FIELD_STAFF = "field_staff", _("Field staff")
    ME_OFFICER = "me_officer", _("M&E officer")
    ADMINISTRATOR = "administrator", _("Administrator")


def grant(apps, role: Role | str, app_label: str, codenames: list[str]) -> None:
    """Give a role group the named permissions of one app. For use inside data migrations.

    Permissions are normally created after migrations run (post_migrate), so they are created
    here first for the app being migrated.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    # Historical app configs have no models module, which create_permissions takes as "no models".
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=str(role.value if isinstance(role, Role) else role))
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)


def user_roles(user) -> set[str]:
    """The role names a user holds (superusers hold administrator)."""
    if not user.is_authenticated:
        return set()
    names = {group.name for group in user.groups.all()}
    if user.is_superuser:
        names.add(Role.ADMINISTRATOR.value)
    return names


# Roles whose work includes the Django admin (the access log, corrections): they get staff status.
ADMIN_SITE_ROLES = {Role.ADMINISTRATOR, Role.ME_OFFICER}


def assign_role(user, role: Role) -> None:
    """Give ``user`` a role as the portal grants it: the role's group, and staff status where the role
    works in the admin. The demo data and the tests' personas both go through here, so a test persona
    holds exactly what a real user of that role holds."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role.value))
    if role in ADMIN_SITE_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
