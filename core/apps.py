from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core.checks import Tags, register

        from . import middleware, security  # noqa: F401  (connect the sign-in and security-event receivers)
        from .deployment import check_shared_cache

        register(check_shared_cache, Tags.caches, deploy=True)
