"""Live figures are computed by one request at a time: the others serve the figures computed last,
or wait for the ones being computed (after a restart every worker would compute them at once)."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.versioning import data_version
from reports import live

from ..factories import make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _lock_key(project):
    return f"reports:live:{project.pk}:{data_version()}:computing"


def test_while_another_request_computes_the_figures_computed_last_are_served(project, field_staff):
    make_beneficiary(project, field_staff)
    before, _audit = live.live_figures(project)
    make_beneficiary(project, field_staff, first_name="Second", phone="+212661112299")  # a new version
    assert cache.add(_lock_key(project), 1)  # another request is computing this version
    with CaptureQueriesContext(connection) as queries:
        served, _audit = live.live_figures(project)
    assert served.data == before.data
    assert not queries.captured_queries  # nothing computed here
    cache.delete(_lock_key(project))
    after, _audit = live.live_figures(project)
    assert after.data != before.data


def test_with_nothing_computed_yet_a_request_waits_for_the_one_computing(project, field_staff, monkeypatch):
    make_beneficiary(project, field_staff)
    assert cache.add(_lock_key(project), 1)
    key = f"reports:live:{project.pk}:{data_version()}"
    expected = live._compute(project)

    def finish_computing():  # the other request stores its result and lets go of the lock
        cache.set(key, expected)
        cache.delete(_lock_key(project))

    timer = threading.Timer(0.3, finish_computing)
    timer.start()
    with CaptureQueriesContext(connection) as queries:
        figures, _audit = live.live_figures(project)
    timer.join()
    assert figures.data == expected[0]
    assert not queries.captured_queries


def test_a_lock_left_by_a_request_that_died_does_not_stop_the_figures(project, field_staff, monkeypatch):
    make_beneficiary(project, field_staff)
    monkeypatch.setattr(live, "WAIT_SECONDS", 0.2)
    assert cache.add(_lock_key(project), 1)  # never released
    figures, _audit = live.live_figures(project)
    assert figures.data["tables"]
    assert cache.get(_lock_key(project)) is None


def test_a_page_drawn_from_the_last_figures_is_not_kept_once_the_current_ones_exist(project, field_staff, me_officer):
    from django.test import Client

    def register(start, count):  # enough people for the figures to be shown, and then to move
        for n in range(start, start + count):
            make_beneficiary(project, field_staff, first_name=f"P{n}", phone=f"+2126611100{n:02d}")

    register(0, 6)
    client = Client()
    client.force_login(me_officer)
    url = f"/projects/{project.code}/dashboard/"

    def content():  # the page's own content, without the frame (its sign-out form's token changes)
        page = client.get(url).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    before = content()
    register(6, 6)  # a new version of the data
    assert cache.add(_lock_key(project), 1)  # another request is computing it
    assert content() == before  # the last figures, served meanwhile
    cache.delete(_lock_key(project))
    assert content() != before  # not the page drawn from them
