"""Password reset by e-mail (Django's flow): it works, and nobody learns whether an account exists."""

import re

from django.core import mail

from ..factories import TEST_PASSWORD, UserFactory
from ..pages import text

RESET = "/accounts/password-reset/"


def test_a_forgotten_password_is_reset_through_a_link_sent_by_e_mail(client, db):
    UserFactory(username="salma", email="salma@iom.int")
    assert "Mot de passe oublié" in text(client.get("/accounts/login/"))  # with a no-break space before "?"
    response = client.post(RESET, {"email": "salma@iom.int"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["salma@iom.int"] and "Masar" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Enregistrer le nouveau mot de passe" in text(form)
    new_password = "a quiet river at dawn 2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"

    assert client.post("/accounts/login/", {"username": "salma", "password": TEST_PASSWORD}).status_code == 200
    assert client.post("/accounts/login/", {"username": "salma", "password": new_password}).status_code == 302
    # The link worked once.
    client.post("/accounts/logout/")
    assert "Ce lien ne fonctionne pas" in text(client.get(link, follow=True))


def test_asking_for_an_unknown_address_reads_exactly_as_for_a_known_one(client, db):
    UserFactory(username="salma", email="salma@iom.int")
    known = client.post(RESET, {"email": "salma@iom.int"})
    unknown = client.post(RESET, {"email": "nobody@iom.int"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"])
    assert "Si cette adresse correspond à un compte" in text(page)


def test_a_broken_reset_link_says_so_and_offers_a_new_one(client, db):
    page = client.get("/accounts/password-reset/MQ/not-a-token/")
    assert page.status_code == 200
    assert "Ce lien ne fonctionne pas" in text(page) and 'href="/accounts/password-reset/"' in page.content.decode()
