"""What an import leaves on the server, and what a hostile workbook can cost.

An uploaded file is kept in the private storage (readable by the server's user only) only while its
preview can be committed; a refusal, a cancel or the commit removes it, and a command purges what
is left, with the previews that name people.
A workbook is measured before openpyxl reads it, and counted while it streams, so its cost is
bounded by IMPORT_MAX_ROWS and MAX_COLUMNS, whatever its XML says.

Messages are checked in English (the /en pages, translation.override): these tests were written
before the French catalogue had them.
"""

import io
import os
import random
import stat
import tracemalloc
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.xml.constants import SHARED_STRINGS

from beneficiaries import imports
from beneficiaries.models import Beneficiary, ImportJob

from ..factories import LocationFactory
from ..pages import text
from .test_imports import FILES

URL = "/en" + reverse("beneficiaries:beneficiary-import")
GOOD_CSV = (
    "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Consentement au traitement\n"
    "Traoré;Awa;F;31/12/1990;ML;Rabat;oui\n"
).encode()


@pytest.fixture
def private_dir(tmp_path, settings):
    """The private storage in a folder of this test's own."""
    directory = tmp_path / "private"
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(directory)}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    yield directory


def kept_files(directory):
    folder = directory / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, project, name: str, content: bytes):
    return client.post(URL, {"project": project.pk, "file": SimpleUploadedFile(name, content)}, follow=True)


# --- Files kept between the preview and the commit ----------------------------------------------


@pytest.mark.django_db
def test_a_refused_preview_leaves_no_file_on_the_server(client_for, me_officer, project, private_dir):
    LocationFactory(name="Rabat")
    response = upload(client_for(me_officer), project, "bad_sex.csv", (FILES / "bad_sex.csv").read_bytes())
    assert "Write F or M" in text(response)
    assert kept_files(private_dir) == []
    assert not response.context["job"].file


@pytest.mark.django_db
def test_a_good_preview_keeps_the_file_readable_by_the_server_only(client_for, me_officer, project, private_dir):
    LocationFactory(name="Rabat")
    response = upload(client_for(me_officer), project, "liste.csv", GOOD_CSV)
    assert "1 person to import" in text(response)
    [kept] = kept_files(private_dir)
    assert response.context["job"].file.name == f"imports/{kept.name}"
    assert "liste" not in kept.name  # the storage never holds a name a person chose
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(kept.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(private_dir).st_mode) == 0o700


@pytest.mark.django_db
def test_an_existing_folder_is_made_private(client_for, me_officer, project, private_dir):
    LocationFactory(name="Rabat")
    private_dir.mkdir(mode=0o755)
    private_dir.chmod(0o755)
    upload(client_for(me_officer), project, "liste.csv", GOOD_CSV)
    assert stat.S_IMODE(os.stat(private_dir).st_mode) == 0o700


@pytest.mark.django_db
def test_cancel_deletes_the_file_and_a_later_commit_says_the_import_expired(
    client_for, me_officer, project, private_dir
):
    LocationFactory(name="Rabat")
    client = client_for(me_officer)
    preview = upload(client, project, "liste.csv", GOOD_CSV)
    page = preview.context["job"].get_absolute_url()
    assert 'name="cancel"' in text(preview)
    cancelled = client.post(page, {"cancel": "1"}, follow=True)
    assert "The import was cancelled and the file deleted from the server." in text(cancelled)
    assert kept_files(private_dir) == []
    late = client.post(page, {}, follow=True)
    assert "This import has expired or was already done: upload the file again." in text(late)
    assert not Beneficiary.objects.exists()


@pytest.mark.django_db
def test_someone_elses_import_is_a_404_and_cancels_nothing(client_for, me_officer, field_staff, project, private_dir):
    LocationFactory(name="Rabat")
    page = upload(client_for(me_officer), project, "liste.csv", GOOD_CSV).context["job"].get_absolute_url()
    other = client_for(field_staff)  # a colleague on the same project
    assert other.get(page).status_code == 404
    assert other.get(page + "status/").status_code == 404
    assert other.post(page, {"cancel": "1"}).status_code == 404
    assert other.post(page, {}).status_code == 404
    assert len(kept_files(private_dir)) == 1 and not Beneficiary.objects.exists()


