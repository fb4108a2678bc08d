import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Workshop


class WorkshopTable(tables.Table):
    title = tables.Column(verbose_name=_("Event"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    level = tables.Column(verbose_name=_("Level"))
    city = tables.Column(verbose_name=_("City"), accessor="city__name")
    dates = tables.Column(verbose_name=_("Dates"), accessor="start_date", order_by=("start_date", "end_date"))
    present_count = tables.Column(verbose_name=_("Present"), attrs={"td": {"class": "text-end"}})
    registered_count = tables.Column(verbose_name=_("Registered"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Workshop
        fields = ["title", "kind", "level", "city", "dates", "present_count", "registered_count"]
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("No event matches. Change the filters, or create an event.")

    def render_dates(self, record):
        if record.start_date == record.end_date:
            return f"{record.start_date:%d/%m/%Y}"
        return f"{record.start_date:%d/%m/%Y} – {record.end_date:%d/%m/%Y}"
