"""Masar's names for the apps it takes from libraries, as the admin's index shows them: their own
configurations leave them unnamed, and the admin printed their labels (AXES, OTP_TOTP)."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDevicesConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDevicesConfig


class SignInAttemptsConfig(AxesConfig):
    verbose_name = _("Sign-in attempts")


class AuthenticatorAppsConfig(TOTPDevicesConfig):
    verbose_name = _("Second factor: authenticator apps")


class RecoveryCodesConfig(StaticDevicesConfig):
    verbose_name = _("Second factor: recovery codes")
