"""Issuing and revoking API tokens."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.security import log_event

from .models import TOKEN_PREFIX, ApiToken, token_hash

# How often a token's "last used" time is written: at most once a minute, not on every request.
LAST_USED_RESOLUTION_SECONDS = 60
MAX_LIFETIME = timedelta(days=366)


def check_expiry(expires_at: datetime) -> None:
    """A token ends in the future, and within a year: then another is issued (and this one known
    to have ended), rather than one key living on in a script somewhere."""
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError(_("The expiry must be in the future."))
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError(_("A token lives at most a year: issue a new one when it ends."))


@transaction.atomic
def token_issue(*, user, name: str, scope: str, expires_at: datetime, by) -> tuple[ApiToken, str]:
    """A new token for ``user``, and its key, which is returned here once and stored nowhere."""
    check_expiry(expires_at)
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, scope=scope, expires_at=expires_at, created_by=by)
    token.prefix, token.key_hash = key[:10], token_hash(key)
    token.full_clean()
    token.save()
    log_event("api_token_issued", user=by, token=token.pk, holder=user.pk, scope=scope)
    return token, key


def token_revoke(*, token: ApiToken, by) -> None:
    """Refuse the token from now on (kept, for the record of who used what)."""
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        log_event("api_token_revoked", user=by, token=token.pk)


def token_touch(token: ApiToken) -> None:
    """Note that the token was used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
