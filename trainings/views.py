from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from beneficiaries.imports import ImportFileError
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_get
from beneficiaries.services import log_view
from core.forms import search_text
from core.lists import Column, SortedListMixin
from core.spreadsheets import XLSX
from core.views_mixins import PersonalDataMixin, ServiceFormMixin

from . import rules, selectors, services
from .filters import TrainingFilter
from .forms import (
    AttendanceForm,
    BusinessSupportForm,
    DropForm,
    EnrollForm,
    EnrollSearchForm,
    FollowUpForm,
    SessionForm,
    TrainingForm,
)
from .models import BusinessSupport, Enrollment, FollowUp
from .xlsforms import attendance_xlsform, marks_from_export


def refused(request, error: ValidationError, back_to):
    """A rule said no before any form: say why, and go back where the user came from."""
    for message in error.messages:
        messages.error(request, message)
    return redirect(back_to)


class TrainingListView(PersonalDataMixin, SortedListMixin, FilterView):
    permission_required = "trainings.view_training"
    filterset_class = TrainingFilter
    template_name = "trainings/training_list.html"
    columns = (
        Column(gettext_lazy("Training"), "title", ("sort_title",)),
        Column(gettext_lazy("Kind"), "kind", ("kind",)),
        Column(gettext_lazy("Trade or sector"), "trade", ("trade",)),
        Column(gettext_lazy("City"), "city", ("city__name",)),
        Column(gettext_lazy("Dates"), "dates", ("start_date", "end_date")),
        Column(gettext_lazy("Places"), "places", ("enrolled_count",)),
        Column(gettext_lazy("Status"), "status", ("status_rank", "start_date")),
    )
    default_order = selectors.TRAINING_LIST_ORDER

    def get_queryset(self):
        return selectors.training_list(user=self.request.user)


class TrainingObjectMixin(PersonalDataMixin):
    """Loads ``self.training`` from the URL, scoped to the user's projects (404 otherwise), then
    whatever else the view needs from it (``load_related``)."""

    training_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.training = selectors.training_get(user=request.user, pk=kwargs[self.training_kwarg])
            self.load_related(kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_related(self, kwargs) -> None:
        pass

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "training": self.training}


class TrainingDetailView(TrainingObjectMixin, TemplateView):
    permission_required = "trainings.view_training"
    template_name = "trainings/training_detail.html"

    def get_context_data(self, **kwargs):
        taken = rules.places_taken(self.training)
        return {
            **super().get_context_data(**kwargs),
            "sessions": selectors.session_list(training=self.training),
            "roster": selectors.roster(training=self.training),
            "waitlist": selectors.waitlist(training=self.training),
            "places_taken": taken,
            "places_left": rules.places_left(self.training, taken=taken),
            "today": timezone.localdate(),
        }


class TrainingCreateView(PersonalDataMixin, ServiceFormMixin, FormView):
    permission_required = "trainings.add_training"
    form_class = TrainingForm
    template_name = "trainings/training_form.html"

    def get_page_title(self):
        return _("New training")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        training = form.save(commit=False)
        services.training_save(training=training, by=self.request.user, officers=form.cleaned_data["officers"])
        messages.success(self.request, _("Training created. Add its sessions, then enroll participants."))
        return redirect(training)


