from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from beneficiaries.panels import PersonPanel, register_person_panel

        from .selectors import beneficiary_activities, person_page_values

        # A person's trainings, follow-ups and business support, on their page.
        register_person_panel(
            "trainings",
            PersonPanel(
                "trainings/_beneficiary_activities.html",
                lambda beneficiary: beneficiary_activities(beneficiary=beneficiary),
                values=person_page_values,
            ),
        )
