"""A refusal is written once: the rule that refuses says why, and a page that asks the same rule as
a courtesy shows the rule's own words instead of writing them again. Two copies of one sentence are
how a rule ends up checked in two places, and then in two different ways."""

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "projects", "beneficiaries", "trainings", "workshops", "reports"]
PYTHON_MESSAGE = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)+)"\s*[),%]""")
TEMPLATE_MESSAGE = re.compile(r"""{%\s*translate\s+"([^"]+)"\s*%}""")
# Sentences (not labels): a refusal or an explanation is longer than a button or a heading.
SENTENCE = 30
# Written twice on purpose, each copy saying something different in its own place.
SAME_WORDS_DIFFERENT_THINGS = {
    # The success message of a withdrawal, and the reason a withdrawn person cannot be enrolled.
    "%(reference)s is withdrawn from the project.",
    # The form's banner, also above the registration form's own layout.
    "Please correct the fields marked below. Nothing was saved.",
    # The same empty state of two public lists.
    "No project has been published yet.",
    # A project with no release yet, said by each page and download that would show one.
    "No results have been published for this project yet.",
}


def messages_and_places() -> dict[str, set[str]]:
    places = defaultdict(set)
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for message in PYTHON_MESSAGE.findall(path.read_text()):
                places[message].add(str(path.relative_to(ROOT)))
    for path in (ROOT / "templates").rglob("*.html"):
        for message in TEMPLATE_MESSAGE.findall(path.read_text()):
            places[message].add(str(path.relative_to(ROOT)))
    return places


def test_every_refusal_is_written_in_one_place():
    repeated = {
        message: sorted(where)
        for message, where in messages_and_places().items()
        if len(message) >= SENTENCE and len(where) > 1 and message not in SAME_WORDS_DIFFERENT_THINGS
    }
    assert not repeated, "\n".join(f"{message!r}: {where}" for message, where in repeated.items())


def test_the_scan_finds_messages_in_python_and_templates():
    """The test above would pass on nothing at all: it must see the rules' messages where they live."""
    places = messages_and_places()
    assert places["This training has ended: nobody can be enrolled any more."] == {"trainings/rules.py"}
    assert any(where == {"templates/trainings/training_complete.html"} for where in places.values())
