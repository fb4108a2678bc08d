from django.contrib import admin

from core.admin import ProjectScopedAdmin, ScopedInlineMixin
from core.names import name_key

from .models import AssessmentScore, AssessmentTopic, Participant, Registration, Workshop


class AssessmentTopicInline(ScopedInlineMixin, admin.TabularInline):
    model = AssessmentTopic
    extra = 0


class RegistrationInline(ScopedInlineMixin, admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["participant", "attendance", "registered_at"]
    readonly_fields = ["registered_at"]
    autocomplete_fields = ["participant"]


@admin.register(Workshop)
class WorkshopAdmin(ProjectScopedAdmin):
    list_display = ["title", "kind", "level", "city", "start_date", "end_date"]
    list_filter = ["kind", "level", "city", "project"]
    search_fields = ["title", "objectives", "outcomes"]
    list_select_related = ["city"]
    autocomplete_fields = ["project", "city", "organizers"]
    date_hierarchy = "start_date"
    inlines = [AssessmentTopicInline, RegistrationInline]


@admin.register(Participant)
class ParticipantAdmin(ProjectScopedAdmin):
    list_display = ["last_name", "first_name", "sex", "position", "organization", "consent_to_contact"]
    list_filter = ["sex", "organization__kind", "organization__level", "project"]
    search_fields = ["last_name", "first_name", "position", "organization__name", "organization__acronym", "email"]
    list_select_related = ["organization"]
    autocomplete_fields = ["project", "organization"]
    readonly_fields = ["name_key"]

    def save_model(self, request, obj, form, change):
        # The folded name that finds the same person again follows the name.
        obj.name_key = name_key(obj.first_name, obj.last_name)
        super().save_model(request, obj, form, change)


class AssessmentScoreInline(ScopedInlineMixin, admin.TabularInline):
    model = AssessmentScore
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(ProjectScopedAdmin):
    project_path = "workshop__project"
    list_display = ["participant", "workshop", "attendance"]
    list_filter = ["attendance", "workshop__kind", "workshop__level"]
    search_fields = ["participant__last_name", "participant__first_name", "workshop__title"]
    list_select_related = ["participant__organization", "workshop__city"]
    autocomplete_fields = ["participant", "workshop"]
    inlines = [AssessmentScoreInline]
