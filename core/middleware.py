"""Requests checked before any view: control characters in the URL, session lifetime, the second factor."""

import time
import unicodedata
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from .models import preferred_language
from .roles import user_roles
from .security import log_event

SIGNED_IN_AT = "signed_in_at"
# The language a signed-in user chose (core.models.LanguagePreference), read into the session when
# they sign in, so that no request asks the database for it.
PREFERRED_LANGUAGE = "preferred_language"
LAST_SEEN_AT = "last_seen_at"
# How stale the last-seen time may get before a request writes it (and the session) again: one
# write a minute at most, instead of one per request (SESSION_SAVE_EVERY_REQUEST).
LAST_SEEN_RESOLUTION = 60


def _has_control_character(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


class RejectControlCharactersMiddleware:
    """A URL whose path or query holds a control character (a NUL byte, a newline) is a bad request
    (400), before any view reads it: no page, filter, admin search or redirect has to guard against
    it, and PostgreSQL, which refuses NUL in text, never sees one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_character(request.path) or any(
            _has_control_character(key) or _has_control_character(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("Control character in the URL.")
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="masar_session_signed_in_at")
def _remember_sign_in_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = time.time()


@receiver(user_logged_in, dispatch_uid="masar_session_preferred_language")
def _remember_preferred_language(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        language = preferred_language(user)
        if language:
            request.session[PREFERRED_LANGUAGE] = language


class PreferredLanguageMiddleware:
    """A reader who chose a language other than French with the language switch gets it back on an
    address without a language prefix: a bookmark, the home page, a link in an e-mail or the
    sign-in redirect opens in their language, not in French. A signed-in user's choice is kept with
    their account (on any device); otherwise Django's cookie keeps it for the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.session.get(PREFERRED_LANGUAGE) or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            request.method in ("GET", "HEAD")
            and chosen != settings.LANGUAGE_CODE
            and chosen in dict(settings.LANGUAGES)
            and translation.get_language_from_path(request.path_info) is None
        ):
            here = request.get_full_path()
            # "//host/path" would read as another site's address: only a path of ours is translated.
            if here.startswith(("//", "/\\")):
                return self.get_response(request)
            there = translate_url(here, chosen)
            if there != here:  # an address of the site's pages (not healthz, not a file)
                return redirect(there)
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Ends a session after 30 minutes without a request (SESSION_COOKIE_AGE) and 12 hours after
    sign-in however active it was (SESSION_ABSOLUTE_AGE).

    The last-seen time is written at most once a minute: that write is what saves the session and
    sends its cookie again with a fresh expiry, so reading pages costs no database write. The stored
    session and its cookie may therefore expire up to a minute before the 30 minutes are up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = request.session.get(LAST_SEEN_AT, signed_in_at)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                return self._end(request, _("Your session has ended after 12 hours. Please sign in again."))
            if now - last_seen_at > settings.SESSION_COOKIE_AGE:
                return self._end(request, _("You were signed out after 30 minutes without activity."))
            if now - last_seen_at >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, message):
        log_event("session_expired", request=request)
        logout(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())


def needs_second_factor(user) -> bool:
    return user.is_authenticated and bool(user_roles(user) & set(settings.TWO_FACTOR_ROLES))


class TwoFactorRequiredMiddleware:
    """Where TWO_FACTOR_REQUIRED is on (production), administrators and M&E officers reach nothing
    but the second-factor pages, sign-out and the language switch until they confirm a code."""

    OPEN = {"two-factor-setup", "two-factor-verify", "logout", "set_language", "healthz", "login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_confirm(request):
            has_device = request.user.totpdevice_set.filter(confirmed=True).exists()
            target = reverse("two-factor-verify" if has_device else "two-factor-setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_confirm(self, request) -> bool:
        return (
            settings.TWO_FACTOR_REQUIRED
            and not request.user.is_verified()
            and needs_second_factor(request.user)
            and not request.path.startswith(settings.STATIC_URL)
            and self._url_name(request) not in self.OPEN
        )

    @staticmethod
    def _url_name(request) -> str:
        try:
            return resolve(request.path_info).url_name or ""
        except Resolver404:
            return ""
