"""Staff pages of capacity-building events. Participants' personal data: project staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from core.forms import safe_next_url, search_text
from core.lists import Column, SortedListMixin
from core.views_mixins import PersonalDataMixin, ServiceFormMixin
from projects.models import Organization

from . import selectors, services
from .filters import WorkshopFilter
from .forms import (
    AssessmentForm,
    OrganizationForm,
    ParticipantForm,
    RegisterForm,
    WorkshopAttendanceForm,
    WorkshopForm,
)
from .models import AssessmentScore, Workshop


class WorkshopListView(PersonalDataMixin, SortedListMixin, FilterView):
    permission_required = "workshops.view_workshop"
    filterset_class = WorkshopFilter
    template_name = "workshops/workshop_list.html"
    columns = (
        Column(gettext_lazy("Event"), "title", ("title",)),
        Column(gettext_lazy("Kind"), "kind", ("kind",)),
        Column(gettext_lazy("Level"), "level", ("level",)),
        Column(gettext_lazy("City"), "city", ("city__name",)),
        Column(gettext_lazy("Dates"), "dates", ("start_date", "end_date")),
        Column(gettext_lazy("Present"), "present", ("present_count",), numeric=True),
        Column(gettext_lazy("Registered"), "registered", ("registered_count",), numeric=True),
    )
    default_order = ("-start_date", "title", "pk")

    def get_queryset(self):
        return selectors.workshop_list(user=self.request.user)


class WorkshopObjectMixin(PersonalDataMixin):
    """Loads ``self.workshop`` from the URL, scoped to the user's projects (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.workshop = selectors.workshop_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "workshop": self.workshop}


class WorkshopDetailView(WorkshopObjectMixin, TemplateView):
    permission_required = "workshops.view_workshop"
    template_name = "workshops/workshop_detail.html"

    def get_context_data(self, **kwargs):
        registrations = selectors.registrations_of(workshop=self.workshop)
        return {
            **super().get_context_data(**kwargs),
            "registrations": registrations,
            "organizers": self.workshop.organizers.all(),
            "topics": self.workshop.assessment_topics.all(),
            "statistics": selectors.capacity_statistics(Workshop.objects.filter(pk=self.workshop.pk)),
        }


class WorkshopCreateView(PersonalDataMixin, ServiceFormMixin, FormView):
    permission_required = "workshops.add_workshop"
    form_class = WorkshopForm
    template_name = "workshops/workshop_form.html"

    def get_page_title(self):
        return _("New event")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        workshop = services.workshop_save(
            workshop=form.save(commit=False),
            organizers=form.cleaned_data["organizers"],
            topics=form.topic_names(),
        )
        messages.success(self.request, _("Event created. Register its participants."))
        return redirect(workshop)


class WorkshopEditView(WorkshopObjectMixin, ServiceFormMixin, FormView):
    permission_required = "workshops.change_workshop"
    form_class = WorkshopForm
    template_name = "workshops/workshop_form.html"

    def get_page_title(self):
        return _("Edit the event")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.workshop}

    def perform(self, form):
        services.workshop_save(
            workshop=form.save(commit=False), organizers=form.cleaned_data["organizers"], topics=form.topic_names()
        )
        messages.success(self.request, _("Changes saved."))
        return redirect(self.workshop)


