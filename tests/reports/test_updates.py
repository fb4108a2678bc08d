"""Updates and their photos, tried as their staff, an M&E officer, the public and an attacker."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from lxml import etree
from PIL import Image

from beneficiaries.services import beneficiary_withdraw
from core.roles import Role
from reports.models import Update, UpdatePhoto

from ..core.conftest import jpeg_bytes
from ..factories import UserFactory, make_beneficiary
from .test_dashboard import SCHEMA

GPS_IFD = 0x8825


def _photo_with_gps(size=(2400, 1800)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: turn 90° to stand upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (34.0, 1.0, 15.6), 3: "W", 4: (6.0, 50.0, 30.0)})
    return jpeg_bytes(size=size, exif=exif)


def _upload(client, update, content: bytes, *, references="", shows_people=False, name="photo.jpg"):
    data = {"image": io.BytesIO(content), "caption": "Remise des certificats à Rabat", "references": references}
    data["image"].name = name
    if shows_people:
        data["shows_people"] = "on"
    return client.post(reverse("reports:photo-add", args=[update.project.code, update.pk]), data)


@pytest.fixture
def update(project, field_staff):
    return Update.objects.create(
        project=project,
        title="Remise des certificats",
        text="Vingt migrantes ont reçu leur certificat.",
        happened_on=date(2024, 6, 1),
        created_by=field_staff,
        edited_by=field_staff,
    )


def _approve(client_for, me_officer, update):
    """The M&E officer approves the update as they read it on its page (its version)."""
    update.refresh_from_db()
    url = reverse("reports:update-approve", args=[update.project.code, update.pk])
    response = client_for(me_officer).post(url, {"version": update.version})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.is_published


def _private_files() -> set[str]:
    storage = storages["private"]
    return set(storage.listdir("update-photos")[1]) if storage.exists("update-photos") else set()


def test_a_photo_keeps_no_gps_nor_camera_data_and_is_resized_upright(client_for, field_staff, me_officer, update):
    original = _photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the upload does carry GPS
    response = _upload(client_for(field_staff), update, original)
    assert response.status_code == 302
    photo = update.photos.get()
    _approve(client_for, me_officer, update)
    served = client_for(None).get(reverse("reports:update-photo", args=[update.project.code, update.pk, photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "no-cache" in served["Cache-Control"]
    content = b"".join(served.streaming_content)
    image = Image.open(io.BytesIO(content))
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in content and b"PhoneMaker" not in content
    assert "icc_profile" not in image.info
    assert (image.width, image.height) == (photo.width, photo.height) == (1200, 1600)  # turned upright, 1600 max


def test_a_photo_tagging_someone_without_photo_consent_is_refused_and_nothing_is_kept(
    client_for, project, field_staff, update
):
    person = make_beneficiary(project, field_staff, consent_photos=False)
    before = _private_files()
    response = _upload(client_for(field_staff), update, jpeg_bytes(), references=person.reference, shows_people=True)
    assert response.status_code == 400
    assert "n’a pas consenti" in response.content.decode() or "consenti aux photos" in response.content.decode()
    assert not UpdatePhoto.objects.exists() and _private_files() == before


@pytest.mark.parametrize(
    ("references", "shows_people", "message"),
    [
        ("", True, "Nommez chaque personne"),
        ("FM0390-999999", True, "FM0390-999999"),
    ],
)
def test_a_photo_of_people_names_each_of_them_in_the_project(
    client_for, field_staff, update, references, shows_people, message
):
    response = _upload(client_for(field_staff), update, jpeg_bytes(), references=references, shows_people=shows_people)
    assert response.status_code == 400 and message in response.content.decode()
    assert not UpdatePhoto.objects.exists()


def test_someone_of_another_project_cannot_be_tagged(client_for, other_project, outsider, field_staff, update):
    stranger = make_beneficiary(other_project, outsider, consent_photos=True)
    response = _upload(client_for(field_staff), update, jpeg_bytes(), references=stranger.reference, shows_people=True)
    assert response.status_code == 400 and not UpdatePhoto.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.4 not a photo", "photo.jpg"), (jpeg_bytes()[:200], "cut.jpg"), (b"GIF89a" + b"\x00" * 40, "a.gif")],
)
def test_a_file_that_is_not_a_readable_photo_is_refused_in_french(client_for, field_staff, update, content, name):
    response = _upload(client_for(field_staff), update, content, name=name)
    assert response.status_code == 400
    assert "Il y a un problème" in response.content.decode()
    assert not UpdatePhoto.objects.exists()


def test_withdrawing_consent_or_leaving_the_project_hides_the_photo(
    client_for, project, field_staff, me_officer, update
):
    consenting = make_beneficiary(project, field_staff, consent_photos=True, first_name="Awa")
    other = make_beneficiary(project, field_staff, consent_photos=True, first_name="Mariam")
    tags = f"{consenting.reference}, {other.reference}"
    assert _upload(client_for(field_staff), update, jpeg_bytes(), references=tags, shows_people=True).status_code == 302
    _approve(client_for, me_officer, update)
    photo = update.photos.get()
    photo_url = reverse("reports:update-photo", args=[project.code, update.pk, photo.pk])
    public = client_for(None)
    assert photo_url in public.get(update.get_absolute_url()).content.decode()
    assert photo_url in public.get(project.get_absolute_url()).content.decode()
    assert public.get(photo_url).status_code == 200

    type(consenting).objects.filter(pk=consenting.pk).update(consent_photos=False)  # consent withdrawn
    assert photo_url not in public.get(update.get_absolute_url()).content.decode()
    assert photo_url not in public.get(project.get_absolute_url()).content.decode()
    assert public.get(photo_url).status_code == 404
    staff_page = client_for(field_staff).get(reverse("reports:update-manage", args=[project.code, update.pk]))
    assert "ne consent plus" in staff_page.content.decode()

    type(consenting).objects.filter(pk=consenting.pk).update(consent_photos=True)
    assert client_for(None).get(photo_url).status_code == 200
    beneficiary_withdraw(beneficiary=other, by=me_officer)  # leaving the project hides it too
    assert client_for(None).get(photo_url).status_code == 404


def test_an_update_is_public_only_once_someone_else_approves_it_and_a_change_takes_it_back(
    client_for, project, field_staff, me_officer, update
):
    public_url = update.get_absolute_url()
    assert client_for(None).get(public_url).status_code == 404
    assert update.title not in client_for(None).get(project.get_absolute_url()).content.decode()
    _approve(client_for, me_officer, update)
    assert client_for(None).get(public_url).status_code == 200
    assert update.title in client_for(None).get(project.get_absolute_url()).content.decode()

    edit = reverse("reports:update-edit", args=[project.code, update.pk])
    response = client_for(field_staff).post(
        edit, {"title": "Remise des certificats (suite)", "happened_on": "2024-06-02", "text": "Texte revu."}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert not update.is_published and client_for(None).get(public_url).status_code == 404

    own = Update.objects.create(
        project=project,
        title="Du suivi",
        text="…",
        happened_on=date(2024, 7, 1),
        created_by=me_officer,
        edited_by=me_officer,
    )
    response = client_for(me_officer).post(
        reverse("reports:update-approve", args=[project.code, own.pk]), {"version": own.version}, follow=True
    )
    own.refresh_from_db()
    assert not own.is_published and "quelqu’un qui ne l’a ni rédigée" in response.content.decode()


def test_bad_dates_and_empty_fields_are_refused_with_a_message(client_for, project, field_staff):
    url = reverse("reports:update-create", args=[project.code])
    response = client_for(field_staff).post(url, {"title": "", "happened_on": "2024-13-45", "text": ""})
    assert response.status_code == 200 and "Il y a un problème" in response.content.decode()
    assert not Update.objects.exists()


def test_outsiders_and_donors_change_nothing_by_posting(
    client_for, project, other_project, donor, outsider, field_staff, update
):
    _upload(client_for(field_staff), update, jpeg_bytes())
    photo = update.photos.get()
    code = project.code
    # Field staff of another project may write updates but find nothing of this one (404); they may not
    # approve at all (403), nor may a donor do anything here.
    for user, expected, approving in ((outsider, 404, 403), (donor, 403, 403)):
        client = client_for(user)
        assert client.post(reverse("reports:update-approve", args=[code, update.pk])).status_code == approving
        assert client.post(reverse("reports:photo-delete", args=[code, update.pk, photo.pk])).status_code == expected
        assert _upload(client, update, jpeg_bytes()).status_code == expected
        edit = reverse("reports:update-edit", args=[code, update.pk])
        assert client.post(edit, {"title": "Piraté", "happened_on": "2024-01-01", "text": "x"}).status_code == expected
    other_officer = UserFactory(role=Role.ME_OFFICER, projects=[other_project])
    response = client_for(other_officer).post(reverse("reports:update-approve", args=[code, update.pk]))
    assert response.status_code == 404  # an M&E officer of another project
    update.refresh_from_db()
    assert not update.is_published and update.title == "Remise des certificats" and update.photos.count() == 1


def test_deleting_a_photo_deletes_its_file(client_for, field_staff, update):
    _upload(client_for(field_staff), update, jpeg_bytes())
    photo = update.photos.get()
    name = photo.image.name
    assert storages["private"].exists(name)
    response = client_for(field_staff).post(
        reverse("reports:photo-delete", args=[update.project.code, update.pk, photo.pk])
    )
    assert response.status_code == 302 and not UpdatePhoto.objects.exists() and not storages["private"].exists(name)


def test_approved_updates_are_documents_of_the_iati_file_which_still_validates(client_for, project, me_officer, update):
    _approve(client_for, me_officer, update)
    Update.objects.create(
        project=project,
        title="Brouillon",
        text="…",
        happened_on=date(2024, 7, 1),
        created_by=me_officer,
        edited_by=me_officer,
    )
    document = etree.fromstring(client_for(None).get(reverse("reports:iati", args=[project.code])).content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(document), schema.error_log
    links = document.findall("iati-activity/document-link")
    assert [link.findtext("title/narrative") for link in links] == ["Remise des certificats"]
    assert links[0].get("url") == "http://testserver" + update.get_absolute_url()
    assert links[0].find("document-date").get("iso-date") == "2024-06-01"


def test_an_m_e_officer_cannot_publish_alone_what_they_changed_or_added(
    client_for, project, field_staff, me_officer, update
):
    """The second pair of eyes is someone who neither wrote, changed, nor added a photo to the update."""
    edit = reverse("reports:update-edit", args=[project.code, update.pk])
    response = client_for(me_officer).post(
        edit, {"title": "Tout autre chose", "happened_on": "2024-06-01", "text": "Réécrit.", "version": 1}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    approve = reverse("reports:update-approve", args=[project.code, update.pk])
    client_for(me_officer).post(approve, {"version": update.version})
    update.refresh_from_db()
    assert not update.is_published
    other = Update.objects.create(
        project=project,
        title="Atelier",
        text="…",
        happened_on=date(2024, 7, 1),
        created_by=field_staff,
        edited_by=field_staff,
    )
    assert _upload(client_for(me_officer), other, jpeg_bytes()).status_code == 302
    other.refresh_from_db()
    url = reverse("reports:update-approve", args=[project.code, other.pk])
    client_for(me_officer).post(url, {"version": other.version})
    other.refresh_from_db()
    assert not other.is_published


def test_an_approval_covers_the_version_its_approver_read(client_for, project, field_staff, me_officer, update):
    read = update.version  # the officer opens the page...
    edit = reverse("reports:update-edit", args=[project.code, update.pk])
    client_for(field_staff).post(edit, {"title": "v2", "happened_on": "2024-06-01", "text": "v2", "version": read})
    approve = reverse("reports:update-approve", args=[project.code, update.pk])
    response = client_for(me_officer).post(approve, {"version": read}, follow=True)  # ...and approves it
    update.refresh_from_db()
    assert not update.is_published and "a changé cette actualité" in response.content.decode()
    assert client_for(me_officer).post(approve, {}).status_code == 302  # no version read: nothing approved
    update.refresh_from_db()
    assert not update.is_published


def test_two_edits_from_one_version_never_lose_the_first(client_for, project, field_staff, me_officer, update):
    edit = reverse("reports:update-edit", args=[project.code, update.pk])
    first = {"title": "Premier", "happened_on": "2024-06-01", "text": "Premier.", "version": update.version}
    second = {**first, "title": "Second", "text": "Second."}
    assert client_for(field_staff).post(edit, first).status_code == 302
    response = client_for(me_officer).post(edit, second)
    assert response.status_code == 200 and "a changé cette actualité" in response.content.decode()
    update.refresh_from_db()
    assert update.title == "Premier"


def test_a_photo_added_to_an_approved_update_takes_it_back_even_from_a_stale_copy(
    project, field_staff, me_officer, update
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.services import photo_add, update_approve

    stale = Update.objects.get(pk=update.pk)  # read before the approval
    update_approve(update=update, by=me_officer, version=update.version)
    photo_add(
        update=stale,
        file=SimpleUploadedFile("p.jpg", jpeg_bytes()),
        caption="Une salle",
        shows_people=False,
        references=[],
        by=field_staff,
    )
    update.refresh_from_db()
    assert not update.is_published and update.photos.count() == 1


def test_a_photo_with_broken_exif_is_taken_without_it(client_for, field_staff, update):
    broken = (Path(__file__).parent / "data" / "broken-exif.webp").read_bytes()  # a Make tag typed RATIONAL
    response = _upload(client_for(field_staff), update, broken, name="broken.webp")
    assert response.status_code == 302
    assert update.photos.count() == 1
