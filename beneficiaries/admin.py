from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin import ProjectScopedAdmin, ProjectScopedHistoryAdmin
from core.scoping import for_member

from .forms import BeneficiaryEditForm
from .models import AccessLog, Beneficiary, CrossProjectMatch, DistinctPersonConfirmation
from .services import (
    EDITABLE_FIELDS,
    beneficiary_anonymize,
    beneficiary_update,
    beneficiary_withdraw,
    check_editable,
    cross_project_matches_review,
)


class BeneficiaryAdminForm(BeneficiaryEditForm):
    """The staff pages' edit form, with its rules (names, dates, consents, the languages list), for
    the admin's change and revert pages. ``version`` is the stored version when the page was opened,
    even on a past version's revert page, so that a save over someone else's is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            stored = Beneficiary.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.fields["version"].initial = stored

    def clean(self):
        cleaned = super().clean()
        current = Beneficiary.objects.filter(pk=self.instance.pk).first()
        if current is not None and cleaned.get("version") is not None:
            try:
                check_editable(current=current, version=cleaned["version"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Beneficiary)
class BeneficiaryAdmin(ProjectScopedHistoryAdmin):
    form = BeneficiaryAdminForm
    fields = ["reference", "project", *EDITABLE_FIELDS, "status", "age_group", "version", "created_by"]
    list_display = ["reference", "last_name", "first_name", "sex", "age_group", "nationality_name", "city", "status"]
    list_filter = ["status", "project", "sex", "age_group", "city", "consent_sharing"]
    search_fields = [
        "reference",
        "last_name",
        "first_name",
        "other_last_name",
        "other_first_name",
        "residence_card_number",
        "phone",
    ]
    list_select_related = ["project", "city"]
    autocomplete_fields = ["city"]
    readonly_fields = ["reference", "project", "status", "age_group", "created_by", "created_at", "updated_at"]
    actions = ["withdraw", "anonymize"]
    show_full_result_count = False  # one COUNT per page, not two

    def get_form(self, request, obj=None, change=False, **kwargs):
        # ``version`` is the form's own field (the model's is not editable): shown, not modelled.
        kwargs["fields"] = [name for name in kwargs.get("fields") or EDITABLE_FIELDS if name != "version"]
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class FormForUser(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, user=request.user, **kwargs)

        return FormForUser

    def save_model(self, request, obj, form, change):
        # Edits go through the service, for derived fields, history and the access log, from the
        # version the form was opened on. Registration is on the staff pages, where duplicates are found.
        version = form.cleaned_data["version"]
        beneficiary_update(beneficiary=obj, data=form.cleaned_data, version=version, by=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # People leave the registry by withdrawal or anonymization, which keep the totals, the
        # history and the access log; a hard delete would lose them. Nobody deletes, superusers too.
        return False

    # The country's own name: the admin's display of a field with choices would go through the 250
    # translated countries for every row.
    @admin.display(description=_("Nationality"), ordering="nationality")
    def nationality_name(self, obj):
        return obj.nationality.name

    @admin.action(description=_("Withdraw the selected people"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._run(request, queryset, beneficiary_withdraw)

    @admin.action(description=_("Anonymize the selected people"), permissions=["anonymize"])
    def anonymize(self, request, queryset):
        self._run(request, queryset, beneficiary_anonymize)

    def has_anonymize_permission(self, request):
        return request.user.has_perm("beneficiaries.anonymize_beneficiary")

    def _run(self, request, queryset, service):
        done = 0
        for beneficiary in queryset:
            try:
                service(beneficiary=beneficiary, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{beneficiary.reference}: {' '.join(error.messages)}", messages.WARNING)
        self.message_user(request, _("%(count)d record(s) updated.") % {"count": done}, messages.SUCCESS)


@admin.register(AccessLog)
class AccessLogAdmin(ProjectScopedAdmin):
    list_display = ["at", "user", "action", "project", "reference", "detail"]
    list_filter = ["action", "project"]
    search_fields = ["reference", "user__username"]
    list_select_related = ["user", "project"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DistinctPersonConfirmation)
class DistinctPersonConfirmationAdmin(ProjectScopedAdmin):
    project_path = "beneficiary__project"
    list_display = ["beneficiary", "other", "confirmed_by", "confirmed_at"]
    list_select_related = ["beneficiary", "other", "confirmed_by"]
    search_fields = ["beneficiary__reference", "other__reference"]

    def get_queryset(self, request):
        # Both people are named: both must be of the user's projects.
        return for_member(super().get_queryset(request), request.user, project_path="other__project")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CrossProjectMatch)
class CrossProjectMatchAdmin(ProjectScopedAdmin):
    """The review list of likely duplicates across projects, for the M&E officers of either project."""

    # References and project codes only: each officer opens their own side's record, and learns of
    # the other side no more than whom to ask.
    fields = list_display = [
        "found_at",
        "registered",
        "registered_in",
        "possible_match",
        "match_in",
        "score",
        "reasons",
        "reviewed_at",
    ]
    readonly_fields = fields
    list_filter = ["reviewed_at"]
    list_select_related = ["beneficiary__project", "other__project"]
    search_fields = ["beneficiary__reference", "other__reference"]
    actions = ["mark_reviewed"]

    def get_queryset(self, request):
        # Either person's project will do: both officers must be able to find the pair.
        rows = admin.ModelAdmin.get_queryset(self, request)
        mine = for_member(rows, request.user, project_path="beneficiary__project").values("pk")
        theirs = for_member(rows, request.user, project_path="other__project").values("pk")
        return rows.filter(Q(pk__in=mine) | Q(pk__in=theirs))

    @admin.display(description=_("person registered"))
    def registered(self, match):
        return match.beneficiary.reference

    @admin.display(description=_("project"))
    def registered_in(self, match):
        return match.beneficiary.project.code

    @admin.display(description=_("possible match"))
    def possible_match(self, match):
        return match.other.reference

    @admin.display(description=_("project of the match"))
    def match_in(self, match):
        return match.other.project.code

    @admin.action(description=_("Mark as reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = cross_project_matches_review(matches=queryset, by=request.user)
        self.message_user(request, _("%(count)d match(es) marked as reviewed.") % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
