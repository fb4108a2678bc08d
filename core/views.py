import logging
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .middleware import PREFERRED_LANGUAGE
from .models import LanguagePreference
from .security import log_event

logger = logging.getLogger(__name__)


@login_not_required
def set_language(request):
    """Django's language switch, which also remembers a signed-in user's choice with their account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[PREFERRED_LANGUAGE] = language
    return response


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Liveness with a round trip to the database and to the cache: 200 when both answer, 503 (and
    which one failed) when one does not. The cache matters as much: the app servers share it."""
    report = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable", exc_info=True)
        report["database"] = "unreachable"
    try:
        key = f"healthz:{secrets.token_hex(8)}"  # one per request: concurrent checks never read each other's
        cache.set(key, "ok", timeout=10)
        if cache.get(key) != "ok":
            raise ConnectionError("the cache did not give back what was just written")
        cache.delete(key)
    except Exception:
        logger.warning("healthz: cache unreachable", exc_info=True)
        report["cache"] = "unreachable"
    healthy = all(value == "ok" for value in report.values())
    # The job queue is reported, not judged: a late queue is no reason to take this host out of a
    # load balancer's rotation (its pages still answer); a monitor watches the age of the oldest job.
    if report["database"] == "ok":
        try:
            report["jobs"] = job_queue_report()
        except DatabaseError:  # e.g. a database not migrated yet
            logger.warning("healthz: job queue unreadable", exc_info=True)
            report["jobs"] = "unreadable"
    return JsonResponse({"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503)


def job_queue_report() -> dict:
    """How many jobs wait for a worker, and for how long the oldest has waited (in seconds), when the
    jobs go through the database backend; one indexed query."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return {"backend": type(backend).__name__}
    waiting = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
    summary = waiting.aggregate(count=Count("id"), oldest=Min("enqueued_at"))
    age = (timezone.now() - summary["oldest"]).total_seconds() if summary["oldest"] else 0
    stalled = age > settings.JOB_STALLED_AFTER_SECONDS
    return {"waiting": summary["count"], "oldest_waiting_seconds": round(age), "late": stalled}


def _error_page(template: str, status: int):
    @login_not_required
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


bad_request = _error_page("400.html", 400)


@login_not_required
def permission_denied(request, exception=None):
    log_event("permission_denied", request=request, level=logging.WARNING)
    return render(request, "403.html", status=403)


page_not_found = _error_page("404.html", 404)


@login_not_required
def server_error(request):
    # Rendered without a RequestContext: the error may come from a context processor or the database.
    return HttpResponseServerError(loader.get_template("500.html").render())


# Public pages may be indexed; what staff and administrators work on never is. Listed as prefixes,
# in both languages (French has no prefix, English is under /en/).
PRIVATE_PREFIXES = ("beneficiaries/", "trainings/", "workshops/", "accounts/", "admin/", "certificates/", "bench/")


@login_not_required
@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    for prefix in PRIVATE_PREFIXES:
        lines += [f"Disallow: /{prefix}", f"Disallow: /en/{prefix}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page names: send them to the icon (its name is read
    when asked, so that a manifest storage's hashed name is found once collectstatic has run)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
