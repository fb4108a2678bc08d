from django.contrib.admin.apps import AdminConfig


class MasarAdminConfig(AdminConfig):
    """Django's admin with Masar's site (core.admin.MasarAdminSite) as ``admin.site``."""

    default_site = "core.admin.MasarAdminSite"
