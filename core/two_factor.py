"""Second factor: set up an authenticator app (TOTP) with recovery codes, and confirm a code at
sign-in. Built on django-otp; the middleware in core.middleware decides who must."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import safe_next_url
from .security import log_event

RECOVERY_CODES = 10


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


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(View):
    template_name = "registration/two_factor_setup.html"

    def get_device(self, user) -> TOTPDevice:
        # One pending device per person: reloading the page keeps the same QR code.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        return device or TOTPDevice.objects.create(user=user, name="Masar", confirmed=False)

    def render_page(self, request, form, device):
        secret = base64.b32encode(device.bin_key).decode("ascii")
        context = {
            "form": form,
            "qr_code": _qr_code(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        }
        return render(request, self.template_name, context)

    def get(self, request):
        if request.user.totpdevice_set.filter(confirmed=True).exists():
            return redirect("two-factor-verify")
        return self.render_page(request, TokenForm(), self.get_device(request.user))

    def post(self, request):
        device = self.get_device(request.user)
        form = TokenForm(request.POST)
        if not form.is_valid() or not device.verify_token(form.cleaned_data["token"]):
            form.errors.clear()
            form.add_error(
                "token", _("This code is not right. Check that your phone's clock is right, then try again.")
            )
            log_event("second_factor_failed", request=request)
            return self.render_page(request, form, device)
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery, _created = StaticDevice.objects.get_or_create(user=request.user, name="Recovery codes")
            recovery.token_set.all().delete()
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
        otp_login(request, device)
        log_event("second_factor_set_up", request=request)
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
