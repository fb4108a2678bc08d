"""Second factor: set up an authenticator app (TOTP) with recovery codes, and confirm a code at
sign-in. Built on django-otp; the middleware in core.middleware decides who must."""

import base64
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .forms import safe_next_url
from .security import log_event

RECOVERY_CODES = 10
PENDING_KEY = "two_factor_pending_key"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


def _next_url(request) -> str:
    return safe_next_url(request, request.POST.get("next") or request.GET.get("next")) or "/"


def _qr_code(text: str) -> str:
    """The QR code of ``text`` as an SVG data URI (no image library needed; CSP allows data: images)."""
    buffer = BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class SetupForm(TokenForm):
    """The first code of a new authenticator, with the account's password: whoever holds only a
    signed-in session (a borrowed computer, a stolen cookie) cannot put their own phone on it."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    field_order = ["password", "token"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="password")
        return password


def _pending_key(request) -> str:
    """The secret of the authenticator being set up, kept in the session until its first code is
    confirmed: nothing is written to the database before that (a GET creates no device)."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = default_key()
    return key


def _code_matches(key: str, token: str) -> bool:
    try:
        code = int(token)
    except ValueError:
        return False
    return TOTP(bytes.fromhex(key)).verify(code, tolerance=1)


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(View):
    """Set up an authenticator app, or replace it (a new phone, new recovery codes).

    Whoever already has a confirmed authenticator must confirm a code from it first: until then
    this page sends them to the verification page, whatever they post. Every setup asks for the
    password again."""

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        if has_device and not request.user.is_verified():
            return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': _next_url(request)})}")
        self.replacing = has_device
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form):
        key = _pending_key(request)
        device = TOTPDevice(user=request.user, name="Masar", key=key)  # never saved: for its URL only
        secret = base64.b32encode(bytes.fromhex(key)).decode("ascii")
        context = {
            "form": form,
            "replacing": self.replacing,
            "qr_code": _qr_code(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        }
        return render(request, self.template_name, context)

    def get(self, request):
        return self.render_page(request, SetupForm(user=request.user))

    def post(self, request):
        key = _pending_key(request)
        form = SetupForm(request.POST, user=request.user)
        if form.is_valid() and not _code_matches(key, form.cleaned_data["token"]):
            form.add_error(
                "token", _("This code is not right. Check that your phone's clock is right, then try again.")
            )
        if not form.is_valid():
            log_event("second_factor_failed", request=request)
            return self.render_page(request, form)
        with transaction.atomic():
            # A new phone replaces the old one, and new recovery codes the old ones.
            TOTPDevice.objects.filter(user=request.user).delete()
            device = TOTPDevice.objects.create(user=request.user, name="Masar", key=key, confirmed=True)
            recovery, _created = StaticDevice.objects.get_or_create(user=request.user, name="Recovery codes")
            recovery.token_set.all().delete()
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
        del request.session[PENDING_KEY]
        otp_login(request, device)
        log_event("second_factor_replaced" if self.replacing else "second_factor_set_up", request=request)
        return render(request, "registration/two_factor_recovery.html", {"codes": codes, "next": _next_url(request)})


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(View):
    template_name = "registration/two_factor_verify.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TokenForm(), "next": _next_url(request)})

    def post(self, request):
        form = TokenForm(request.POST)
        device = match_token(request.user, form.cleaned_data["token"]) if form.is_valid() else None
        if device is None:
            form.errors.clear()
            form.add_error("token", _("This code is not right, or was already used. Try the next one."))
            log_event("second_factor_failed", request=request)
            return render(request, self.template_name, {"form": form, "next": _next_url(request)})
        otp_login(request, device)
        log_event("second_factor_verified", request=request, device=device.__class__.__name__)
        if isinstance(device, StaticDevice):
            messages.warning(
                request, _("You used a recovery code: each works once. Set up a new phone if you lost yours.")
            )
        return redirect(_next_url(request))
