from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.scoping import for_member

from .models import AccessLog, Beneficiary, DistinctPersonConfirmation
from .services import beneficiary_anonymize, beneficiary_update, beneficiary_withdraw


@admin.register(Beneficiary)
class BeneficiaryAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "last_name", "first_name", "sex", "age_group", "nationality", "city", "status"]
    list_filter = ["status", "project", "sex", "age_group", "city", "consent_sharing"]
    search_fields = ["reference", "last_name", "first_name", "residence_card_number", "phone"]
    list_select_related = ["project", "city"]
    autocomplete_fields = ["project", "city"]
    readonly_fields = ["reference", "age_group", "version", "created_by", "created_at", "updated_at"]
    actions = ["withdraw", "anonymize"]
    show_full_result_count = False  # one COUNT per page, not two

    def get_queryset(self, request):
        return for_member(super().get_queryset(request), request.user)

    def save_model(self, request, obj, form, change):
        # Edits go through the service, for derived fields, history and the access log. Registration
        # is on the staff pages, where duplicate detection runs.
        stored_version = Beneficiary.objects.values_list("version", flat=True).get(pk=obj.pk)
        beneficiary_update(beneficiary=obj, data=form.cleaned_data, version=stored_version, by=request.user)

    def has_add_permission(self, request):
        return False

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
class AccessLogAdmin(admin.ModelAdmin):
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
class DistinctPersonConfirmationAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "other", "confirmed_by", "confirmed_at"]
    list_select_related = ["beneficiary", "other", "confirmed_by"]
    search_fields = ["beneficiary__reference", "other__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
