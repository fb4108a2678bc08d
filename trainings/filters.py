import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.lists import KeptFormFilterSet
from projects.filters import city_filter_choices

from .models import Training


class TrainingFilter(KeptFormFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Title, trade or provider"), "type": "search"}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Training.Kind.choices, empty_label=_("All"))
    city = django_filters.ModelChoiceFilter(label=_("City"), queryset=city_filter_choices, empty_label=_("All cities"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Training.Status.choices, method="filter_status", empty_label=_("All")
    )
    starts_after = django_filters.DateFilter(
        label=_("Starts on or after"), field_name="start_date", lookup_expr="gte", widget=DateInput()
    )
    ends_before = django_filters.DateFilter(
        label=_("Ends on or before"), field_name="end_date", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Training
        fields = ["q", "kind", "city", "status", "starts_after", "ends_before"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(trade__icontains=value)
            | Q(provider__name__icontains=value)
            | Q(provider__acronym__iexact=value)
        )

    def filter_status(self, queryset, name, value):
        # The status follows from the dates, so it filters on them.
        today = timezone.localdate()
        return {
            Training.Status.UPCOMING: queryset.filter(start_date__gt=today),
            Training.Status.ONGOING: queryset.filter(start_date__lte=today, end_date__gte=today),
            Training.Status.ENDED: queryset.filter(end_date__lt=today),
        }[value]
