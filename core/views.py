import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .security import log_event

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Liveness with a database round trip: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
