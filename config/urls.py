from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import two_factor
from core import views as core_views
from core.forms import PasswordResetForm
from reports import views as report_views
from trainings import views as training_views

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots-txt"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the icon.
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    # The API for other systems (KoboToolbox, IOM's own): versioned, one language (codes, not labels).
    path("api/v1/", include("api.urls")),
]

# French pages have no prefix (/projects/...), English ones live under /en/.
urlpatterns += i18n_patterns(
    path("", report_views.home, name="home"),
    path("projects/", include("reports.urls")),
    path("beneficiaries/", include("beneficiaries.urls")),
    path("trainings/", include("trainings.urls")),
    path("workshops/", include("workshops.urls")),
    # A certificate checked by anyone who holds its code (an employer, a school).
    path("certificates/", training_views.certificate_lookup, name="certificate-lookup"),
    path("certificates/<str:code>/", training_views.certificate_check, name="certificate-check"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's own password reset by e-mail. The page after a request reads the same whether the
    # address belongs to an account or not, so nobody learns who has one.
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", two_factor.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("accounts/two-factor/verify/", two_factor.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
