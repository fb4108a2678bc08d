"""The layers hold: no app reaches up to a layer above it, in Python or in a template.

Read from the source, not from a running site: Python imports (and dotted names written as strings,
such as "trainings.Training" or "trainings:training-list"), and in templates ``{% load %}`` of a tag
library, ``{% url %}`` of a page and ``{% include %}`` of another template. Peers (trainings and
workshops) may not reach each other either. The site itself (``config``, the page frame in the
templates folder's top level) stands above every app. See DESIGN.md, "Layers".
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LAYERS = {"core": 0, "projects": 1, "beneficiaries": 2, "trainings": 3, "workshops": 3, "reports": 4, "api": 5}
# The site on top: its settings and URLs, and the benchmarks that measure every layer's pages.
SITE = ("config", "bench")
RANK = {**LAYERS, "site": 6}

TAG = re.compile(r"{%\s*(load|url|include)\s+(.+?)\s*%}")
DOTTED_NAME = re.compile(r"^([a-z_]+)[.:][A-Za-z_][\w.-]*$")


def owner(package: str) -> str:
    return "site" if package in SITE else package


def owner_of_template(name: str) -> str:
    """templates/<app>/ belongs to the app and includes/ holds core's shared partials; the top level
    (base.html, the navigation, error pages) and registration/ (the sign-in pages, Django's folder)
    are the site's frame."""
    first, _, rest = name.partition("/")
    if not rest or first == "registration":
        return "site"
    if first == "includes":
        return "core"
    return first


def url_owners() -> dict[str, str]:
    """Each named page (with its namespace) and the package of the view that serves it."""
    owners = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                owners[f"{namespace}{pattern.name}"] = owner(view.__module__.split(".")[0])

    walk(get_resolver().url_patterns, "")
    return owners


def tag_library_owners() -> dict[str, str]:
    return {path.stem: path.parent.parent.name for app in LAYERS for path in (ROOT / app).glob("templatetags/*.py")}


def python_references(path: Path):
    """(line, referenced top-level name) for each import and each dotted name written as a string."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, owner(alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, owner(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = DOTTED_NAME.match(node.value)
            if match:
                yield node.lineno, owner(match.group(1))


def upward(source: str, target: str) -> bool:
    return target in RANK and target != source and RANK[target] >= RANK[source]


def python_files():
    for package in [*LAYERS, *SITE]:
        for path in sorted((ROOT / package).rglob("*.py")):
            # Migrations record history (trainings.0006 hands its tables to workshops.0001 by name).
            if "migrations" not in path.parts:
                yield owner(package), path


def template_files():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            name = path.relative_to(TEMPLATES).as_posix()
            yield name, path


def test_python_never_reaches_up():
    breaks = [
        f"{path.relative_to(ROOT)}:{line} reaches up to {target}"
        for app, path in python_files()
        for line, target in python_references(path)
        if upward(app, target)
    ]
    assert not breaks, "\n".join(breaks)


def test_templates_never_reach_up():
    urls, libraries = url_owners(), tag_library_owners()
    breaks = []
    for name, path in template_files():
        source = owner_of_template(name)
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for tag, argument in TAG.findall(line):
                words = argument.split()
                if tag == "load":
                    targets = [libraries.get(word, "") for word in words if word != "from"]
                elif tag == "url":
                    targets = [urls.get(words[0].strip("'\""), "")]
                else:
                    included = words[0]
                    targets = [owner_of_template(included.strip("'\""))] if included[0] in "'\"" else []
                breaks += [f"{name}:{number} {{% {tag} %}} reaches up to {t}" for t in targets if upward(source, t)]
    assert not breaks, "\n".join(breaks)


@pytest.mark.parametrize(
    ("source", "target", "breaks"),
    [("beneficiaries", "trainings", True), ("trainings", "workshops", True), ("reports", "core", False)],
)
def test_the_layer_rule_itself(source, target, breaks):
    """Upward and sideways (between peers) break the rule; downward does not."""
    assert upward(source, target) is breaks


def test_every_url_name_and_tag_library_used_in_templates_is_known():
    """A reference the test cannot place would pass unchecked: each must resolve to an owner."""
    urls, libraries = url_owners(), tag_library_owners()
    builtin = {
        "i18n",
        "static",
        "l10n",
        "tz",
        "cache",
        "humanize",
        "crispy_forms_tags",
    }
    unknown = []
    for name, path in template_files():
        for tag, argument in TAG.findall(path.read_text()):
            words = argument.split()
            if tag == "url" and words[0].strip("'\"") not in urls:
                unknown.append(f"{name}: url {words[0]}")
            if tag == "load":
                unknown += [f"{name}: load {w}" for w in words if w not in libraries and w not in builtin]
    assert not unknown, "\n".join(unknown)


def test_templates_ask_instead_of_comparing_raw_values():
    """``training.is_ongoing``, not ``training.status == 'ongoing'``: a renamed choice cannot leave a
    template silently comparing with a value that no longer exists."""
    raw = re.compile(r"""(==|!=)\s*["']""")
    found = [
        f"{name}:{number}"
        for name, path in template_files()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if raw.search(line)
    ]
    assert not found, "\n".join(found)
