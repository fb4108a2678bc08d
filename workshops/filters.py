import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.lists import KeptFormFilterSet
from projects.filters import city_filter_choices
from projects.models import Organization

from .models import Workshop


class WorkshopFilter(KeptFormFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="title",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"placeholder": _("Title"), "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Workshop.Kind.choices, empty_label=_("All"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Organization.Level.choices, empty_label=_("All"))
    city = django_filters.ModelChoiceFilter(label=_("City"), queryset=city_filter_choices, empty_label=_("All cities"))
    starts_after = django_filters.DateFilter(
        label=_("Starts on or after"), field_name="start_date", lookup_expr="gte", widget=DateInput()
    )
    ends_before = django_filters.DateFilter(
        label=_("Ends on or before"), field_name="end_date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Workshop
        fields = ["q", "kind", "level", "city", "starts_after", "ends_before"]
