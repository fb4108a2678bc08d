"""The site's URLs, plus the trivial views the benchmarks measure their floors with."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/trivial/", login_not_required(trivial)),
    path("bench/signed-in/", trivial),  # behind LoginRequiredMiddleware: loads the session and the user
    *site_urlpatterns,
]
