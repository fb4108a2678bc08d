"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

They are skipped, with the reason, when /usr/bin/chromium is absent; `.ci/run` installs it.
"""

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from trainings.models import Session

from ..factories import TEST_PASSWORD, LocationFactory, OrganizationFactory, TrainingFactory

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told the test knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="Chromium is not installed (apt-get install -y chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def sign_in(live_server, page):
    """``sign_in(user)``: the browser signs in through the sign-in page, as a person would."""

    def sign_in_as(user, password=TEST_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Nom d’utilisateur").fill(user.username)
        page.get_by_label("Mot de passe").fill(password)
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        return page

    return sign_in_as


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def check_accessibility():
    """``check_accessibility(page)``: axe-core on the page as it is; fails on a serious or critical
    violation, naming the rule and the elements. Skips when axe-core is not installed (npm ci)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    source = AXE.read_text()
    checked = []

    def check(page):
        # Our CSP forbids injected scripts; evaluate() runs in the page without a script element.
        page.evaluate(source)
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{page.url}: " + " | ".join(serious)
        checked.append(page.url)

    check.checked = checked
    return check


@pytest.fixture
def trainings(project):
    """One training running now, and one that ended yesterday, both in Rabat."""
    today = timezone.localdate()
    LocationFactory(name="Rabat")
    provider = OrganizationFactory(name="Office de la formation professionnelle", acronym="OFPPT")
    running = TrainingFactory(
        project=project,
        title="Plomberie",
        provider=provider,
        start_date=today - timedelta(days=2),
        end_date=today + timedelta(days=20),
        capacity=10,
    )
    ended = TrainingFactory(
        project=project,
        title="Couture",
        provider=provider,
        start_date=today - timedelta(days=10),
        end_date=today - timedelta(days=1),
        capacity=10,
        pass_threshold=50,
    )
    for offset in (10, 8):
        Session.objects.create(training=ended, date=today - timedelta(days=offset), start_time=time(9), topic="Atelier")
    return running, ended


@pytest.fixture
def staff_pages(project, field_staff, trainings) -> list[str]:
    """Every kind of staff page, with a person whose names are long and in two scripts."""
    from ..factories import make_beneficiary, training_objects, workshop_objects

    person = make_beneficiary(
        project, field_staff, first_name="عائشة", last_name="Ouedraogo-Kaboré-Zongo", consent_photos=True
    )
    finished = training_objects(project, person, field_staff)
    update = _update_with_a_photo(project, field_staff, person)
    workshop = workshop_objects(project)["workshop"]
    running, _ended = trainings
    return [
        "/",
        f"/projects/{project.code}/",
        "/beneficiaries/",
        "/beneficiaries/new/",
        person.get_absolute_url(),
        f"{person.get_absolute_url()}history/",
        "/beneficiaries/import/",
        "/trainings/",
        f"/trainings/{running.pk}/",
        f"/trainings/{running.pk}/enroll/?q=a",
        f"/trainings/{finished['training'].pk}/",
        finished["session"].get_absolute_url(),
        f"/trainings/{finished['training'].pk}/enrollments/{finished['enrollment'].pk}/certificate/",
        "/workshops/",
        workshop.get_absolute_url(),
        f"/workshops/{workshop.pk}/participants/?q=a",
        f"/workshops/{workshop.pk}/attendance/",
        f"/workshops/{workshop.pk}/assessment/",
        f"/workshops/{workshop.pk}/sign-in-sheet/",
        f"/projects/{project.code}/dashboard/",
        f"/projects/{project.code}/report/",
        f"/projects/{project.code}/updates/",
        f"/projects/{project.code}/updates/new/",
        f"/projects/{project.code}/updates/{update.pk}/manage/",
        f"/projects/{project.code}/updates/{update.pk}/edit/",
    ]


def _update_with_a_photo(project, field_staff, person):
    """An update written by field staff, with a photo of ``person`` (who consents to photos)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import Update
    from reports.services import photo_add, update_save

    from ..core.conftest import jpeg_bytes

    update = update_save(
        update=Update(project=project, title="Remise des certificats à Rabat", text="Texte.", happened_on="2024-06-14"),
        by=field_staff,
    )
    photo_add(
        update=update,
        file=SimpleUploadedFile("photo.jpg", jpeg_bytes(size=(120, 90))),
        caption="La remise des certificats",
        shows_people=True,
        references=[person.reference],
        by=field_staff,
    )
    return update
