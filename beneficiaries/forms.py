from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries as countries_names
from phonenumber_field.formfields import PhoneNumberField

from core.forms import DateInput, country_choices
from core.widgets import LongSelect
from projects.countries import country_profile
from projects.selectors import cities_of, member_project_list

from . import rules
from .models import Beneficiary, WithdrawalReason
from .selectors import card_number_taken, frequent_nationalities
from .services import EDITABLE_FIELDS

CONSENTS = ("processing", "sharing", "photos")


class BeneficiaryForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Beneficiary.Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Beneficiary
        fields = ["project", *EDITABLE_FIELDS]
        widgets = {
            "nationality": LongSelect,
            "date_of_birth": DateInput(),
            "residence_card_expiry": DateInput(),
            "consent_processing_date": DateInput(),
            "consent_sharing_date": DateInput(),
            "consent_photos_date": DateInput(),
        }
        help_texts = {
            "consent_processing": _(
                "Required. We may only record a person who has agreed, after being told why: to follow their "
                "training and support, and to report anonymous totals to the project's donors."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["date_of_birth"].required = True
        self.fields["consent_processing"].required = True
        self.fields["consent_processing"].error_messages["required"] = rules.CONSENT_REQUIRED
        # Said as what to do, in the words of the papers the person shows (GOV.UK's way).
        self.fields["first_name"].error_messages["required"] = _(
            "Enter the first name as written on the residence card."
        )
        self.fields["last_name"].error_messages["required"] = _("Enter the last name as written on the residence card.")
        self.fields["date_of_birth"].error_messages["required"] = _("Enter the date of birth, for example 31/12/1990.")
        if self.instance.pk:
            self.fields.pop("project", None)  # a person stays in the project they were registered in
            projects = [self.instance.project]
        else:
            projects = member_project_list(user=user)
            self.fields["project"].queryset = projects
            if len(projects) == 1:
                self.fields["project"].initial = projects[0]
        # Cities and phone numbers follow the project's country (projects.countries).
        self.fields["city"].queryset = cities_of(projects)
        self.project = self._project_of(projects)
        self._phone_field_of(projects)
        self._frequent_nationalities_first(projects)
        # The error summary lists fields in this order: the order of the page, consent first.
        self.order_fields(
            ["project", *(f"consent_{consent}{part}" for consent in CONSENTS for part in ("", "_date", "_method"))]
        )
        today = timezone.localdate()
        for consent in CONSENTS:
            self.fields[f"consent_{consent}_date"].initial = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            # Consent first: without it nothing else may be written down.
            *(["project"] if "project" in self.fields else []),
            Fieldset(
                _("Consent"),
                HTML(
                    '<p class="text-body-secondary">{}</p>'.format(
                        _("Each consent is separate. Record the date and how it was given.")
                    )
                ),
                *[
                    Div(
                        Div(f"consent_{consent}", css_class="col-md-6"),
                        Div(f"consent_{consent}_date", css_class="col-md-3"),
                        Div(f"consent_{consent}_method", css_class="col-md-3"),
                        css_class="row border-top pt-2",
                    )
                    for consent in CONSENTS
                ],
            ),
            Fieldset(
                _("Identity"),
                Div(Div("first_name", css_class="col-md-6"), Div("last_name", css_class="col-md-6"), css_class="row"),
                Div(
                    Div("other_first_name", css_class="col-md-6"),
                    Div("other_last_name", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("sex", css_class="col-md-4"),
                    Div("date_of_birth", css_class="col-md-4"),
                    Div("nationality", css_class="col-md-4"),
                    css_class="row",
                ),
                "has_disability",
            ),
            Fieldset(
                _("Regularization"),
                Div(
                    Div("regularization_year", css_class="col-md-4"),
                    Div("residence_card_number", css_class="col-md-4"),
                    Div("residence_card_expiry", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Contact"),
                Div(Div("city", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset(
                _("Education and skills"),
                Div(
                    Div("education_level", css_class="col-md-6"),
                    Div("prior_occupation", css_class="col-md-6"),
                    css_class="row",
                ),
                "languages",
            ),
        )

    def _project_of(self, projects):
        """The project the person is (or is being) registered in, when it is known yet: read as
        the project field reads it, so that the phone is read in the country of the project saved."""
        if self.instance.pk:
            return self.instance.project
        if len(projects) == 1:
            return projects[0]
        if not self.is_bound:
            return None
        try:
            return self.fields["project"].clean(self.data.get("project"))
        except forms.ValidationError:
            return None

    def _phone_field_of(self, projects) -> None:
        """The phone read in the region of the project's country, and a hint in its own example;
        before a project is chosen among several countries, a hint that names none."""
        countries = {project.country.code for project in projects}
        if self.project:
            countries = {self.project.country.code}
        profile = country_profile(next(iter(countries))) if len(countries) == 1 else None
        if profile and profile.phone_example:
            hint = _(
                "Local numbers as written in %(country)s (%(example)s); others with their country code (+225…)."
            ) % {
                "country": countries_names.name(profile.code),
                "example": profile.phone_example,
            }
        else:
            hint = _("Local numbers as written in the project’s country; others with their country code (+225…).")
        self.fields["phone"] = PhoneNumberField(
            region=profile.phone_region if profile else None,
            required=False,
            label=self.fields["phone"].label,
            help_text=hint,
        )

    def _frequent_nationalities_first(self, projects) -> None:
        """The nationalities most registered in the user's projects, above the list of every country."""
        frequent = frequent_nationalities(projects=projects)
        if not frequent:
            return
        names = dict(country_choices())
        self.fields["nationality"].choices = [
            ("", ""),
            (_("Most frequent in the project"), [(code, names[code]) for code in frequent if code in names]),
            (_("All countries"), country_choices()),
        ]

    def _clean_name(self, field: str) -> str:
        value = rules.normalize_name(self.cleaned_data[field])
        if value or self.fields[field].required:
            rules.check_name(value)
        return value

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_other_first_name(self) -> str:
        return self._clean_name("other_first_name")

    def clean_other_last_name(self) -> str:
        return self._clean_name("other_last_name")

    def clean_date_of_birth(self) -> date:
        birth_date = self.cleaned_data["date_of_birth"]
        rules.check_date_of_birth(birth_date, today=timezone.localdate())
        return birth_date

    def clean_regularization_year(self):
        year = self.cleaned_data["regularization_year"]
        if year is not None:
            rules.check_regularization_year(year, today=timezone.localdate())
        return year

    def clean_residence_card_number(self) -> str:
        return "".join(self.cleaned_data["residence_card_number"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for consent in CONSENTS:
            given = cleaned.get(f"consent_{consent}")
            consent_date = cleaned.get(f"consent_{consent}_date")
            if given and not consent_date:
                self.add_error(f"consent_{consent}_date", _("Enter the date the consent was given."))
            if given and not cleaned.get(f"consent_{consent}_method"):
                self.add_error(f"consent_{consent}_method", _("Say how the consent was given."))
            if consent_date and consent_date > today:
                self.add_error(f"consent_{consent}_date", _("The date of consent cannot be in the future."))
            if not given:
                cleaned[f"consent_{consent}_date"] = None
                cleaned[f"consent_{consent}_method"] = ""
        name = f"{cleaned.get('first_name', '')} {cleaned.get('last_name', '')}"
        for field in ("other_first_name", "other_last_name"):
            if cleaned.get(field) and name.strip():
                try:
                    rules.check_other_script(name, cleaned[field])
                except forms.ValidationError as error:
                    self.add_error(field, error)
        project = cleaned.get("project") or getattr(self.instance, "project", None)
        card = cleaned.get("residence_card_number")
        if project and card and card_number_taken(project=project, card_number=card, exclude_pk=self.instance.pk):
            self.add_error(
                "residence_card_number",
                _("Another person of this project already has this residence card number."),
            )
        return cleaned


class BeneficiaryEditForm(BeneficiaryForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper.layout.append("version")


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Not said")), *WithdrawalReason.choices],
        required=False,
        help_text=_("Chosen from a list, so that no personal or health detail is written down."),
    )


class ImportForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("One person per row, the column titles in the first row (French, English or Arabic)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = member_project_list(user=user)
        self.fields["project"].queryset = projects
        if len(projects) == 1:
            self.fields["project"].initial = projects[0]
