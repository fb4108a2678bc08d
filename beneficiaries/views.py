from html import escape
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from core.forms import country_choices
from core.lists import Column, SortedListMixin
from core.security import client_ip, log_event
from core.spreadsheets import XLSX, spreadsheet_response
from core.views_mixins import GuidedFormMixin, PersonalDataMixin
from projects.selectors import cities_of, member_project_list

from . import imports, jobs
from .duplicates import duplicates_of_registration
from .exports import registry_rows
from .filters import EXPORT_REFUSED, BeneficiaryFilter
from .forms import BeneficiaryEditForm, BeneficiaryForm, ImportForm, WithdrawForm
from .kobo import KoboError, fetch_submissions
from .models import AgeGroup, Beneficiary, ImportJob
from .panels import person_panels
from .selectors import (
    STAFF_LIST_FIELDS,
    beneficiary_get,
    beneficiary_history,
    beneficiary_list,
    beneficiary_page_get,
    beneficiary_table,
    export_job_get,
    export_rows,
    import_job_get,
)
from .services import (
    beneficiary_anonymize,
    beneficiary_create,
    beneficiary_update,
    beneficiary_withdraw,
    check_editable,
    log_export,
    log_view,
)
from .xlsforms import registration_xlsform


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
    every value escaped as it is written. ``people``: a page of the list, as a queryset."""
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
    for person in people.values_list(*STAFF_LIST_FIELDS, named=True):
        anonymized = person.status == Beneficiary.Status.ANONYMIZED
        cells = (
            "—" if anonymized else f"{person.last_name.upper()} {person.first_name}",
            sexes.get(person.sex, ""),
            ages.get(person.age_group, ""),
            countries.get(person.nationality, ""),
            person.city__name or "",
            statuses.get(person.status, ""),
            yes if person.consent_sharing else no,
        )
        link = f'<a href="{escape(base + quote(person.reference))}/"><bdi>{escape(person.reference)}</bdi></a>'
        # The name in whichever script it was written (Arabic or Latin), and in the other script
        # below it when recorded: each in its own direction.
        name, *rest = cells
        other_name = "" if anonymized else f"{person.other_last_name.upper()} {person.other_first_name}".strip()
        if other_name:
            name_cell = (
                f'<td><span dir="auto">{escape(name)}</span><br><small dir="auto">{escape(other_name)}</small></td>'
            )
        else:
            name_cell = f'<td dir="auto">{escape(name)}</td>'
        others = name_cell + "".join(f"<td>{escape(cell)}</td>" for cell in rest)
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
        shown, elsewhere = duplicates_of_registration(data, user=self.request.user)
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
        beneficiary = beneficiary_page_get(user=self.request.user, reference=self.kwargs["reference"])
        log_view(user=self.request.user, beneficiary=beneficiary)
        return beneficiary

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "panels": person_panels(beneficiary=self.object)}


class BeneficiaryObjectMixin(PersonalDataMixin):
    """Loads ``self.beneficiary`` from the URL, scoped to the user's projects (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.beneficiary = beneficiary_get(user=request.user, reference=kwargs["reference"])
        return super().dispatch(request, *args, **kwargs)


class BeneficiaryHistoryView(BeneficiaryObjectMixin, TemplateView):
    """Each saved version of a person's record: when, by whom, why and which fields changed (their
    labels, never their values). A page of its own: a person's page is read many times a day, their
    history seldom, and it cost that page a query and a sixth of its time (README, "Speed")."""

    permission_required = "beneficiaries.view_beneficiary"
    template_name = "beneficiaries/beneficiary_history.html"

    def get(self, request, *args, **kwargs):
        log_view(user=request.user, beneficiary=self.beneficiary, detail="history")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "beneficiary": self.beneficiary,
            "history": beneficiary_history(beneficiary=self.beneficiary),
        }


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
            messages.error(request, EXPORT_REFUSED)
            return redirect(f"{reverse('beneficiaries:beneficiary-list')}?{request.GET.urlencode()}")
        for_partners = request.GET.get("audience") == "partner"
        rows = export_rows(filterset.qs, for_partners=for_partners)
        # The names of the filters in use, as the filter set knows them: never their values, and
        # never a parameter name a user made up.
        filter_names = [name for name in filterset.form.fields if request.GET.get(name)]
        count = log_export(
            user=request.user,
            queryset=rows,
            ip=client_ip(request),
            filter_names=filter_names,
            file_format=self.file_format,
            for_partners=for_partners,
        )
        stamp = timezone.localdate().isoformat()
        name = f"masar-{'partenaires' if for_partners else 'beneficiaires'}-{stamp}.{self.file_format}"
        if count > settings.EXPORT_INLINE_MAX_ROWS:
            # Too long for one request: a job prepares the file, its page says when it is ready.
            job = jobs.start_export(
                user=request.user,
                filters=request.GET,
                file_format=self.file_format,
                for_partners=for_partners,
                filename=name,
            )
            return redirect(job)
        return spreadsheet_response(
            registry_rows(rows), file_format=self.file_format, filename=name, sheet_title=_("Beneficiaries")
        )


class ExportJobView(PersonalDataMixin, View):
    """A large export being prepared, then its download: only for the person who asked for it, while
    they may still export (a 404 for anyone else)."""

    permission_required = "beneficiaries.export_beneficiary"
    template_name = "beneficiaries/export_job.html"
    download = False

    def get(self, request, *args, **kwargs):
        job = export_job_get(user=request.user, pk=kwargs["pk"])
        if job is None:
            raise Http404
        if "status" in request.GET:  # the counters, for the progress bar (js/job.js)
            return JsonResponse(job.progress())
        if not self.download:
            return render(request, self.template_name, {"job": job})
        if not job.is_ready or not job.file:
            raise Http404
        log_event("export_download", request=request, job=str(job.pk), rows=job.rows_total)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


