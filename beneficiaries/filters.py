import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, country_choices
from core.lists import KeptFormFilterSet
from core.widgets import LongSelect
from projects.filters import city_filter_choices

from .models import AgeGroup, Beneficiary
from .selectors import SEARCH_HINT, search_filter

CONSENT_CHOICES = [
    ("sharing", _("Consented to sharing")),
    ("no_sharing", _("Did not consent to sharing")),
    ("photos", _("Consented to photos")),
]


class BeneficiaryFilter(KeptFormFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": SEARCH_HINT, "type": "search"}),
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"),
        queryset=city_filter_choices,
        empty_label=_("All cities"),
        widget=LongSelect,
    )
    nationality = django_filters.ChoiceFilter(
        label=_("Nationality"), choices=country_choices, empty_label=_("All"), widget=LongSelect
    )
    sex = django_filters.ChoiceFilter(
        label=_("Sex"), choices=Beneficiary.Sex.choices, empty_label=_("All"), widget=LongSelect
    )
    age_group = django_filters.ChoiceFilter(
        label=_("Age group"), choices=AgeGroup.choices, empty_label=_("All"), widget=LongSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Beneficiary.Status.choices, empty_label=_("All"), widget=LongSelect
    )
    consent = django_filters.ChoiceFilter(
        label=_("Consent"), choices=CONSENT_CHOICES, method="filter_consent", empty_label=_("All"), widget=LongSelect
    )
    registered_by = django_filters.ChoiceFilter(
        label=_("Registered by"),
        choices=[("me", _("Me"))],
        method="filter_registered_by",
        empty_label=_("Anyone"),
        widget=LongSelect,
    )
    # Set by the import's redirect ("the people this import brought"); not a field a reader fills in.
    import_batch = django_filters.CharFilter(field_name="import_batch", widget=forms.HiddenInput)
    registered_since = django_filters.DateFilter(
        label=_("Registered since"), field_name="created_at", lookup_expr="date__gte", widget=DateInput
    )

    class Meta:
        model = Beneficiary
        fields = [
            *("q", "city", "nationality", "sex", "age_group", "status", "consent"),
            *("registered_by", "registered_since", "import_batch"),
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_filter(value)) if value.strip() else queryset

    def filter_registered_by(self, queryset, name, value):
        return queryset.filter(created_by=self.request.user) if self.request is not None else queryset.none()

    def filter_consent(self, queryset, name, value):
        return {
            "sharing": queryset.filter(consent_sharing=True),
            "no_sharing": queryset.filter(consent_sharing=False),
            "photos": queryset.filter(consent_photos=True),
        }[value]


# Said when an export is asked with filters the list refuses (the page, or its job later).
EXPORT_REFUSED = _("The export was not made: correct the filters first.")
