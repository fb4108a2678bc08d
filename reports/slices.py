"""The dashboard's slices: which release (the period it covers), a quarter within it, a city, a
component. A slice only chooses among the figures a release already protects; it never computes a
figure of its own, so nothing a slice shows is more than the release publishes."""

from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from trainings.models import Training

from .disclosure import ALL
from .figures import Figures
from .labels import label

# The project's components, as the figures know them: each kind of training, and capacity building.
AREAS = {
    Training.Kind.VOCATIONAL.value: Training.Kind.VOCATIONAL.label,
    Training.Kind.MICRO_ENTERPRISE.value: Training.Kind.MICRO_ENTERPRISE.label,
    "capacity": _("Capacity building"),
}


@dataclass(frozen=True)
class Slice:
    release: str = ""  # a release's number, or "" for the default (live figures for staff, else the current release)
    quarter: str = ""  # a quarter's first day, ISO
    city: str = ""
    area: str = ""

    @property
    def key(self) -> str:
        return f"{self.release}|{self.quarter}|{self.city}|{self.area}"

    @property
    def query(self) -> str:
        """The slice as an address's query (for the report to print): its own fields only."""
        return urlencode({name: value for name, value in asdict(self).items() if value})

    @property
    def is_whole(self) -> bool:
        return not (self.quarter or self.city or self.area)


def slice_choices(figures: Figures) -> dict[str, list[tuple[str, str]]]:
    """What a release can be sliced by: its cities and its quarters (of any trend table)."""
    cities = figures.table("registered_by_city")
    quarters = sorted(
        {
            code
            for key in ("enrollments_by_quarter", "certificates_by_quarter", "events_by_quarter")
            for code in figures.table(key)["row_codes"]
            if code != ALL  # a table reduced to its totals has no quarters
        }
    )
    return {
        "cities": [(code, code) for code in cities["row_codes"] if code != ALL],
        "quarters": [(code, label("quarter", date.fromisoformat(code))) for code in quarters],
    }


class SliceForm(forms.Form):
    """The slice asked for in the address; a value the release does not have is refused by name."""

    release = forms.ChoiceField(label=_("Period"), required=False)
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    area = forms.ChoiceField(label=_("Component"), required=False)

    def __init__(self, data, *, releases, live: bool, choices: dict):
        super().__init__(data)
        periods = [
            (str(number), _("Release %(number)s, up to %(day)s") % {"number": number, "day": day})
            for number, day in releases
        ]
        default = _("Live figures (not published)") if live else _("Latest release")
        self.fields["release"].choices = [("", default), *periods]
        self.fields["quarter"].choices = [("", _("All quarters")), *choices["quarters"]]
        self.fields["city"].choices = [("", _("All cities")), *choices["cities"]]
        self.fields["area"].choices = [("", _("All components")), *AREAS.items()]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
            field.error_messages["invalid_choice"] = _("“%(value)s” is not one of the choices of this release.")

    def slice(self) -> Slice:
        return Slice(**self.cleaned_data) if self.is_bound and self.is_valid() else Slice()