class ImportView(PersonalDataMixin, View):
    """Upload a spreadsheet: it is kept in the private storage and checked by a job, whose page
    (ImportJobView) follows it from the preview to the commit."""

    permission_required = "beneficiaries.import_beneficiary"
    template_name = "beneficiaries/import.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"form": ImportForm(user=request.user)})

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        upload = form.cleaned_data["file"]
        try:
            imports.check_file_size(upload.size)  # before reading it into memory
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, {"form": form})
        job = jobs.start_import(
            project=form.cleaned_data["project"], user=request.user, filename=upload.name, content=upload.read()
        )
        return redirect(job)


class KoboFetchView(PersonalDataMixin, View):
    """Fetch the submissions of the project's KoboToolbox form and check them as an uploaded export:
    the import's page follows (preview, duplicates, commit)."""

    permission_required = "beneficiaries.import_beneficiary"

    def post(self, request, code: str):
        project = get_object_or_404(member_project_list(user=request.user), code=code)
        if not project.pulls_from_kobo:
            raise Http404(_("This project fetches nothing from KoboToolbox."))
        try:
            filename, content = fetch_submissions(project)
        except KoboError as error:
            messages.error(request, str(error))
            return redirect("beneficiaries:beneficiary-import")
        log_event("kobo_fetch", request=request, project=project.code, bytes=len(content))
        return redirect(jobs.start_import(project=project, user=request.user, filename=filename, content=content))


class ImportJobView(PersonalDataMixin, View):
    """One import, from its check to its result: progress while a job works on it (the page reads the
    job's counters, and survives a reload), the preview when it is checked, then the outcome.

    Only the person who uploaded the file sees it, while they work on its project; anyone else gets
    a 404. Commit, cancel and "start again" are POSTs to this page."""

    permission_required = "beneficiaries.import_beneficiary"
    template_name = "beneficiaries/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.job = import_job_get(user=request.user, pk=kwargs["pk"])
            if self.job is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        job = self.job
        context = {"form": ImportForm(user=request.user), "job": job, "filename": job.filename, "project": job.project}
        if job.preview and job.is_checked:
            context["result"] = imports.PreviewSummary.from_json(job.preview)
        if job.is_done:
            return self.done(request, job)
        return render(request, self.template_name, context)

    def done(self, request, job):
        """The list, showing the people this import brought, and what it did."""
        message = ngettext(
            "%(count)d person imported into %(project)s.", "%(count)d people imported into %(project)s.", job.rows_done
        )
        messages.success(request, message % {"count": job.rows_done, "project": job.project.code})
        left_out = job.preview["already_registered"] if job.preview else 0
        if left_out:
            message = ngettext(
                "%(count)d row was already registered and was left out.",
                "%(count)d rows were already registered and were left out.",
                left_out,
            )
            messages.info(request, message % {"count": left_out})
        return redirect(f"{reverse('beneficiaries:beneficiary-list')}?import_batch={job.import_batch}")

    def post(self, request, *args, **kwargs):
        job = self.job
        if "cancel" in request.POST:
            jobs.cancel_import(job)
            if job.status == ImportJob.Status.CANCELLED:
                messages.info(request, _("The import was cancelled and the file deleted from the server."))
                return redirect("beneficiaries:beneficiary-import")
            messages.error(request, _("This import is being written and can no longer be cancelled."))
        elif "restart" in request.POST and job.is_stalled:
            jobs.restart(job)
        else:
            try:
                jobs.request_commit(job, confirmed_duplicates="confirm_duplicates" in request.POST)
            except jobs.ImportExpired as error:
                messages.error(request, str(error))
                return redirect("beneficiaries:beneficiary-import")
            except ValidationError as error:
                messages.error(request, error.message)
        return redirect(job)


class ImportJobStatusView(ImportJobView):
    """The job's counters as JSON, for the progress bar (js/job.js); the page itself works without."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(self.job.progress())

    def post(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["GET"])


class RegistrationXLSFormView(PersonalDataMixin, View):
    """The registration form for phones (KoboToolbox, ODK Collect) of one of the user's projects, as
    an XLSForm file: its submissions, exported from KoboToolbox, come back through the import."""

    permission_required = "beneficiaries.import_beneficiary"

    def get(self, request, code: str):
        project = get_object_or_404(member_project_list(user=request.user), code=code)
        if not cities_of([project]).exists():  # the form's city question needs choices
            messages.error(
                request, _("Masar knows no city of this project's country yet: ask an administrator to add them.")
            )
            return redirect("beneficiaries:beneficiary-import")
        response = HttpResponse(registration_xlsform(project), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="masar-registration-{project.compact_code}.xlsx"'
        return response


class ImportTemplateView(PersonalDataMixin, View):
    """An empty spreadsheet with the expected columns, in the page's language, and one example row."""

    permission_required = "beneficiaries.import_beneficiary"
    file_format = "xlsx"

    def get(self, request, *args, **kwargs):
        rows = imports.template_rows()
        name = f"masar-import-{get_language()[:2]}.{self.file_format}"
        return spreadsheet_response(rows, file_format=self.file_format, filename=name, sheet_title=_("Beneficiaries"))
