from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


@method_decorator(never_cache, name="dispatch")
class PersonalDataMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Pages with personal data: signed-in users with the permission only, never cached.

    A user without the permission gets 403; scoping to the user's projects happens in each view's
    selector, so a record of another project is a 404.
    """

    raise_exception = True
