import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Training


class TrainingTable(tables.Table):
    title = tables.Column(verbose_name=_("Training"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    trade = tables.Column(verbose_name=_("Trade or sector"))
    city = tables.Column(verbose_name=_("City"), accessor="city__name")
    dates = tables.Column(verbose_name=_("Dates"), accessor="start_date", order_by=("start_date", "end_date"))
    places = tables.Column(verbose_name=_("Places"), accessor="enrolled_count", attrs={"td": {"class": "text-nowrap"}})
    status = tables.Column(verbose_name=_("Status"), accessor="start_date", orderable=False, empty_values=())

    class Meta:
        model = Training
        fields = ["title", "kind", "trade", "city", "dates", "places", "status"]
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("No training matches. Change the filters, or create a training.")

    def render_dates(self, record):
        return f"{record.start_date:%d/%m/%Y} – {record.end_date:%d/%m/%Y}"

    def render_places(self, record):
        waiting = _("%(count)d waiting") % {"count": record.waitlisted_count} if record.waitlisted_count else ""
        taken = f"{record.enrolled_count} / {record.capacity}"
        return f"{taken} · {waiting}" if waiting else taken

    def render_status(self, record):
        return record.get_status_display()
