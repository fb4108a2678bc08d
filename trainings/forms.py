import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import SEARCH_HINT, recent_imports, search_filter
from core.formatting import staff_name
from core.forms import DateInput, MarkGridForm, form_row, limit_number, search_text, style_plain_fields
from core.widgets import LongSelect
from projects.models import Location, Organization
from projects.selectors import cities_of, member_project_list, staff_of

from .models import Attendance, BusinessSupport, FollowUp, Session, Training, income_band_choices
from .rules import check_training_edit


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = [
            "project",
            "kind",
            "title",
            "trade",
            "provider",
            "city",
            "venue",
            "start_date",
            "end_date",
            "capacity",
            "hours",
            "pass_threshold",
            "open_to",
            "description",
            "officers",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "officers": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = member_project_list(user=user)
        self.fields["project"].queryset = projects
        if self.instance.pk:
            del self.fields["project"]
        elif len(projects) == 1:
            self.fields["project"].initial = projects[0]
        self.fields["city"].queryset = cities_of(projects if "project" in self.fields else [self.instance.project])
        self.fields["provider"].queryset = Organization.objects.order_by("name")
        officers = self.fields["officers"]
        officers.queryset = staff_of(projects if "project" in self.fields else [self.instance.project])
        officers.label_from_instance = staff_name
        if not self.instance.pk and user in officers.queryset:
            officers.initial = [user]
        limit_number(self.fields["capacity"], 1, 1000)
        limit_number(self.fields["hours"], 1, 5000)
        limit_number(self.fields["pass_threshold"], 1, 100)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["project"] if "project" in self.fields else []),
            form_row("kind", "trade"),
            "title",
            form_row("provider", "city", "venue"),
            form_row("start_date", "end_date"),
            form_row("capacity", "hours", "pass_threshold"),
            "open_to",
            "description",
            "officers",
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # by the fields, before the service asks again under lock
            check_training_edit(self.instance, cleaned)
        return cleaned


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "duration_minutes", "topic"]
        widgets = {"date": DateInput(), "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_number(self.fields["duration_minutes"], 1, 720)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(form_row("date", "start_time", "duration_minutes"), "topic")


class EnrollForm(forms.Form):
    """The people ticked on the enroll page (the selection), among those who can be enrolled."""

    beneficiaries = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("People to enroll"),
        error_messages={
            "required": _("Tick at least one person to enroll."),
            "invalid_choice": _("Someone ticked can no longer be enrolled: their line says why. Untick them."),
            "invalid_pk_value": _("Someone ticked can no longer be enrolled: their line says why. Untick them."),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiaries"].queryset = candidates


# References as the registry writes them (FM0390-000012), found anywhere in pasted or scanned text.
REFERENCE = re.compile(r"\b[A-Za-z]{1,4}\d{2,6}-\d{1,8}\b")


class EnrollSearchForm(forms.Form):
    """Who the enroll page lists: filters, a search, and references pasted (or scanned from a
    printed roster). Opened without any, it lists the people of the training's city (and of the sex
    it is open to); a value refused here is said by its field and leaves that filter out."""

    q = forms.CharField(label=SEARCH_HINT, required=False, max_length=100)
    # Selects written in one pass (core.widgets.LongSelect): Django's own render an option at a time.
    city = forms.ModelChoiceField(label=_("City"), queryset=Location.objects.none(), required=False, widget=LongSelect)
    sex = forms.ChoiceField(label=_("Sex"), required=False, widget=LongSelect)
    registered_since = forms.DateField(label=_("Registered since"), required=False, widget=DateInput())
    registered_by_me = forms.BooleanField(label=_("Registered by me"), required=False)
    import_batch = forms.ChoiceField(label=_("Spreadsheet import"), required=False, widget=LongSelect)
    references = forms.CharField(
        label=_("Paste references"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("References such as FM0390-000012, separated by spaces, commas or new lines."),
    )

    def __init__(self, *args, training, **kwargs):
        super().__init__(*args, initial={"city": training.city, "sex": training.open_to}, **kwargs)
        self.fields["city"].queryset = cities_of([training.project])
        self.fields["city"].empty_label = _("All cities")
        self.fields["sex"].choices = [("", _("Everyone")), *Beneficiary.Sex.choices]
        self.fields["import_batch"].choices = [
            ("", _("Any")),
            *(
                (
                    batch["import_batch"],
                    ngettext("%(day)s · %(count)d person", "%(day)s · %(count)d people", batch["people"])
                    % {
                        "day": date_format(timezone.localtime(batch["at"]), "SHORT_DATETIME_FORMAT"),
                        "count": batch["people"],
                    },
                )
                for batch in recent_imports(project=training.project)
            ),
        ]
        style_plain_fields(self)
        self.fields["registered_by_me"].widget.attrs["class"] = "form-check-input"

    def criteria(self) -> dict:
        """The filters to apply: the valid ones of a submitted form, or the opening ones."""
        if not self.is_bound:
            return dict(self.initial)
        self.is_valid()
        return self.cleaned_data

    def filter(self, people: QuerySet, *, user) -> QuerySet:
        criteria = self.criteria()
        if criteria.get("q"):
            people = people.filter(search_filter(search_text(criteria["q"])))
        if criteria.get("city"):
            people = people.filter(city=criteria["city"])
        if criteria.get("sex"):
            people = people.filter(sex=criteria["sex"])
        if criteria.get("registered_since"):
            people = people.filter(created_at__date__gte=criteria["registered_since"])
        if criteria.get("registered_by_me"):
            people = people.filter(created_by=user)
        if criteria.get("import_batch"):
            people = people.filter(import_batch=criteria["import_batch"])
        return people

    def pasted_references(self) -> list[str]:
        """The references found in the pasted text, upper-cased, in order, each once."""
        text = self.criteria().get("references") or ""
        return list(dict.fromkeys(match.upper() for match in REFERENCE.findall(text)))


class AttendanceForm(MarkGridForm):
    """Present, excused or absent, for each person enrolled in a training."""

    choices = Attendance.Status.choices
    default = Attendance.Status.PRESENT
    required_message = _("Choose present, excused or absent.")

    def describe(self, person):
        return f"{person.last_name.upper()} {person.first_name}", person.reference


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example: found a job, moved to another city. No health or other sensitive information."),
    )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["months_after", "date", "employment_status", "employer_or_sector", "income_band", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        # FollowUp.clean() checks the date against this training, by the field.
        self.instance.enrollment = self.enrollment = enrollment
        done = set(enrollment.follow_ups.values_list("months_after", flat=True))
        self.fields["months_after"].choices = [c for c in FollowUp.Months.choices if c[0] not in done]
        # The bands at the thresholds and in the currency of the project's country.
        self.fields["income_band"].choices = income_band_choices(enrollment.training.project.country.code)
        self.fields["date"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            form_row("months_after", "date"),
            form_row("employment_status", "income_band"),
            "employer_or_sector",
            "notes",
        )


class BusinessSupportForm(forms.ModelForm):
    class Meta:
        model = BusinessSupport
        fields = [
            "training",
            "business_sector",
            "business_plan_on",
            "support_kind",
            "support_amount",
            "support_on",
            "coaching_sessions",
            "business_status",
            "business_started_on",
        ]
        widgets = {"business_plan_on": DateInput(), "support_on": DateInput(), "business_started_on": DateInput()}

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = Training.objects.filter(
            kind=Training.Kind.MICRO_ENTERPRISE, enrollments__beneficiary=beneficiary
        )
        self.fields["training"].empty_label = _("None")
        limit_number(self.fields["support_amount"], 0, 10_000_000)
        currency = beneficiary.project.profile.currency
        self.fields["support_amount"].label = _("Amount (%(currency)s)") % {"currency": currency}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            form_row("training", "business_sector"),
            form_row("business_plan_on", "coaching_sessions"),
            form_row("support_kind", "support_amount", "support_on"),
            form_row("business_status", "business_started_on"),
        )
