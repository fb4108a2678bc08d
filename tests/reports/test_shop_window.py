"""The public sheet as a donor or a member of the public reads it: sectors and SDG targets named in
both languages from IATI's codelists, partners, the map, and the open data offered as downloads."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from lxml import etree

from projects import codelists
from projects.models import Location, Partnership, Project, Sector
from reports.maps import LABEL_SIZE, WIDTH, Place, project_map

from ..datasets import build_dataset
from .test_dashboard import SCHEMA, publish

IATI = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def fm0390(db, django_user_model):
    call_command("load_project", "FM.0390", stdout=io.StringIO())
    project = Project.objects.get(code="FM.0390")
    build_dataset(project, django_user_model.objects.create(username="seeder"), 80, attendance=False)
    publish(project)
    return project


def _names(xml_file: str, code: str) -> dict[str, str]:
    """A code's names straight from IATI's file, read here without the portal's code."""
    root = etree.parse(str(codelists.FOLDER / xml_file))
    item = root.xpath(f"//codelist-item[code='{code}']")[0]
    return {n.get(IATI, "en"): " ".join(n.text.split()) for n in item.find("name").iter("narrative")}


def test_the_sheet_names_every_sector_and_sdg_target_in_french_and_in_english(fm0390, client):
    from django.utils.html import escape

    pages = {
        "fr": client.get("/projects/FM.0390/").content.decode(),
        "en": client.get("/en/projects/FM.0390/").content.decode(),
    }
    for sector in fm0390.sectors.all():
        for language, page in pages.items():
            assert escape(_names("Sector.xml", sector.code)[language]) in page, (sector.code, language)
            assert escape(_names("SectorCategory.xml", sector.code[:3])[language]) in page, (sector.code, language)
    for tag in fm0390.sdg_list:
        source = "UNSDG-Targets.xml" if "." in tag else "UNSDG-Goals.xml"
        for language, page in pages.items():
            assert escape(_names(source, tag)[language]) in page, (tag, language)
    assert "(11330, 40 %)" not in pages["fr"]  # codes alone, as before, are not names


def test_a_sector_is_any_active_dac_code_and_an_sdg_tag_must_exist(fm0390):
    Sector(project=fm0390, code="32130", percentage=Decimal("5")).full_clean()  # SME development
    with pytest.raises(ValidationError):
        Sector(project=fm0390, code="99999", percentage=Decimal("5")).full_clean()
    fm0390.sdg_targets = "8, 8.5, 8.99"
    with pytest.raises(ValidationError) as error:
        fm0390.full_clean()
    assert "8.99" in str(error.value)
    with translation.override("en"):
        assert codelists.sector("11330").name == "Vocational training"
    with translation.override("fr"):
        assert codelists.sector("11330").name == "Formation professionnelle"


def test_the_sheet_shows_the_dates_the_partners_and_their_roles(fm0390, client):
    page = client.get("/projects/FM.0390/").content.decode()
    assert "Date de début" in page and "non indiquée" in page  # FM.0390's sheet gives its end year only
    assert "ANAPEC" in page and "Mise en œuvre" in page and "Responsable" in page
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            project=fm0390, organization=fm0390.partnerships.first().organization, role=fm0390.partnerships.first().role
        )


def test_the_map_sizes_each_city_by_the_release_and_never_cuts_a_label(fm0390, client):
    page = client.get("/projects/FM.0390/").content.decode()
    svg = re.search(r'<svg class="map-chart".*?</svg>', page, re.S).group(0)
    table = fm0390.releases.get().figures["tables"]["registered_by_city"]
    shown = {code: row[-1] for code, row in zip(table["row_codes"], table["grid"], strict=False)}
    located = list(fm0390.locations.exclude(latitude=None))
    assert len(re.findall(r"<circle ", svg)) == len(located) == 5
    for place in located:  # each label says what the release says, never more
        value = shown.get(place.name, 0)
        assert f"{place.name} · {value}" in svg
    assert not re.search(r'c[xy]="\d+,\d', svg), "coordinates written with a French decimal comma"
    for x, label in re.findall(r'<text class="map-label" x="([\d.]+)"[^>]*>([^<]+)</text>', svg):
        half = len(label) * LABEL_SIZE * 0.3
        assert half <= float(x) <= WIDTH - half, label


