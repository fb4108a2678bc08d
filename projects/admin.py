from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ProjectScopedAdmin, ScopedInlineMixin
from core.images import reencode_logo

from .models import (
    Component,
    Funding,
    Indicator,
    IndicatorValue,
    Location,
    Membership,
    Organization,
    Partnership,
    Project,
    Sector,
)
from .services import approve_indicator_value, reopen_if_changed, submit_indicator_value


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "country"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "level", "city", "iati_ref", "website", "logo"]
        # A website typed without its scheme is taken as https:// (Django 6's default, said now).
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}

    def clean_logo(self):
        """A new logo is kept as re-encoded (no metadata, at most 400 px), never as sent."""
        logo = self.cleaned_data.get("logo")
        if logo and logo is not self.initial.get("logo") and hasattr(logo, "content_type"):
            clean = reencode_logo(logo)
            clean.content.name = "logo.png"
            return clean.content
        return logo


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm

    def save_model(self, request, obj, form, change):
        replaced = form.initial.get("logo") if change and "logo" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if replaced:  # the logo replaced or cleared: its file goes too
            replaced.storage.delete(replaced.name)

    list_display = ["name", "acronym", "kind", "level", "city"]
    list_filter = ["kind", "level", "city"]
    search_fields = ["name", "acronym", "iati_ref"]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]


class ComponentInline(ScopedInlineMixin, admin.StackedInline):
    model = Component
    extra = 0


class SectorInline(ScopedInlineMixin, admin.TabularInline):
    model = Sector
    extra = 0


class FundingInline(ScopedInlineMixin, admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["organization"]


class PartnershipInline(ScopedInlineMixin, admin.TabularInline):
    model = Partnership
    extra = 0
    autocomplete_fields = ["organization"]


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ProjectAdminForm(forms.ModelForm):
    """The KoboToolbox token is typed, never shown back: left empty, the saved one stays."""

    kobo_server = forms.URLField(
        label=_("KoboToolbox server"),
        required=False,
        assume_scheme="https",
        help_text=Project._meta.get_field("kobo_server").help_text,
    )

    kobo_token = forms.CharField(
        label=_("KoboToolbox API token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Left empty, the token already saved stays."),
    )

    class Meta:
        model = Project
        fields = [
            *("code", "prima_id", "title_fr", "title_en", "project_type", "status", "is_public"),
            *("description_fr", "description_en", "planned_start_date", "planned_end_date"),
            *("actual_start_date", "actual_end_date", "date_precision", "budget", "currency"),
            *("country", "time_zone", "coverage", "idf_region", "beneficiary_countries", "locations"),
            *("sdg_targets", "kobo_server", "kobo_form", "kobo_token"),
        ]

    def clean(self):
        cleaned = super().clean()
        country, places = cleaned.get("country"), cleaned.get("locations")
        if country and places is not None:
            elsewhere = sorted(place.name for place in places if place.country != country)
            if elsewhere:
                self.add_error(
                    "locations",
                    _("These places are not in the project’s country: %(places)s.") % {"places": ", ".join(elsewhere)},
                )
        return cleaned

    def clean_kobo_token(self) -> str:
        return self.cleaned_data["kobo_token"] or (self.instance.kobo_token if self.instance.pk else "")


@admin.register(Project)
class ProjectAdmin(ProjectScopedAdmin):
    project_path = ""
    list_display = ["code", "title_fr", "project_type", "status", "coverage", "budget", "currency", "is_public"]
    list_filter = ["status", "project_type", "coverage", "idf_region", "is_public"]
    search_fields = ["code", "prima_id", "title_fr", "title_en"]
    autocomplete_fields = ["locations"]
    inlines = [ComponentInline, SectorInline, FundingInline, PartnershipInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["code", "prima_id", "title_fr", "title_en", "project_type", "status", "is_public"]}),
        (_("Description"), {"fields": ["description_fr", "description_en"]}),
        (
            _("Dates"),
            {
                "fields": [
                    ("planned_start_date", "planned_end_date"),
                    ("actual_start_date", "actual_end_date"),
                    "date_precision",
                ]
            },
        ),
        (_("Budget"), {"fields": [("budget", "currency")]}),
        (
            _("Where"),
            {"fields": [("country", "time_zone"), "coverage", "idf_region", "beneficiary_countries", "locations"]},
        ),
        (_("Classification"), {"fields": ["sdg_targets"]}),
        (_("Phones (KoboToolbox)"), {"fields": ["kobo_server", "kobo_form", "kobo_token"]}),
    ]
    form = ProjectAdminForm


@admin.register(Funding)
class FundingAdmin(ProjectScopedAdmin):
    list_display = ["project", "organization", "amount"]
    list_filter = ["project"]
    search_fields = ["project__code", "organization__name", "organization__acronym"]
    list_select_related = ["project", "organization"]
    autocomplete_fields = ["project", "organization"]


@admin.register(Membership)
class MembershipAdmin(ProjectScopedAdmin):
    list_display = ["user", "project", "created_at"]
    list_filter = ["project"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "project__code"]
    list_select_related = ["user", "project"]
    autocomplete_fields = ["user", "project"]


class IndicatorValueInline(ScopedInlineMixin, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["period_start", "period_end", "value", "note", "status", "submitted_by", "approved_by"]
    readonly_fields = ["status", "submitted_by", "approved_by"]


@admin.register(Indicator)
class IndicatorAdmin(ProjectScopedAdmin):
    list_display = ["code", "name_fr", "project", "level", "measure", "baseline", "target", "metric"]
    list_filter = ["project", "level", "measure", "metric"]
    search_fields = ["code", "name_fr", "name_en"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    inlines = [IndicatorValueInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.instance.pk and inline_form.has_changed():
                reopen_if_changed(inline_form.instance, inline_form.changed_data)
        super().save_formset(request, form, formset, change)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ProjectScopedAdmin):
    """Where hand-entered values are submitted and approved (by two different people)."""

    project_path = "indicator__project"
    list_display = ["indicator", "period_start", "period_end", "value", "status", "submitted_by", "approved_by"]
    list_filter = ["status", "indicator__project"]
    list_select_related = ["indicator", "submitted_by", "approved_by"]
    readonly_fields = ["status", "submitted_by", "approved_by", "approved_at"]
    autocomplete_fields = ["indicator"]
    actions = ["submit", "approve"]

    def save_model(self, request, obj, form, change):
        if change:
            reopen_if_changed(obj, form.changed_data)
        super().save_model(request, obj, form, change)

    def _each(self, request, queryset, service, done_message):
        done = 0
        for value in queryset:
            try:
                service(value=value, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{value}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Submit the selected values for approval"), permissions=["change"])
    def submit(self, request, queryset):
        self._each(request, queryset, submit_indicator_value, _("%(count)d value(s) submitted."))

    @admin.action(description=_("Approve the selected values"), permissions=["change"])
    def approve(self, request, queryset):
        self._each(request, queryset, approve_indicator_value, _("%(count)d value(s) approved."))
