"""The compiled catalogues, as the running site reads them: English translates each message as itself
(the msgids are English; a guess of msgmerge's left in it once showed "Male" for "Me"), and French
translates every message English has."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _catalogue(language: str) -> dict:
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as file:
        return {key: value for key, value in gettext.GNUTranslations(file)._catalog.items() if key}


def test_english_translates_every_message_as_itself():
    wrong = {}
    for key, value in _catalogue("en").items():
        if isinstance(key, tuple):  # a plural form: (msgid, index); index 0 is the singular
            continue
        if "\x04" in key:  # a message with a context: "context\x04msgid"
            key = key.split("\x04", 1)[1]
        if value != key:
            wrong[key] = value
    assert not wrong


def test_french_translates_every_message():
    english, french = _catalogue("en"), _catalogue("fr")
    missing = sorted(str(key) for key in english if not french.get(key))
    assert not missing


def test_arabic_translates_every_message_with_nothing_fuzzy():
    """The compiled Arabic catalogue holds every message English has (six plural forms each), and
    its source holds no fuzzy guess (msgfmt leaves fuzzy messages out, so they would show English)."""
    english, arabic = _catalogue("en"), _catalogue("ar")
    missing = sorted(str(key) for key in english if not isinstance(key, tuple) and not arabic.get(key))
    assert not missing
    plurals = {key[0] for key in english if isinstance(key, tuple)}
    assert all(arabic.get((msgid, form)) for msgid in plurals for form in range(6))
    source = (LOCALE / "ar" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in source


# A translation call inside an f-string's braces is code to Python but text to xgettext: its message
# never reaches the catalogue, and the page shows it in English whatever the language.
CALL_IN_FSTRING = re.compile(r"""\bf(["'])[^"'\n]*\{[^}\n]*\b(_|gettext|ngettext|pgettext)\(""")


def test_no_message_is_hidden_from_makemessages_in_an_f_string():
    root = Path(__file__).resolve().parents[2]
    sources = [path for path in root.rglob("*.py") if not {".venv", "node_modules", "tests"} & set(path.parts)]
    hidden = [
        f"{path.relative_to(root)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if CALL_IN_FSTRING.search(line)
    ]
    assert not hidden, hidden


ROOT = LOCALE.parent


def _non_ascii_messages(path: Path) -> dict[str, str]:
    """msgid → msgstr of every message with a character beyond ASCII in either."""
    text = path.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, flags=re.M)
    return {msgid: msgstr for msgid, msgstr in pairs if msgid and not (msgid + msgstr).isascii()}


def test_the_english_catalogue_keeps_its_characters_through_make_messages_in_any_locale(tmp_path):
    """`make messages` rewrites the English catalogue with gettext's tools (scripts/english_catalogue.sh):
    run here in the C locale, on a copy whose header still says charset=CHARSET, as a fresh one does,
    every message with a non-ASCII character comes out as it went in."""
    import os
    import shutil
    import subprocess

    import pytest

    if not (shutil.which("msgattrib") and shutil.which("msgen")):
        pytest.skip("gettext is not installed (apt-get install -y gettext)")
    original = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    copy = tmp_path / "django.po"
    copy.write_text(original.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=CHARSET"), encoding="utf-8")
    before = _non_ascii_messages(original)
    assert len(before) > 10  # "(+225…)", « guillemets », typographic apostrophes
    completed = subprocess.run(
        [str(ROOT / "scripts" / "english_catalogue.sh"), str(copy)],
        env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "invalid multibyte" not in completed.stderr
    assert _non_ascii_messages(copy) == before
    assert "charset=UTF-8" in copy.read_text(encoding="utf-8")
