from html import escape
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from core.forms import country_choices
from core.lists import Column, SortedListMixin
from core.security import client_ip
from core.spreadsheets import spreadsheet_response
from core.views_mixins import GuidedFormMixin, PersonalDataMixin
from projects.selectors import member_project_list

from . import imports, pending_imports
from .duplicates import find_duplicates, split_by_visibility
from .exports import registry_rows
from .filters import BeneficiaryFilter
from .forms import BeneficiaryEditForm, BeneficiaryForm, ImportForm, WithdrawForm
from .models import AccessLog, AgeGroup, Beneficiary
from .panels import person_panels
from .selectors import beneficiary_get, beneficiary_history, beneficiary_list, beneficiary_table, export_rows
from .services import (
    beneficiary_anonymize,
    beneficiary_create,
    beneficiary_update,
    beneficiary_withdraw,
    check_editable,
    log_access,
    log_export,
)


def _member_project_ids(user) -> set[int]:
    return set(member_project_list(user=user).values_list("pk", flat=True))


class BeneficiaryListView(PersonalDataMixin, SortedListMixin, FilterView):
    permission_required = "beneficiaries.view_beneficiary"
    filterset_class = BeneficiaryFilter
    template_name = "beneficiaries/beneficiary_list.html"
    columns = (
        Column(gettext_lazy("Reference"), "reference", ("reference",)),
        Column(gettext_lazy("Name"), "name", ("last_name", "first_name")),
        Column(gettext_lazy("Sex"), "sex", ("sex",)),
        Column(gettext_lazy("Age group"), "age", ("age_group",)),
        Column(gettext_lazy("Nationality"), "nationality", ("nationality",)),
        Column(gettext_lazy("City"), "city", ("city__name",)),
        Column(gettext_lazy("Status"), "status", ("status",)),
        Column(gettext_lazy("Sharing")),
    )
    default_order = ("-created_at", "-pk")  # the newest registrations first

    def get_queryset(self):
        return beneficiary_table(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = list_rows(context["page_obj"].object_list)
        return context


def list_rows(people) -> str:
    """The list's rows as HTML, written here rather than cell by cell in the template, which cost a
    quarter of a millisecond a row (README, "Speed"): every label is translated once per page, and
    every value escaped as it is written."""
    sexes, ages, statuses = (
        {value: str(label) for value, label in choices}
        for choices in (Beneficiary.Sex.choices, AgeGroup.choices, Beneficiary.Status.choices)
    )
    countries = dict(country_choices())
    yes, no = _("Yes"), _("No")
    # The detail page's URL is the list's URL and the reference (beneficiaries/urls.py): reversing
    # it for each row cost more than the row.
    base = reverse("beneficiaries:beneficiary-list")
    rows = []
    for person in people:
        anonymized = person.status == Beneficiary.Status.ANONYMIZED
        cells = (
            "—" if anonymized else f"{person.last_name.upper()} {person.first_name}",
            sexes.get(person.sex, ""),
            ages.get(person.age_group, ""),
            countries.get(person.nationality.code, ""),
            person.city.name if person.city else "",
            statuses.get(person.status, ""),
            yes if person.consent_sharing else no,
        )
        link = f'<a href="{escape(base + quote(person.reference))}/">{escape(person.reference)}</a>'
        others = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        rows.append(f'<tr><td class="text-nowrap">{link}</td>{others}</tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped above)


class BeneficiaryCreateView(PersonalDataMixin, GuidedFormMixin, FormView):
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
        shown, elsewhere = split_by_visibility(candidates, visible_project_ids=_member_project_ids(self.request.user))
        confirmed = set(self.request.POST.getlist("distinct_from"))
        if shown and not {str(c.beneficiary.pk) for c in shown} <= confirmed:
            # Show the likely duplicates first; staff open one or confirm "not the same person".
            return self.render_to_response(self.get_context_data(form=form, candidates=shown))
        beneficiary = beneficiary_create(
            project=data["project"],
            data=data,
            by=self.request.user,
            distinct_from=[c.beneficiary for c in shown],
            cross_project=elsewhere,
        )
        messages.success(self.request, _("%(person)s registered.") % {"person": beneficiary})
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
        return {
            **super().get_context_data(**kwargs),
            "history": beneficiary_history(beneficiary=self.object),
            "panels": person_panels(request=self.request, beneficiary=self.object),
        }


class BeneficiaryObjectMixin(PersonalDataMixin):
    """Loads ``self.beneficiary`` from the URL, scoped to the user's projects (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.beneficiary = beneficiary_get(user=request.user, reference=kwargs["reference"])
        return super().dispatch(request, *args, **kwargs)


class BeneficiaryEditView(BeneficiaryObjectMixin, GuidedFormMixin, FormView):
    permission_required = "beneficiaries.change_beneficiary"
    form_class = BeneficiaryEditForm
    template_name = "beneficiaries/beneficiary_form.html"

    def get(self, request, *args, **kwargs):
        try:  # a courtesy before the form: the service asks the same again when it saves
            check_editable(current=self.beneficiary, version=self.beneficiary.version)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
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

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return render(request, self.template_name, {"beneficiary": self.beneficiary, "form": form})
        self.reason = form.cleaned_data["reason"]
        return super().post(request, *args, **kwargs)

    def perform(self):
        beneficiary_withdraw(beneficiary=self.beneficiary, by=self.request.user, reason=self.reason)


class BeneficiaryAnonymizeView(BeneficiaryActionView):
    permission_required = "beneficiaries.anonymize_beneficiary"
    template_name = "beneficiaries/beneficiary_anonymize.html"

    @property
    def success_message(self):
        return _("%(reference)s is anonymized: identity removed, totals unchanged.")

    def perform(self):
        beneficiary_anonymize(beneficiary=self.beneficiary, by=self.request.user)


class BeneficiaryExportView(PersonalDataMixin, View):
    """The list as the user filtered it, as CSV or XLSX: M&E officers only, every export logged.

    ``audience=partner`` keeps only people who consented to sharing with partners.
    """

    permission_required = "beneficiaries.export_beneficiary"
    file_format = "csv"  # or "xlsx", set in the URLconf

    def get(self, request, *args, **kwargs):
        filterset = BeneficiaryFilter(request.GET, queryset=beneficiary_list(user=request.user), request=request)
        if not filterset.is_valid():
            messages.error(request, _("The export was not made: correct the filters first."))
            return redirect(f"{reverse('beneficiaries:beneficiary-list')}?{request.GET.urlencode()}")
        for_partners = request.GET.get("audience") == "partner"
        rows = export_rows(filterset.qs, for_partners=for_partners)
        # The names of the filters in use, as the filter set knows them: never their values, and
        # never a parameter name a user made up.
        filter_names = [name for name in filterset.form.fields if request.GET.get(name)]
        log_export(
            user=request.user,
            queryset=rows,
            ip=client_ip(request),
            filter_names=filter_names,
            file_format=self.file_format,
            for_partners=for_partners,
        )
        stamp = timezone.localdate().isoformat()
        name = f"masar-{'partenaires' if for_partners else 'beneficiaires'}-{stamp}.{self.file_format}"
        return spreadsheet_response(
            registry_rows(rows), file_format=self.file_format, filename=name, sheet_title=_("Beneficiaries")
        )


class ImportView(PersonalDataMixin, View):
    """Upload a spreadsheet, see every row's problems, then register all rows or none.

    The file waits on the server (IMPORT_DIR) between the preview and the commit, under a random
    name kept in the user's session, only when the preview can be committed: a refused file is not
    kept. The commit checks it again against the registry as it is then; cancel deletes it.
    """

    permission_required = "beneficiaries.import_beneficiary"
    template_name = "beneficiaries/import.html"

    def get(self, request, *args, **kwargs):
        if "resume" in request.GET:
            return self.resume(request, request.GET["resume"])
        return render(request, self.template_name, {"form": ImportForm(user=request.user)})

    def resume(self, request, token):
        """The preview of a file this session kept and left without committing, shown again."""
        pending = pending_imports.peek(request, token)
        if pending is None:
            messages.error(request, _("This import has expired or was already done: upload the file again."))
            return redirect("beneficiaries:beneficiary-import")
        project, filename, content = pending
        result = self.check_again(request, project, filename, content)
        if result is None:
            pending_imports.discard(request, token)
            return redirect("beneficiaries:beneficiary-import")
        if not result.can_commit:  # the registry changed meanwhile: the file is not kept any longer
            pending_imports.discard(request, token)
            token = None
        context = {"form": ImportForm(user=request.user), "result": result, "token": token, "project": project}
        return render(request, self.template_name, {**context, "filename": filename})

    def check_again(self, request, project, filename, content):
        """A kept file checked again against the registry as it is now (for a resumed preview and for
        the commit); None, with the reason said, when it can no longer be read."""
        try:
            return imports.preview(
                project=project,
                filename=filename,
                content=content,
                visible_project_ids=_member_project_ids(request.user),
            )
        except imports.ImportFileError as error:
            messages.error(request, str(error))
            return None

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.cancel(request) if "cancel" in request.POST else self.commit(request)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        upload = form.cleaned_data["file"]
        project = form.cleaned_data["project"]
        try:
            imports.check_file_size(upload.size)  # before reading it into memory
            content = upload.read()
            result = imports.preview(
                project=project,
                filename=upload.name,
                content=content,
                visible_project_ids=_member_project_ids(request.user),
            )
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, {"form": form})
        # The file holds personal data: it stays on the server only if this preview can be committed.
        token = None
        if result.can_commit:
            token = pending_imports.keep(request, project=project, filename=upload.name, content=content)
        return render(
            request,
            self.template_name,
            {"form": form, "result": result, "token": token, "project": project, "filename": upload.name},
        )

    def commit(self, request):
        pending = pending_imports.take(request, request.POST["token"])
        if pending is None:
            messages.error(request, _("This import has expired or was already done: upload the file again."))
            return redirect("beneficiaries:beneficiary-import")
        project, filename, content = pending
        result = self.check_again(request, project, filename, content)
        if result is None:
            return redirect("beneficiaries:beneficiary-import")
        if not result.can_commit or (result.flagged and "confirm_duplicates" not in request.POST):
            # The registry changed since the preview, or possible duplicates were not confirmed; the
            # file is kept again only if it can still be committed.
            token = None
            if result.can_commit:
                token = pending_imports.keep(request, project=project, filename=filename, content=content)
            context = {"form": ImportForm(user=request.user), "result": result, "token": token, "project": project}
            if result.flagged:
                context["confirm_needed"] = True
            return render(request, self.template_name, {**context, "filename": filename})
        created = imports.commit(project=project, result=result, by=request.user, ip=client_ip(request))
        messages.success(
            request,
            ngettext(
                "%(count)d person imported into %(project)s.",
                "%(count)d people imported into %(project)s.",
                len(created),
            )
            % {"count": len(created), "project": project.code},
        )
        if result.already_registered:
            messages.info(
                request,
                ngettext(
                    "%(count)d row was already registered and was left out.",
                    "%(count)d rows were already registered and were left out.",
                    len(result.already_registered),
                )
                % {"count": len(result.already_registered)},
            )
        # The list, showing the people this import brought.
        return redirect(f"{reverse('beneficiaries:beneficiary-list')}?import_batch={created[0].import_batch}")

    def cancel(self, request):
        # Said the same whether or not the token was this session's: either way no file is left of it.
        pending_imports.discard(request, request.POST["token"])
        messages.info(request, _("The import was cancelled and the file deleted from the server."))
        return redirect("beneficiaries:beneficiary-import")


class ImportTemplateView(PersonalDataMixin, View):
    """An empty spreadsheet with the expected columns, in the page's language, and one example row."""

    permission_required = "beneficiaries.import_beneficiary"
    file_format = "xlsx"

    def get(self, request, *args, **kwargs):
        rows = imports.template_rows()
        name = f"masar-import-{get_language()[:2]}.{self.file_format}"
        return spreadsheet_response(rows, file_format=self.file_format, filename=name, sheet_title=_("Beneficiaries"))
