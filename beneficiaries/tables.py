import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Beneficiary


class BeneficiaryTable(tables.Table):
    reference = tables.Column(verbose_name=_("Reference"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), accessor="last_name", order_by=("last_name", "first_name"))
    sex = tables.Column(verbose_name=_("Sex"))
    age_group = tables.Column(verbose_name=_("Age group"))
    # Through the Country, not the field: for a field with choices, django-tables2 calls
    # get_nationality_display(), which goes through the 250 countries for every row.
    nationality = tables.Column(verbose_name=_("Nationality"), accessor="nationality__name", order_by="nationality")
    city = tables.Column(verbose_name=_("City"), accessor="city__name")
    status = tables.Column(verbose_name=_("Status"))
    consent_sharing = tables.BooleanColumn(verbose_name=_("Sharing"), orderable=False)

    class Meta:
        model = Beneficiary
        fields = ["reference", "name", "sex", "age_group", "nationality", "city", "status", "consent_sharing"]
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("No one matches. Change the search or the filters, or register a new person.")

    def render_name(self, record):
        if record.status == Beneficiary.Status.ANONYMIZED:
            return "—"
        return f"{record.last_name.upper()} {record.first_name}"
