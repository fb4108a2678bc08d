from django.contrib import admin

from core.admin import ProjectScopedAdmin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(ProjectScopedAdmin):
    """Releases are read here; they are published and withdrawn on the project's releases page,
    where the audit runs, and never change once published."""

    list_display = ["project", "number", "period_start", "period_end", "published_at", "published_by", "withdrawn_at"]
    list_filter = ["project"]
    readonly_fields = [
        "project",
        "number",
        "period_start",
        "period_end",
        "published_at",
        "published_by",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    ]
    exclude = ["figures", "counts", "audit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
