"""Who an API request comes from: ``Authorization: Bearer <key>``, or the browser's own session (so
that signed-in staff can read the documentation and try the read endpoints)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken, token_hash
from .services import token_touch


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Write the header as “Authorization: Bearer <token>”."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        # One message for a token unknown, expired, revoked or of an inactive user: nothing to learn.
        token = ApiToken.objects.usable().select_related("user").filter(key_hash=token_hash(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid, has expired or was revoked."))
        token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