@pytest.mark.django_db
def test_the_commit_deletes_the_file(client_for, me_officer, project, private_dir):
    LocationFactory(name="Rabat")
    client = client_for(me_officer)
    preview = upload(client, project, "liste.csv", GOOD_CSV)
    client.post(preview.context["job"].get_absolute_url(), {})
    assert Beneficiary.objects.count() == 1
    assert kept_files(private_dir) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "options, left, removed",
    [([], ["fresh", "two_hours"], 1), (["--older-than-hours=1"], ["fresh"], 2), (["--older-than-hours=0"], [], 3)],
)
def test_the_purge_command_removes_old_files_and_previews_and_leaves_fresh_ones(
    client_for, me_officer, project, private_dir, options, left, removed
):
    LocationFactory(name="Rabat")
    client = client_for(me_officer)
    ages = {"old": 25, "two_hours": 2, "fresh": 0}
    jobs = {name: upload(client, project, f"{name}.csv", GOOD_CSV).context["job"] for name in ages}
    for name, job in jobs.items():  # aged once all are uploaded: each upload purges what is a day old
        ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=ages[name]))
    output = io.StringIO()
    call_command("purge_pending_imports", *options, stdout=output)
    assert f"Removed {removed} " in output.getvalue()
    kept = ImportJob.objects.exclude(file="")
    assert sorted(job.filename.removesuffix(".csv") for job in kept) == sorted(left)
    assert len(kept_files(private_dir)) == len(left)
    assert ImportJob.objects.filter(preview__isnull=False).count() == len(left)  # the purged previews name people
    assert client.get(f"/en/beneficiaries/import/{ImportJob.objects.get(filename='old.csv').pk}/").status_code == 200


@pytest.mark.django_db
def test_the_purge_command_without_any_job_removes_nothing(private_dir):
    output = io.StringIO()
    call_command("purge_pending_imports", stdout=output)
    assert "Removed 0 " in output.getvalue()
    assert not private_dir.exists()


