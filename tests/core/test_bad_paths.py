"""Bad input in a URL (a NUL byte, control characters) is a 400 or 404, never a server error: on
PostgreSQL a NUL byte reaching a query is an error of the database driver."""

import pytest

from ..factories import make_beneficiary

NUL = "%00"


@pytest.mark.parametrize(
    "path",
    [
        f"/projects/{NUL}/",
        f"/projects/{NUL}/iati.xml",
        f"/projects/FM.0390{NUL}/dashboard/",
        f"/en/projects/{NUL}/report/",
        f"/projects/?q={NUL}",
        f"/projects/FM.0390/?lang={NUL}",
    ],
)
def test_a_nul_byte_in_a_public_url_is_refused_cleanly(path, project, client):
    assert client.get(path).status_code in {400, 404}


@pytest.mark.parametrize(
    "path",
    [
        f"/beneficiaries/{NUL}/",
        f"/beneficiaries/FM0390-000001{NUL}/edit/",
        f"/beneficiaries/?q=a{NUL}b",
        f"/beneficiaries/?city={NUL}",
        f"/trainings/?q={NUL}",
        f"/workshops/?q={NUL}",
        f"/admin/beneficiaries/beneficiary/?q={NUL}",
        f"/admin/beneficiaries/accesslog/?reference={NUL}",
        f"/admin/beneficiaries/beneficiary/{NUL}/change/",
        f"/accounts/login/?next=/{NUL}",
    ],
)
def test_a_nul_byte_in_a_staff_url_is_refused_cleanly(path, project, me_officer, field_staff, client):
    make_beneficiary(project, field_staff)
    client.force_login(me_officer)
    assert client.get(path).status_code in {400, 404}
