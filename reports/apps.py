from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

# The models a report (and its page) is drawn from: saving or deleting any of them makes cached reports stale,
# and everything else kept per data version.
SOURCES = (
    "beneficiaries.Beneficiary",
    "projects.Funding",
    "projects.Indicator",
    "projects.IndicatorValue",
    "projects.Location",
    "projects.Organization",
    "projects.Project",
    "reports.Release",
    "trainings.BusinessSupport",
    "trainings.Enrollment",
    "trainings.FollowUp",
    "trainings.Training",
    "workshops.Participant",
    "workshops.Registration",
    "workshops.Workshop",
    # Not a source of figures, but of who reads what: counts kept per query (lists, the admin) are
    # scoped by memberships in their SQL, which joining or leaving a project leaves unchanged.
    "projects.Membership",
)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from core.signals import data_changed
        from core.versioning import data_changed as invalidate

        for label in SOURCES:
            model = self.apps.get_model(label)
            post_save.connect(invalidate, sender=model, dispatch_uid=f"reports-{label}-saved")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"reports-{label}-deleted")
        data_changed.connect(invalidate, dispatch_uid="reports-data-changed")
