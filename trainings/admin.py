from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ProjectScopedAdmin, ProjectScopedHistoryAdmin, ScopedInlineMixin
from core.formatting import money, staff_name
from projects.selectors import member_project_list, staff_of

from . import rules
from .models import Attendance, BusinessSupport, Enrollment, FollowUp, Session, Training, income_band_choices
from .services import training_save


class SessionInline(ScopedInlineMixin, admin.TabularInline):
    model = Session
    extra = 0
    show_change_link = True


class TrainingAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # by the fields, before training_save asks again under lock
            rules.check_training_edit(self.instance, cleaned)
        project = cleaned.get("project") or (self.instance.project if self.instance.pk else None)
        if project is not None and "officers" in cleaned:
            try:
                rules.check_officers(project, cleaned["officers"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Training)
class TrainingAdmin(ProjectScopedAdmin):
    form = TrainingAdminForm
    list_display = ["title", "kind", "trade", "city", "provider", "start_date", "end_date", "capacity"]
    list_filter = ["kind", "project", "city", "start_date"]
    search_fields = ["title", "trade", "provider__name", "provider__acronym"]
    list_select_related = ["city", "provider"]
    autocomplete_fields = ["project", "provider", "city"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]
    date_hierarchy = "start_date"
    inlines = [SessionInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "officers":  # people of the admin's own projects only, by name
            kwargs["queryset"] = staff_of(member_project_list(user=request.user))
            kwargs["widget"] = forms.CheckboxSelectMultiple()
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = staff_name
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Through the service: added places go to the waitlist, in order. The officers, checked by
        # the form, are saved with the other relations by save_related.
        training_save(training=obj, by=request.user)


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["enrollment", "status", "recorded_by", "recorded_at"]
    readonly_fields = ["enrollment", "recorded_by", "recorded_at"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__beneficiary", "recorded_by")

    def has_add_permission(self, request, obj=None):
        return False  # the attendance sheet takes a whole session at once


@admin.register(Session)
class SessionAdmin(ProjectScopedAdmin):
    project_path = "training__project"
    list_display = ["date", "start_time", "training", "topic"]
    list_filter = ["training__kind", "training__city", "date"]
    search_fields = ["topic", "training__title"]
    list_select_related = ["training__city"]
    autocomplete_fields = ["training"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]


@admin.register(Enrollment)
class EnrollmentAdmin(ProjectScopedHistoryAdmin):
    project_path = "training__project"
    list_display = ["beneficiary", "training", "status", "enrolled_on", "attendance_rate", "certificate_number"]
    list_filter = ["status", "training__kind", "training__city"]
    search_fields = ["beneficiary__reference", "beneficiary__last_name", "certificate_number", "training__title"]
    list_select_related = ["beneficiary", "training__city"]
    # Places, the waitlist and certificates follow rules kept by the staff pages' services.
    readonly_fields = [
        "training",
        "beneficiary",
        "status",
        "requested_at",
        "enrolled_on",
        "completed_on",
        "attendance_rate",
        "certificate_number",
        "created_by",
    ]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(Attendance)
class AttendanceAdmin(ProjectScopedAdmin):
    project_path = "enrollment__training__project"
    list_display = ["session", "enrollment", "status", "recorded_by", "recorded_at"]
    list_filter = ["status", "session__training__city"]
    search_fields = ["enrollment__beneficiary__reference", "session__training__title"]
    list_select_related = ["session__training", "enrollment__beneficiary", "enrollment__training", "recorded_by"]
    readonly_fields = ["enrollment", "session", "recorded_by", "recorded_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ProjectScopedHistoryAdmin):
    project_path = "enrollment__training__project"
    list_display = ["enrollment", "months_after", "date", "employment_status", "monthly_income"]
    list_filter = ["months_after", "employment_status"]
    search_fields = ["enrollment__beneficiary__reference", "employer_or_sector"]
    list_select_related = ["enrollment__beneficiary", "enrollment__training__project"]
    readonly_fields = ["enrollment", "recorded_by", "created_at", "updated_at"]

    @admin.display(description=_("monthly income"), ordering="income_band")
    def monthly_income(self, follow_up) -> str:
        return follow_up.income_band_label

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "income_band" in form.base_fields:
            # The bands at the thresholds and in the currency of the project's country.
            form.base_fields["income_band"].choices = income_band_choices(obj.enrollment.training.project.country.code)
        return form

    def has_add_permission(self, request):
        return False  # from the person's page, where the rules on dates apply


@admin.register(BusinessSupport)
class BusinessSupportAdmin(ProjectScopedHistoryAdmin):
    project_path = "beneficiary__project"
    list_display = ["beneficiary", "business_sector", "support_kind", "amount", "business_status"]
    list_filter = ["business_status", "support_kind"]
    search_fields = ["beneficiary__reference", "business_sector"]
    list_select_related = ["beneficiary__project"]

    @admin.display(description=_("amount (local currency)"), ordering="support_amount")
    def amount(self, support) -> str:
        """In the currency of the person's project: dirhams and dinars are not one column."""
        return money(support.support_amount, support.beneficiary.project.profile.currency)

    readonly_fields = ["beneficiary", "recorded_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["beneficiary", "training", "business_sector", "business_status", "business_started_on"]}),
        (_("Support"), {"fields": ["business_plan_on", "support_kind", "support_amount", "support_on"]}),
        (_("Coaching"), {"fields": ["coaching_sessions"]}),
        (None, {"fields": ["recorded_by", "created_at", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        return False
