"""Security events, logged as one JSON object per line on the ``masar.security`` logger.

Events name who (a user id, or the username typed at sign-in), what, and from where (IP address);
never a password, a token or a migrant's personal data. The lines are written by
core.log_format.JsonLineFormatter (see LOGGING in the settings).
"""

import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("masar.security")

MAX_VALUE_LENGTH = 200


def axes_username(request, credentials) -> str:
    """The username django-axes records: as typed, cut to what a username can be (Django's 150),
    so that a hostile sign-in with a huge username is refused like any other, not a server error."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "")[:150]


def client_ip(request) -> str:
    """The address of the person at the other end. Behind TRUSTED_PROXY_COUNT proxies (a load
    balancer, say), it is the address the outermost trusted proxy saw, read from the right of
    X-Forwarded-For: what a client writes further left is its own claim, never trusted. With no
    trusted proxy (the default), the header is ignored and the connection's address is used."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' lockout on the pair (username, address), as AXES_LOCKOUT_PARAMETERS sets it, so
    that nobody can lock someone else out from another address, and an office behind one address
    is not locked whole by one person's typos; plus a ceiling per address
    (AXES_IP_FAILURE_LIMIT failures in the cool-off time, across all usernames) against guessing
    many accounts from one place."""

    def is_locked(self, request, credentials=None) -> bool:
        return (
            super().is_locked(request, credentials) or self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT
        )

    @staticmethod
    def address_failures(request) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=client_ip(request), attempt_time__gte=get_cool_off_threshold(request)
        )
        return sum(attempts.values_list("failures_since_start", flat=True))


def _clean(value):
    # Long or odd values are cut: a log line is evidence, not storage.
    return value[:MAX_VALUE_LENGTH] if isinstance(value, str) else value


def log_event(
    event: str, *, request=None, user=None, ip: str | None = None, level: int = logging.INFO, **details
) -> None:
    """Log a security event. ``details`` must hold no password and no personal data of migrants.
    Services, which take no request, pass the client's address as ``ip``."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    entry = {
        "event": event,
        "user_id": getattr(user, "pk", None),
        "ip": client_ip(request) if ip is None else ip,
        "path": _clean(request.path) if request is not None else "",
        **{key: _clean(value) for key, value in details.items()},
    }
    logger.log(level, entry)


@receiver(user_logged_in, dispatch_uid="masar_security_signed_in")
def _signed_in(sender, request, user, **kwargs):
    log_event("sign_in", request=request, user=user)


@receiver(user_logged_out, dispatch_uid="masar_security_signed_out")
def _signed_out(sender, request, user, **kwargs):
    log_event("sign_out", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="masar_security_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` is already cleansed by Django (the password masked); only the username is kept.
    log_event("sign_in_failed", request=request, level=logging.WARNING, username=credentials.get("username", ""))


@receiver(user_locked_out, dispatch_uid="masar_security_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("locked_out", request=request, level=logging.WARNING, username=username or "")
