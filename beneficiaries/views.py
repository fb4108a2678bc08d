from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.scoping import for_member
from core.views_mixins import PersonalDataMixin

from .duplicates import find_duplicates
from .filters import BeneficiaryFilter
from .forms import BeneficiaryEditForm, BeneficiaryForm, WithdrawForm
from .models import AccessLog, Beneficiary
from .selectors import beneficiary_get, beneficiary_history, beneficiary_list
from .services import (
    beneficiary_anonymize,
    beneficiary_create,
    beneficiary_update,
    beneficiary_withdraw,
    log_access,
)
from .tables import BeneficiaryTable


class BeneficiaryListView(PersonalDataMixin, SingleTableMixin, FilterView):
    permission_required = "beneficiaries.view_beneficiary"
    filterset_class = BeneficiaryFilter
    table_class = BeneficiaryTable
    template_name = "beneficiaries/beneficiary_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return beneficiary_list(user=self.request.user)


class BeneficiaryCreateView(PersonalDataMixin, FormView):
    permission_required = "beneficiaries.add_beneficiary"
    form_class = BeneficiaryForm
    template_name = "beneficiaries/beneficiary_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        candidates = find_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            nationality=data["nationality"],
            phone=str(data.get("phone") or ""),
            residence_card_number=data.get("residence_card_number", ""),
        )
        confirmed = set(self.request.POST.getlist("distinct_from"))
        if candidates and not {str(c.beneficiary.pk) for c in candidates} <= confirmed:
            # Show the likely duplicates first; staff open one or confirm "not the same person".
            visible = set(
                for_member(
                    Beneficiary.objects.filter(pk__in=[c.beneficiary.pk for c in candidates]), self.request.user
                ).values_list("pk", flat=True)
            )
            return self.render_to_response(
                self.get_context_data(form=form, candidates=candidates, visible_candidates=visible)
            )
        beneficiary = beneficiary_create(
            project=data["project"],
            data=data,
            by=self.request.user,
            distinct_from=[c.beneficiary for c in candidates],
        )
        messages.success(self.request, _("%(reference)s registered.") % {"reference": beneficiary.reference})
        return redirect(beneficiary)


class BeneficiaryDetailView(PersonalDataMixin, DetailView):
    permission_required = "beneficiaries.view_beneficiary"
    template_name = "beneficiaries/beneficiary_detail.html"
    context_object_name = "beneficiary"

    def get_object(self):
        beneficiary = beneficiary_get(user=self.request.user, reference=self.kwargs["reference"])
        log_access(user=self.request.user, beneficiary=beneficiary, action=AccessLog.Action.VIEW)
        return beneficiary

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "history": beneficiary_history(beneficiary=self.object)}


class BeneficiaryObjectMixin(PersonalDataMixin):
    """Loads ``self.beneficiary`` from the URL, scoped to the user's projects (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.beneficiary = beneficiary_get(user=request.user, reference=kwargs["reference"])
        return super().dispatch(request, *args, **kwargs)


class BeneficiaryEditView(BeneficiaryObjectMixin, FormView):
    permission_required = "beneficiaries.change_beneficiary"
    form_class = BeneficiaryEditForm
    template_name = "beneficiaries/beneficiary_form.html"

    def get(self, request, *args, **kwargs):
        if self.beneficiary.status == Beneficiary.Status.ANONYMIZED:
            messages.error(request, _("This record is anonymized and can no longer be edited."))
            return redirect(self.beneficiary)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.beneficiary}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "beneficiary": self.beneficiary}

    def form_valid(self, form):
        try:
            beneficiary = beneficiary_update(
                beneficiary=self.beneficiary,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Changes saved."))
        return redirect(beneficiary)


class BeneficiaryActionView(BeneficiaryObjectMixin, View):
    """A confirmation page (GET) and the action itself (POST) for withdraw and anonymize."""

    template_name: str
    success_message: str

    def get_form(self):
        return None

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"beneficiary": self.beneficiary, "form": self.get_form()})

    def post(self, request, *args, **kwargs):
        try:
            self.perform()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message % {"reference": self.beneficiary.reference})
        return redirect(self.beneficiary)


class BeneficiaryWithdrawView(BeneficiaryActionView):
    permission_required = "beneficiaries.change_beneficiary"
    template_name = "beneficiaries/beneficiary_withdraw.html"

    @property
    def success_message(self):
        return _("%(reference)s is withdrawn from the project.")

    def get_form(self):
        return WithdrawForm(self.request.POST or None)

    def perform(self):
        form = self.get_form()
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        beneficiary_withdraw(beneficiary=self.beneficiary, by=self.request.user, reason=reason)


class BeneficiaryAnonymizeView(BeneficiaryActionView):
    permission_required = "beneficiaries.anonymize_beneficiary"
    template_name = "beneficiaries/beneficiary_anonymize.html"

    @property
    def success_message(self):
        return _("%(reference)s is anonymized: identity removed, totals unchanged.")

    def perform(self):
        beneficiary_anonymize(beneficiary=self.beneficiary, by=self.request.user)
