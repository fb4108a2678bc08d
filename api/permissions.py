"""What an API request may do: a token's scope, and the same model permissions the pages ask."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class TokenScope(permissions.BasePermission):
    """A token scoped "read" reads only; a write needs a "read and write" token (or a session)."""

    message = _("This token may only read: ask an administrator for a token that may write.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiToken):
            return True
        return request.auth.can_write


class ModelPermissions(permissions.BasePermission):
    """The permission the page of the same data asks (``required_permissions`` of the view, by
    method): a donor is refused the registry here as there. Which rows follow from the selectors."""

    message = _("Your role does not give access to this.")

    def has_permission(self, request, view):
        by_method = getattr(view, "required_permissions", {})
        required = by_method.get(request.method, by_method.get("GET", ()))
        return bool(request.user and request.user.is_authenticated and request.user.has_perms(required))