# --- Hostile workbooks --------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _skeleton() -> zipfile.ZipFile:
    """A real workbook with a text cell, so it has a sharedStrings.xml."""
    workbook = Workbook()
    workbook.active.append(["Nom"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return zipfile.ZipFile(buffer)


def _workbook(sheet: bytes | None = None, strings: bytes | None = None, strings_at="xl/sharedStrings.xml") -> bytes:
    """The skeleton with its sheet's XML replaced, or shared strings added where the manifest says."""
    skeleton, buffer = _skeleton(), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in skeleton.infolist():
            data = skeleton.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet is not None:
                data = sheet
            if item.filename == "[Content_Types].xml" and strings is not None:
                override = f'<Override PartName="/{strings_at}" ContentType="{SHARED_STRINGS}"/></Types>'
                data = data.replace(b"</Types>", override.encode())
            archive.writestr(item.filename, data)
        if strings is not None:
            archive.writestr(strings_at, strings)
    return buffer.getvalue()


def _sheet(rows: bytes, before: bytes = b"") -> bytes:
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'.encode()
    return head + before + b"<sheetData>" + rows + b"</sheetData></worksheet>"


def _styled_cells(count: int) -> bytes:
    """Empty cells, one in ten styled: about 60:1 compressed, under the ratio check as real bombs are."""
    chooser = random.Random(1)
    return b"".join(chooser.choices([b'<c s="1"/>', b'<c s="0"/>'], weights=[1, 9], k=count))


def _refusal(content: bytes) -> str:
    with translation.override("en"), pytest.raises(imports.ImportFileError) as refused:
        imports.read_table("bomb.xlsx", content)
    message = str(refused.value)
    assert "no rows" not in message
    return message


def _ratio(content: bytes, name: str) -> float:
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    return info.file_size / info.compress_size


@override_settings(IMPORT_MAX_ROWS=100)
def test_a_sheet_larger_than_the_limits_allow_is_refused_before_it_is_read():
    rows = b"".join(b'<row r="%d">' % number + _styled_cells(1500) + b"</row>" for number in range(1, 150))
    content = _workbook(sheet=_sheet(rows))
    assert _ratio(content, "xl/worksheets/sheet1.xml") < imports.MAX_EXPANSION_RATIO  # not the old check
    assert _refusal(content).startswith("This workbook's sheet is larger than 100 rows of 50 columns could be")


@pytest.mark.parametrize("strings_at", ["xl/sharedStrings.xml", "xl/elsewhere.xml"])
@override_settings(IMPORT_MAX_ROWS=100)
def test_shared_strings_larger_than_the_limits_allow_are_refused_before_they_are_read(strings_at):
    items = b"".join(b"<si><t>%d</t></si>" % number for number in range(20_000))
    strings = f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode() + items + b"</sst>"
    message = _refusal(_workbook(strings=strings, strings_at=strings_at))
    assert message.startswith("This workbook holds more text than 100 rows of 50 columns could")


def test_shared_strings_within_the_limits_are_read():
    strings = f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>Nom</t></si><si><t>Diop</t></si></sst>'.encode()
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    assert imports.read_table("a.xlsx", _workbook(sheet=_sheet(rows), strings=strings)) == [["Nom"], ["Diop"]]


@override_settings(IMPORT_MAX_ROWS=100)
def test_thousands_of_empty_styled_rows_are_counted_and_the_message_says_so():
    workbook = Workbook()
    workbook.active.append(["Nom", "Prénom"])
    for number in range(2, 5_002):
        workbook.active.cell(row=number, column=1).font = Font(bold=True)  # styled, empty
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = _refusal(buffer.getvalue())
    assert message.startswith("The sheet has more than 100 rows under its header, counting empty ones")
    assert "delete the empty rows" in message


@override_settings(IMPORT_MAX_ROWS=100)
def test_rows_skipped_in_the_xml_count_as_the_empty_rows_they_are():
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row><row r="5000"><c r="A5000"/></row>'
    message = _refusal(_workbook(sheet=_sheet(rows)))
    assert message.startswith("The sheet has more than 100 rows under its header, counting empty ones")


@override_settings(IMPORT_MAX_ROWS=100)
def test_very_many_cells_are_refused_with_a_message_about_cells():
    rows = b"".join(b'<row r="%d">' % number + _styled_cells(200) + b"</row>" for number in range(1, 61))
    message = _refusal(_workbook(sheet=_sheet(rows)))
    assert message.startswith("The sheet has more than 5 050 cells, counting empty ones")


@override_settings(IMPORT_MAX_ROWS=100)
def test_cells_implied_by_the_sheets_dimension_are_counted():
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
    content = _workbook(sheet=_sheet(rows, before=b'<dimension ref="A1:XFD3"/>'))
    assert _refusal(content).startswith("The sheet has more than 5 050 cells, counting empty ones")


def test_one_row_of_many_cells_is_refused_without_being_built_in_memory():
    # openpyxl builds a row whole before it yields it: 300,000 cells would cost about 160 MB.
    content = _workbook(sheet=_sheet(b'<row r="1">' + _styled_cells(300_000) + b"</row>"))
    tracemalloc.start()
    try:
        message = _refusal(content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == "This Excel workbook could not be read safely; save it again and retry."
    assert peak < 50_000_000


def test_the_other_sheets_are_not_read_at_all():
    workbook = Workbook()
    workbook.active.append(["Nom"])
    workbook.active.append(["Diop"])
    workbook.create_sheet("Old list").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    skeleton, hostile = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        for item in skeleton.infolist():
            broken = b"<worksheet><sheetData><row>" if item.filename == "xl/worksheets/sheet2.xml" else None
            archive.writestr(item.filename, broken or skeleton.read(item.filename))
    assert imports.read_table("liste.xlsx", hostile.getvalue()) == [["Nom"], ["Diop"]]


def test_a_doctype_in_the_sheet_is_refused():
    content = (FILES / "xml_bomb.xlsx").read_bytes()
    assert _refusal(content) == "This Excel workbook could not be read safely; save it again and retry."


@override_settings(IMPORT_MAX_ROWS=100)
def test_a_workbook_at_the_limits_is_read():
    workbook = Workbook()
    header = ["Nom", "Prénom", "Sexe", "Date de naissance", "Nationalité", "Ville", "Consentement au traitement"]
    workbook.active.append(header + [f"Note {number}" for number in range(43)])  # 50 columns
    for number in range(100):
        workbook.active.append(["Diop", f"Awa {number}", "F", "14/03/1992", "SN", "Rabat", "oui"] + ["x"] * 43)
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = imports.read_table("liste.xlsx", buffer.getvalue())
    assert len(rows) == 101 and len(rows[0]) == 50 and rows[100][1] == "Awa 99"
