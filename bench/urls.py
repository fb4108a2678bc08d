"""The site's URLs, plus the floors the benchmarks measure pages against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

# An empty page in the site's layout: what every signed-in page costs before its own content
# (the session, the user, the navigation the user's roles allow, the language switch, the footer).
EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


def trivial(request):
    return HttpResponse("ok")


def layout(request):
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/trivial/", login_not_required(trivial)),
    path("bench/signed-in/", trivial),  # behind LoginRequiredMiddleware: loads the session and the user
    path("bench/layout/", layout),
    *site_urlpatterns,
]
