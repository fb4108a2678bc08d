"""Registrations fetched from a KoboToolbox server's API (a stand-in started here, never the
internet): the project's token sent, pages followed, the import's preview and commit, once."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from beneficiaries.models import Beneficiary

from ..beneficiaries.test_imports import _commit, _letters

TOKEN = "kobo-secret-token"
FORM = "aBcDeFgHiJkLmNoP"


def _submissions(count: int) -> list[dict]:
    return [
        {
            "_id": 1000 + number,
            "last_name": _letters(number),
            "first_name": "Awa",
            "sex": "F",
            "date_of_birth": f"1990-01-{number % 28 + 1:02d}",
            "nationality": "SN",
            "city": "rabat",
            "consent_processing": "yes",
            "consent_sharing": "no",
            "_uuid": f"uuid-{number:04d}",
            "_submission_time": "2026-11-30T09:05:12",
            "_attachments": [],
            "_geolocation": [None, None],
        }
        for number in range(count)
    ]


@pytest.fixture
def kobo_server():
    """A stand-in KoboToolbox: /api/v2/assets/<form>/data/ in pages of 2, for the right token only."""
    state = {"submissions": _submissions(5), "next_host": None, "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"].append((self.path, self.headers.get("Authorization")))
            if self.headers.get("Authorization") != f"Token {TOKEN}":
                self.send_response(401)
                self.end_headers()
                return
            if not self.path.startswith(f"/api/v2/assets/{FORM}/data/"):
                self.send_response(404)
                self.end_headers()
                return
            start = int(self.path.rsplit("start=", 1)[1]) if "start=" in self.path else 0
            page = state["submissions"][start : start + 2]
            host = state["next_host"] or f"127.0.0.1:{self.server.server_port}"
            more = start + 2 < len(state["submissions"])
            following = f"http://{host}/api/v2/assets/{FORM}/data/?format=json&start={start + 2}" if more else None
            body = json.dumps({"count": len(state["submissions"]), "next": following, "results": page}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()


def _configure(project, server, token=TOKEN):
    project.kobo_server, project.kobo_form, project.kobo_token = server["url"], FORM, token
    project.save()


def test_submissions_are_fetched_page_by_page_previewed_committed_and_fetched_again_adding_nothing(
    client_for, me_officer, project, cities, kobo_server
):
    _configure(project, kobo_server)
    client = client_for(me_officer)
    assert "Récupérer les soumissions" in client.get(reverse("beneficiaries:beneficiary-import")).content.decode()
    response = client.post(reverse("beneficiaries:import-kobo", args=[project.code]), follow=True)
    assert response.context["result"].to_import == 5
    assert (
        all(auth == f"Token {TOKEN}" for _path, auth in kobo_server["requests"]) and len(kobo_server["requests"]) == 3
    )
    _commit(client, response)
    assert set(Beneficiary.objects.values_list("source_id", flat=True)) == {f"uuid-{n:04d}" for n in range(5)}
    again = client.post(reverse("beneficiaries:import-kobo", args=[project.code]), follow=True).context["result"]
    assert again.to_import == 0 and again.already_registered == 5


def test_a_refused_token_an_unknown_form_or_a_page_elsewhere_is_said_and_imports_nothing(
    client_for, me_officer, project, cities, kobo_server
):
    client = client_for(me_officer)
    url = reverse("beneficiaries:import-kobo", args=[project.code])
    _configure(project, kobo_server, token="wrong")
    assert "refusé le jeton" in client.post(url, follow=True).content.decode()
    _configure(project, kobo_server)
    project.kobo_form = "unknown"
    project.save()
    assert "ne connaît pas le formulaire" in client.post(url, follow=True).content.decode()
    _configure(project, kobo_server)
    kobo_server["next_host"] = "evil.example:80"  # the token must not follow a page to another host
    assert "un autre serveur" in client.post(url, follow=True).content.decode()
    assert not any("evil" in path for path, _auth in kobo_server["requests"])
    assert not Beneficiary.objects.exists()


def test_only_a_project_with_a_kobotoolbox_form_and_its_importers_may_fetch(
    client_for, me_officer, field_staff, project, other_project, kobo_server
):
    url = reverse("beneficiaries:import-kobo", args=[project.code])
    assert client_for(me_officer).post(url).status_code == 404  # nothing configured
    _configure(project, kobo_server)
    assert client_for(field_staff).post(url).status_code == 403  # imports are the M&E officer's
    _configure(other_project, kobo_server)
    other = reverse("beneficiaries:import-kobo", args=[other_project.code])
    assert client_for(me_officer).post(other).status_code == 404  # not their project
    assert client_for(me_officer).get(url).status_code == 405
    assert not kobo_server["requests"]


def test_the_admin_never_shows_the_token_back_and_keeps_it_when_left_empty(client, admin_user, project, kobo_server):
    from projects.admin import ProjectAdminForm

    _configure(project, kobo_server)
    client.force_login(admin_user)
    page = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    assert kobo_server["url"] in page and TOKEN not in page
    form = ProjectAdminForm(instance=project)
    form.cleaned_data = {"kobo_token": ""}
    assert form.clean_kobo_token() == TOKEN
    form.cleaned_data = {"kobo_token": "a-new-one"}
    assert form.clean_kobo_token() == "a-new-one"