class ParticipantsAddView(WorkshopObjectMixin, TemplateView):
    """Find people already known to the project first; create someone only when nobody matches.

    Three POSTs: ``register`` (tick known people), ``create`` (a new person: refused while people
    with the same name exist, until staff confirm with ``confirm_new``)."""

    permission_required = "workshops.add_registration"
    template_name = "workshops/participants_add.html"

    def get_search(self) -> str:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return search_text(source.get("q", ""))

    def get_context_data(self, **kwargs):
        search = self.get_search()
        context = {
            "search": search,
            "found": selectors.participant_search(workshop=self.workshop, search=search) if search else None,
            "register_form": RegisterForm(workshop=self.workshop),
            "participant_form": ParticipantForm(),
            "registered": selectors.registrations_of(workshop=self.workshop),
        }
        return {**super().get_context_data(**kwargs), **context, **kwargs}

    def post(self, request, *args, **kwargs):
        if "create" in request.POST:
            return self.create_participant()
        form = RegisterForm(request.POST, workshop=self.workshop)
        if form.is_valid():
            try:
                registrations = services.register(
                    workshop=self.workshop, participants=form.cleaned_data["participants"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d person registered.", "%(count)d people registered.", len(registrations))
                    % {"count": len(registrations)},
                )
                return redirect("workshops:participants-add", pk=self.workshop.pk)
        return self.render_to_response(self.get_context_data(register_form=form))

    def create_participant(self):
        form = ParticipantForm(self.request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(participant_form=form))
        data = form.cleaned_data
        twins = services.possible_duplicates(
            project=self.workshop.project, first_name=data["first_name"], last_name=data["last_name"]
        )
        if twins and "confirm_new" not in self.request.POST:
            return self.render_to_response(self.get_context_data(participant_form=form, twins=twins))
        participant = services.participant_create(project=self.workshop.project, data=data)
        services.register(workshop=self.workshop, participants=[participant])
        messages.success(self.request, _("%(name)s added and registered.") % {"name": participant.full_name})
        return redirect("workshops:participants-add", pk=self.workshop.pk)


class WorkshopAttendanceView(WorkshopObjectMixin, ServiceFormMixin, FormView):
    permission_required = "workshops.change_registration"
    form_class = WorkshopAttendanceForm
    template_name = "workshops/workshop_attendance.html"

    def get_page_title(self):
        return _("Attendance")

    def get_form_kwargs(self):
        sheet = [
            (registration, registration.attendance)
            for registration in selectors.registrations_of(workshop=self.workshop)
        ]
        return {**super().get_form_kwargs(), "sheet": sheet}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "grid": context["form"].grid_html()}

    def perform(self, form):
        saved = services.record_workshop_attendance(workshop=self.workshop, marks=form.marks())
        messages.success(
            self.request,
            ngettext("Attendance saved for %(count)d person.", "Attendance saved for %(count)d people.", saved)
            % {"count": saved},
        )
        return redirect(self.workshop)


class AssessmentView(WorkshopObjectMixin, ServiceFormMixin, FormView):
    permission_required = "workshops.add_assessmentscore"
    form_class = AssessmentForm
    template_name = "workshops/workshop_assessment.html"

    def get_page_title(self):
        return _("Self-assessment")

    def get_form_kwargs(self):
        scores = {
            (score.registration_id, score.topic_id): (score.before, score.after)
            for score in AssessmentScore.objects.filter(registration__workshop=self.workshop)
        }
        return {
            **super().get_form_kwargs(),
            "registrations": selectors.registrations_of(workshop=self.workshop),
            "topics": self.workshop.assessment_topics.all(),
            "scores": scores,
        }

    def perform(self, form):
        services.record_assessments(workshop=self.workshop, scores=form.scores())
        messages.success(self.request, _("Self-assessments saved."))
        return redirect(self.workshop)


class SignInSheetView(WorkshopObjectMixin, TemplateView):
    """A printable list of the registered people with a column for their signatures."""

    permission_required = "workshops.view_registration"
    template_name = "workshops/sign_in_sheet.html"

    def get_context_data(self, **kwargs):
        registrations = list(selectors.registrations_of(workshop=self.workshop))
        return {**super().get_context_data(**kwargs), "registrations": registrations, "blank_rows": range(5)}


class OrganizationCreateView(PersonalDataMixin, ServiceFormMixin, FormView):
    permission_required = "projects.add_organization"
    form_class = OrganizationForm
    template_name = "workshops/organization_form.html"

    def get_page_title(self):
        return _("New organization")

    def get_next_url(self) -> str:
        """Where to go back after adding (the page that sent the user here), on this site only."""
        return safe_next_url(self.request, self.request.POST.get("next") or self.request.GET.get("next"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next_url": self.get_next_url()}

    def perform(self, form):
        organization = form.save()
        messages.success(self.request, _("%(name)s added.") % {"name": organization.name})
        return redirect(self.get_next_url() or reverse("workshops:organization-detail", kwargs={"pk": organization.pk}))


class OrganizationDetailView(PersonalDataMixin, TemplateView):
    """An organization's people and events, within the user's projects."""

    permission_required = "workshops.view_participant"
    template_name = "workshops/organization_detail.html"

    def get_context_data(self, **kwargs):
        organization = get_object_or_404(Organization.objects.select_related("city"), pk=kwargs["pk"])
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "organization": organization,
            "participants": selectors.participants_of_organization(user=user, organization=organization),
            "workshops": selectors.workshops_of_organization(user=user, organization=organization),
        }
