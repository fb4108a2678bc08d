from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import check_expiry, token_issue, token_revoke

DEFAULT_LIFETIME = timedelta(days=90)


class ApiTokenIssueForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].initial = timezone.now() + DEFAULT_LIFETIME
        self.fields["expires_at"].help_text = _("At most a year from now.")

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        check_expiry(expires_at)
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here (the key is shown once, on the page after saving, and kept only as a
    hash), read, and revoked; nothing else of a token changes."""

    list_display = ["prefix", "name", "user", "scope", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "name",
        "scope",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ApiTokenIssueForm.Meta.fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # a token does not change: it is revoked and another issued
        token, key = token_issue(
            user=obj.user, name=obj.name, scope=obj.scope, expires_at=obj.expires_at, by=request.user
        )
        # The admin logs the issue against ``obj`` and shows it next: it becomes the saved token.
        for field in ("pk", "prefix", "key_hash", "created_at", "created_by"):
            setattr(obj, field, getattr(token, field))
        request._issued_key = key

    def response_add(self, request, obj, post_url_continue=None):
        # The key, once: on this page, never in a message, a log or the database.
        response = TemplateResponse(
            request,
            "admin/api/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "token": obj,
                "key": request._issued_key,
                "opts": self.model._meta,
                "title": _("Token issued"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )
