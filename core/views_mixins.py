from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .forms import guide_fields


@method_decorator(never_cache, name="dispatch")
class PersonalDataMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Pages with personal data: signed-in users with the permission only, never cached.

    A user without the permission gets 403; scoping to the user's projects happens in each view's
    selector, so a record of another project is a 404.
    """

    raise_exception = True


class GuidedFormMixin:
    """A form page whose fields guide the person filling them in (``core.forms.guide_fields``)."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        guide_fields(form)
        return form


class ServiceFormMixin(GuidedFormMixin):
    """A form whose valid data goes to a service; a refusal from the service shows on the form.

    Views name their page with ``get_page_title`` (form_page.html shows it)."""

    def get_page_title(self) -> str:
        return ""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_title": self.get_page_title()}

    def form_valid(self, form):
        try:
            return self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
