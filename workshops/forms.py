from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, MarkGridForm, form_row, limit_number
from projects.models import Location, Organization
from projects.selectors import cities_of, member_project_list

from .models import Participant, Registration, Workshop


class WorkshopForm(forms.ModelForm):
    topics = forms.CharField(
        label=_("Self-assessment topics"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Participants rate themselves on each, from 1 to 5, before and after."),
    )

    class Meta:
        model = Workshop
        fields = [
            "project",
            "kind",
            "level",
            "title",
            "start_date",
            "end_date",
            "city",
            "venue",
            "organizers",
            "objectives",
            "agenda",
            "outcomes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "organizers": forms.CheckboxSelectMultiple(),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = member_project_list(user=user)
        self.fields["project"].queryset = projects
        if self.instance.pk:
            del self.fields["project"]
            self.fields["topics"].initial = "\n".join(t.name for t in self.instance.assessment_topics.all())
        elif len(projects) == 1:
            self.fields["project"].initial = projects[0]
        self.fields["city"].queryset = cities_of(projects if "project" in self.fields else [self.instance.project])
        self.fields["organizers"].queryset = Organization.objects.order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["project"] if "project" in self.fields else []),
            form_row("kind", "level"),
            "title",
            form_row("start_date", "end_date"),
            form_row("city", "venue"),
            "organizers",
            "objectives",
            "agenda",
            "topics",
            "outcomes",
        )

    def topic_names(self) -> list[str]:
        return self.cleaned_data["topics"].splitlines()


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["first_name", "last_name", "sex", "position", "organization", "email", "phone", "consent_to_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        self.fields["organization"].help_text = _("Not in the list? Add the organization first.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            form_row("first_name", "last_name"),
            form_row("sex", "position"),
            "organization",
            form_row("email", "phone"),
            "consent_to_contact",
        )


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "level", "city"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = Location.objects.filter(kind=Location.Kind.CITY)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(form_row("name", "acronym"), form_row("kind", "level", "city"))


class RegisterForm(forms.Form):
    participants = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("People to register"),
        error_messages={"required": _("Tick at least one person to register.")},
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Participant.objects.filter(project=workshop.project).exclude(
            registrations__workshop=workshop
        )


class WorkshopAttendanceForm(MarkGridForm):
    """Present or absent, for each person registered for an event."""

    choices = Registration.Attendance.choices
    default = Registration.Attendance.PRESENT
    required_message = _("Choose present or absent.")

    def describe(self, registration):
        person, organization = registration.participant, registration.participant.organization
        return f"{person.last_name.upper()} {person.first_name}", organization.acronym or organization.name


class AssessmentForm(forms.Form):
    """Before and after scores (1 to 5, optional) per registered person and topic."""

    def __init__(self, *args, registrations, topics, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        self.grid = []
        for registration in registrations:
            cells = []
            for topic in self.topics:
                before, after = scores.get((registration.pk, topic.pk), (None, None))
                names = []
                for moment, moment_label, initial in (("before", _("before"), before), ("after", _("after"), after)):
                    name = f"{moment}_{registration.pk}_{topic.pk}"
                    self.fields[name] = forms.IntegerField(
                        label=f"{registration.participant.full_name} · {topic.name} · {moment_label}",
                        required=False,
                        initial=initial,
                    )
                    limit_number(self.fields[name], 1, 5)
                    self.fields[name].widget.attrs.update(inputmode="numeric", **{"class": "form-control score-input"})
                    names.append(name)
                cells.append((topic, names[0], names[1]))
            self.grid.append((registration, cells))

    @property
    def lines(self):
        return [
            (registration, [(topic, self[before], self[after]) for topic, before, after in cells])
            for registration, cells in self.grid
        ]

    def scores(self) -> dict[tuple[int, int], tuple[int | None, int | None]]:
        return {
            (registration.pk, topic.pk): (self.cleaned_data[before], self.cleaned_data[after])
            for registration, cells in self.grid
            for topic, before, after in cells
        }