class TrainingEditView(TrainingObjectMixin, ServiceFormMixin, FormView):
    permission_required = "trainings.change_training"
    form_class = TrainingForm
    template_name = "trainings/training_form.html"

    def get_page_title(self):
        return _("Edit the training")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.training}

    def perform(self, form):
        training = form.save(commit=False)
        promoted = services.training_save(
            training=training, by=self.request.user, officers=form.cleaned_data["officers"]
        )
        messages.success(self.request, _("Changes saved."))
        if promoted:
            messages.info(
                self.request,
                ngettext(
                    "%(count)d person moves up from the waitlist and is now enrolled.",
                    "%(count)d people move up from the waitlist and are now enrolled.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )
        return redirect(training)


class SessionCreateView(TrainingObjectMixin, ServiceFormMixin, FormView):
    permission_required = "trainings.add_session"
    training_kwarg = "training_pk"
    form_class = SessionForm
    template_name = "trainings/session_form.html"

    def get_page_title(self):
        return _("Add a session")

    def get_initial(self):
        last = self.training.sessions.last()
        if last is None:
            return {"date": self.training.start_date, "start_time": "09:00"}
        return {"start_time": last.start_time, "duration_minutes": last.duration_minutes}

    def perform(self, form):
        services.session_create(training=self.training, data=form.cleaned_data)
        messages.success(self.request, _("Session added."))
        if "add_another" in self.request.POST:
            return redirect("trainings:session-create", training_pk=self.training.pk)
        return redirect(self.training)


class EnrollView(TrainingObjectMixin, View):
    """Enroll a class in one go. The page opens on the people of the training's city who can join;
    filters, searches and pasted references add to one selection, kept from search to search (the
    ticked boxes travel with each search), and one button enrolls the whole selection. People who
    cannot be enrolled are listed with the reason, never silently left out."""

    permission_required = "trainings.add_enrollment"
    template_name = "trainings/training_enroll.html"
    SHOWN = 50  # lines of results; the page says when there are more
    SELECTION_MAX = 500  # people in one selection: more than any training's capacity and waitlist

    def get(self, request, *args, **kwargs):
        try:  # a courtesy before the page: the service asks the same again when it enrolls
            rules.check_open_for_enrollment(self.training)
        except ValidationError as error:
            return refused(request, error, self.training)
        # Opened from a link that names a search (?q=…), or plain: then the opening filters apply.
        submitted = any(name in request.GET for name in EnrollSearchForm.base_fields)
        search = EnrollSearchForm(request.GET if submitted else None, training=self.training)
        return self.render(search, ticked=[])

    def post(self, request, *args, **kwargs):
        search = EnrollSearchForm(request.POST, training=self.training)
        ticked = ids_of(request.POST.getlist("beneficiaries"))[: self.SELECTION_MAX]
        if "enroll" not in request.POST:  # a search: nothing is written
            return self.render(search, ticked=ticked)
        # Enrolling: the service refuses a training that has ended, under its lock.
        form = EnrollForm(request.POST, candidates=selectors.enrollment_candidates(training=self.training))
        if form.is_valid():
            try:
                return self.enroll(form.cleaned_data["beneficiaries"])
            except ValidationError as error:
                form.add_error(None, error)
        return self.render(search, ticked=ticked, form=form)

    def render(self, search, *, ticked, form=None):
        project_people = Beneficiary.objects.filter(project=self.training.project)
        pasted = search.pasted_references()
        found = dict(project_people.filter(reference__in=pasted).values_list("reference", "pk")) if pasted else {}
        selection_ids = list(dict.fromkeys([*ticked, *found.values()]))[: self.SELECTION_MAX]
        selection = []  # nobody ticked or pasted yet, as the page opens: nothing to read
        if selection_ids:
            selection, _ = selectors.enrollment_lines(
                training=self.training,
                people=project_people.filter(pk__in=selection_ids),
                limit=self.SELECTION_MAX,
                count=False,
            )
        people = search.filter(project_people, user=self.request.user).exclude(pk__in=selection_ids)
        results, total = selectors.enrollment_lines(training=self.training, people=people, limit=self.SHOWN)
        taken = rules.places_taken(self.training)
        selected = [line for line in selection if not line.reason]
        refused_lines = [line for line in selection if line.reason]
        context = {
            "training": self.training,
            "search": search,
            "form": form,
            "selected": selected,
            "selection_refused": refused_lines,
            "selection_html": candidate_lines_html(selected, checked=True) + candidate_lines_html(refused_lines),
            "results": results,
            "results_html": candidate_lines_html(results),
            "results_total": total,
            "references_unknown": [reference for reference in pasted if reference not in found],
            "places_left": rules.places_left(self.training, taken=taken),
        }
        return render(self.request, self.template_name, context)

    def enroll(self, people):
        enrollments = services.enroll(training=self.training, beneficiaries=people, by=self.request.user)
        enrolled = sum(1 for e in enrollments if e.status == e.Status.ENROLLED)
        waitlisted = len(enrollments) - enrolled
        if enrolled:
            messages.success(
                self.request,
                ngettext("%(count)d person enrolled.", "%(count)d people enrolled.", enrolled) % {"count": enrolled},
            )
        if waitlisted:
            messages.warning(
                self.request,
                ngettext(
                    "The training is full: %(count)d person is on the waitlist.",
                    "The training is full: %(count)d people are on the waitlist.",
                    waitlisted,
                )
                % {"count": waitlisted},
            )
        return redirect(self.training)


def candidate_lines_html(lines, *, checked: bool = False) -> str:
    """The enroll page's lines, written in one pass (a template included once per line made most of
    the page's time); every value is escaped as it is written."""
    # Translated once, outside the f-strings below (xgettext does not read calls inside them).
    born, phone_ending, parts = _("born"), _("phone …%(digits)s"), []
    # Each label and the date's format looked up once, not once a line.
    sexes = {value: escape(label) for value, label in Beneficiary.Sex.choices}
    date_pattern = get_format("SHORT_DATE_FORMAT")
    for line in lines:
        person, pk = line.person, line.person.pk
        reason = f' disabled aria-describedby="reason-{pk}"' if line.reason else ""
        phone = f" · {escape(phone_ending % {'digits': line.phone_ending})}" if line.phone_ending else ""
        birth = dateformat.format(person.date_of_birth, date_pattern) if person.date_of_birth else ""
        badge = (
            f'<span class="badge text-bg-secondary ms-1" id="reason-{pk}">{escape(line.reason)}</span>'
            if line.reason
            else ""
        )
        parts.append(
            f'<li class="list-group-item{" bg-body-tertiary" if line.reason else ""}"><div class="form-check">'
            f'<input class="form-check-input" type="checkbox" name="beneficiaries" value="{pk}" id="person-{pk}"'
            f"{' checked' if checked else ''}{reason}>"
            f'<label class="form-check-label text-wrap-anywhere" for="person-{pk}">'
            f'<span class="fw-semibold" dir="auto">{escape(person.last_name.upper())} '
            f"{escape(person.first_name)}</span> "
            f'<span class="text-body-secondary">· <bdi>{escape(person.reference)}</bdi> · {escape(born)} '
            f"{birth}{phone} · {sexes.get(person.sex, '')}"
            f" · {escape(person.city_name or '')}</span></label>{badge}</div></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (each value escaped above)


def ids_of(values) -> list[int]:
    """Record ids from a form's values, in order and each once; anything but a positive whole
    number (a tampered form) is left out."""
    return list(dict.fromkeys(int(value) for value in values if value.isascii() and value.isdigit() and int(value) > 0))


class EnrollmentObjectMixin(TrainingObjectMixin):
    training_kwarg = "training_pk"

    def load_related(self, kwargs) -> None:
        self.enrollment = selectors.enrollment_get(training=self.training, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "enrollment": self.enrollment}


class DropView(EnrollmentObjectMixin, ServiceFormMixin, FormView):
    permission_required = "trainings.change_enrollment"
    form_class = DropForm
    template_name = "trainings/enrollment_drop.html"

    def get_page_title(self):
        return _("%(person)s drops out") % {"person": self.enrollment.beneficiary}

    def perform(self, form):
        promoted = services.drop(enrollment=self.enrollment, by=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(
            self.request, _("%(reference)s left the training.") % {"reference": self.enrollment.beneficiary.reference}
        )
        if promoted is not None:
            messages.info(
                self.request,
                _("%(reference)s moves up from the waitlist and is now enrolled.")
                % {"reference": promoted.beneficiary.reference},
            )
        return redirect(self.training)


class AttendanceXLSFormView(TrainingObjectMixin, View):
    """The session's attendance as a form for phones (KoboToolbox, ODK Collect): an XLSForm file.
    It names the people enrolled: for the project's own KoboToolbox server only."""

    permission_required = "trainings.add_attendance"
    training_kwarg = "training_pk"

    def get(self, request, *args, **kwargs):
        session = selectors.session_get(training=self.training, pk=kwargs["pk"])
        response = HttpResponse(attendance_xlsform(session), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="masar-attendance-{session.pk}.xlsx"'
        return response


class AttendanceView(TrainingObjectMixin, ServiceFormMixin, FormView):
    """The roster of one session as a grid: present, excused or absent for each person, one submit."""

    permission_required = "trainings.add_attendance"
    training_kwarg = "training_pk"
    form_class = AttendanceForm
    template_name = "trainings/session_attendance.html"

    def load_related(self, kwargs) -> None:
        self.session = selectors.session_get(training=self.training, pk=kwargs["pk"])

    imported = None  # marks read from a phone form's export, shown for checking before a save

    def get_form_kwargs(self):
        self.sheet = selectors.attendance_sheet(session=self.session)
        if self.imported is None:
            return {**super().get_form_kwargs(), "sheet": self.sheet}
        # The grid as the phone form filled it in, not yet saved: an unbound form, its marks initial.
        sheet = [(person, self.imported.get(person.pk, mark)) for person, mark in self.sheet]
        return {"initial": {}, "prefix": None, "sheet": sheet}

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("phone_export")
        if upload is None:
            return super().post(request, *args, **kwargs)
        try:
            self.imported, left_out = marks_from_export(
                session=self.session, filename=upload.name, content=upload.read(settings.IMPORT_MAX_BYTES + 1)
            )
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect(self.session)
        message = ngettext(
            "Filled in from the phone form for %(count)d person: check the marks, then save.",
            "Filled in from the phone form for %(count)d people: check the marks, then save.",
            len(self.imported),
        ) % {"count": len(self.imported)}
        if left_out:
            message += " " + ngettext(
                "%(count)d answer was left out (someone no longer enrolled, or not a mark).",
                "%(count)d answers were left out (people no longer enrolled, or not marks).",
                left_out,
            ) % {"count": left_out}
        messages.info(request, message)
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, and so the sheet
        already_taken = any(mark for _person, mark in self.sheet)
        try:
            rules.check_attendance_open(self.training)
            rules.check_session_started(self.session)
            closed = None
        except ValidationError as error:
            closed = " ".join(error.messages)
        grid = context["form"].grid_html(disabled=bool(closed))
        return {**context, "session": self.session, "already_taken": already_taken, "closed": closed, "grid": grid}

    def perform(self, form):
        saved = services.record_attendance(session=self.session, marks=form.marks(), by=self.request.user)
        messages.success(
            self.request,
            ngettext("Attendance saved for %(count)d person.", "Attendance saved for %(count)d people.", saved)
            % {"count": saved},
        )
        return redirect(self.training)


class CompleteView(TrainingObjectMixin, TemplateView):
    """What completion will do (GET), and doing it (POST)."""

    permission_required = "trainings.complete_training"
    template_name = "trainings/training_complete.html"

    def get_context_data(self, **kwargs):
        lines = selectors.roster(training=self.training, over_all_sessions=True)
        roster = [line for line in lines if line.enrollment.status == Enrollment.Status.ENROLLED]
        sessions = selectors.session_list(training=self.training)
        try:  # why it cannot be completed yet, in the service's own words
            rules.check_can_complete(self.training, sessions=sessions.count())
            refusal = None
        except ValidationError as error:
            refusal = " ".join(error.messages)
        return {
            **super().get_context_data(**kwargs),
            "refusal": refusal,
            "sessions_not_taken": sessions.filter(marks=0).count(),
            "roster": roster,
            "passing": sum(1 for line in roster if line.earns_certificate),
            "failing": sum(1 for line in roster if not line.earns_certificate),
        }

    def post(self, request, *args, **kwargs):
        try:
            result = services.complete(training=self.training, by=request.user)
        except ValidationError as error:
            return refused(request, error, self.training)
        messages.success(
            request,
            _("Training completed: %(certified)d certified, %(without)d without certificate.")
            % {"certified": result["certified"], "without": result["without_certificate"]},
        )
        return redirect(self.training)


class CertificateView(EnrollmentObjectMixin, TemplateView):
    permission_required = "trainings.view_enrollment"
    template_name = "trainings/certificate.html"

    def get(self, request, *args, **kwargs):
        try:
            rules.check_has_certificate(self.enrollment)
        except ValidationError as error:
            return refused(request, error, self.training)
        log_view(user=request.user, beneficiary=self.enrollment.beneficiary, detail="certificate")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The public page that checks it, in full, for a reader of the paper.
        check = reverse("certificate-check", kwargs={"code": self.enrollment.verification_code})
        return {**super().get_context_data(**kwargs), "check_url": self.request.build_absolute_uri(check)}


class FollowUpCreateView(EnrollmentObjectMixin, ServiceFormMixin, FormView):
    permission_required = "trainings.add_followup"
    form_class = FollowUpForm
    template_name = "trainings/follow_up_form.html"

    def get_page_title(self):
        return _("Follow-up of %(person)s") % {"person": self.enrollment.beneficiary}

    def get(self, request, *args, **kwargs):
        try:  # a courtesy before the form: the service asks the same again when it records
            rules.check_can_follow_up(self.enrollment)
        except ValidationError as error:
            return refused(request, error, self.enrollment.beneficiary)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enrollment": self.enrollment}

    def get_initial(self):
        # The home page's "record" link names the follow-up that is due (?months=6); anything else is
        # ignored, and the form still offers only the follow-ups not yet recorded.
        months = self.request.GET.get("months", "")
        if months in {str(value) for value in FollowUp.Months.values}:
            return {**super().get_initial(), "months_after": int(months)}
        return super().get_initial()

    def perform(self, form):
        services.record_follow_up(enrollment=self.enrollment, data=form.cleaned_data, by=self.request.user)
        messages.success(self.request, _("Follow-up recorded."))
        return redirect(self.enrollment.beneficiary)


class BusinessSupportView(PersonalDataMixin, ServiceFormMixin, FormView):
    """Create or update a person's business support, from their page."""

    permission_required = "trainings.add_businesssupport"
    form_class = BusinessSupportForm
    template_name = "trainings/business_support_form.html"

    def get_page_title(self):
        return _("Business support of %(person)s") % {"person": self.beneficiary}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.beneficiary = beneficiary_get(user=request.user, reference=kwargs["reference"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        instance = BusinessSupport.objects.filter(beneficiary=self.beneficiary).first()
        return {**super().get_form_kwargs(), "beneficiary": self.beneficiary, "instance": instance}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "beneficiary": self.beneficiary}

    def perform(self, form):
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        services.record_business_support(beneficiary=self.beneficiary, data=data, by=self.request.user)
        messages.success(self.request, _("Business support saved."))
        return redirect(self.beneficiary)


@login_not_required
@never_cache
def certificate_check(request, code: str):
    """Anyone holding a certificate's code (printed on it) can check it: the holder's name, the
    training and the dates, nothing else of the person; no name once they have left the project."""
    enrollment = selectors.certificate_by_code(code)
    context = {"code": code, "enrollment": enrollment}
    if enrollment is not None:
        context["name_shown"] = enrollment.beneficiary.status == Beneficiary.Status.ACTIVE
    return render(request, "trainings/certificate_check.html", context, status=200 if enrollment else 404)


@login_not_required
def certificate_lookup(request):
    """The form to type a code in; it leads to the code's own page."""
    code = search_text(request.GET.get("code", ""), max_length=40)
    if code:
        return redirect("certificate-check", code=code)
    return render(request, "trainings/certificate_check.html", {"code": "", "enrollment": None, "asking": True})
