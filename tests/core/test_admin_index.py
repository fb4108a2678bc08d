"""The admin's index names every section in the reader's language, each once."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_index_names_every_section_and_model_once_in_french(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', page)
    models = re.findall(r'<th scope="row" id="[^"]+"><a href="[^"]+">([^<]+)</a>', page)
    assert "Tentatives de connexion" in sections, " | ".join(sections)
    assert not [name for name in sections if name.isupper() or "_" in name], sections
    assert len(models) == len(set(models)), sorted(name for name in models if models.count(name) > 1)


def test_the_admin_wears_the_portal_name_and_colours_in_the_reader_language(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert "Masar · Administration" in page and "Registres et corrections" in page
    assert "Administration de Django" not in page and "Site d’administration" not in page
    assert "/static/css/admin.css" in page
    english = client.get("/en/admin/").content.decode()
    assert "Records and corrections" in english