def test_a_hidden_count_gets_the_smallest_point_and_its_marker():
    places = [Place("Rabat", 34.02, -6.84, 120), Place("Oujda", 34.68, -1.91, "< 5"), Place("Fès", 34.03, -5.0, 30)]
    drawn = project_map(country_codes=["504"], places=places)
    radius = {point.name: point.radius for point in drawn.points}
    assert radius["Oujda"] < radius["Fès"] < radius["Rabat"]
    assert [p.text for p in drawn.points if p.name == "Oujda"] == ["< 5"]
    assert drawn.served and drawn.around  # Morocco filled, its neighbours drawn
    assert project_map(country_codes=[], places=[]) is None


def test_the_open_data_section_offers_the_iati_file_and_the_release_as_downloads(fm0390, client):
    page = client.get("/projects/FM.0390/").content.decode()
    assert reverse("reports:iati", args=["FM.0390"]) in page and "Données ouvertes" in page
    iati = client.get(reverse("reports:iati", args=["FM.0390"]))
    assert iati["Content-Disposition"].startswith("attachment;")
    response = client.get(reverse("reports:release-figures", args=["FM.0390", "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    release = fm0390.releases.get()
    total = release.figures["tables"]["registered_by_age"]["grid"][-1][-1]
    assert [str(total)] == [
        r[3] for r in rows if r[0] == "Migrants enregistrés, par tranche d’âge et sexe" and r[1:3] == ["Total", "Total"]
    ]
    assert client.get(reverse("reports:release-figures", args=["FM.0390", "pdf"])).status_code == 404


def test_no_release_means_no_figures_to_download(db, client):
    call_command("load_project", "FM.0390", stdout=io.StringIO())
    assert client.get(reverse("reports:release-figures", args=["FM.0390", "csv"])).status_code == 404


def test_the_iati_file_names_the_partners_and_places_and_still_validates(fm0390, client):
    document = etree.fromstring(client.get(reverse("reports:iati", args=["FM.0390"])).content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(document), schema.error_log
    activity = document.find("iati-activity")
    implementing = [o.findtext("narrative") for o in activity.iter("participating-org") if o.get("role") == "4"]
    assert any("ANAPEC" in name or "emploi" in name for name in implementing)
    positions = {loc.findtext("name/narrative"): loc.findtext("point/pos") for loc in activity.iter("location")}
    rabat = Location.objects.get(name="Rabat", kind="city")
    assert positions["Rabat"] == f"{rabat.latitude} {rabat.longitude}"


def test_a_private_projects_published_figures_are_for_its_members_only(client, client_for, other_project, outsider):
    publish(other_project)
    url = reverse("reports:release-figures", args=[other_project.code, "csv"])
    assert client.get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 200


def test_a_partners_logo_is_re_encoded_when_uploaded_and_shown_on_the_sheets_of_its_projects(
    client_for, admin_user, project, other_project
):
    from PIL import Image

    from projects.models import Organization

    from ..core.conftest import jpeg_bytes

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (34.0, 1.0, 15.6)})
    upload = io.BytesIO(jpeg_bytes(size=(1200, 600), exif=exif))
    upload.name = "logo.jpg"
    admin = client_for(admin_user)
    response = admin.post(
        reverse("admin:projects_organization_add"),
        {"name": "Association Amal", "acronym": "AMAL", "kind": "22", "logo": upload},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Organization.objects.get(name="Association Amal")
    Partnership.objects.create(project=project, organization=partner, role=Partnership.Role.IMPLEMENTING)
    url = reverse("reports:partner-logo", args=[project.code, partner.pk])
    assert url in client_for(None).get(project.get_absolute_url()).content.decode()
    served = client_for(None).get(url)
    content = b"".join(served.streaming_content)
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG" and max(image.size) == 400 and not image.getexif()
    assert b"PhoneMaker" not in content
    # Not a partner of the other project: nothing there.
    assert (
        client_for(admin_user).get(reverse("reports:partner-logo", args=[other_project.code, partner.pk])).status_code
        == 404
    )


def test_a_logo_serves_an_organization_with_several_roles_and_stays_private_for_a_private_project(
    client_for, project, other_project, outsider
):
    from django.core.files.base import ContentFile

    from ..core.conftest import jpeg_bytes
    from ..factories import OrganizationFactory

    partner = OrganizationFactory(name="Association à deux rôles")
    partner.logo.save("logo.png", ContentFile(jpeg_bytes()))
    for role in (Partnership.Role.EXTENDING, Partnership.Role.IMPLEMENTING):
        Partnership.objects.create(project=project, organization=partner, role=role)
    response = client_for(None).get(reverse("reports:partner-logo", args=[project.code, partner.pk]))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    Partnership.objects.create(project=other_project, organization=partner)
    response = client_for(outsider).get(reverse("reports:partner-logo", args=[other_project.code, partner.pk]))
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
