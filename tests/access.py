"""The URL x role access matrix, shared by every app's routes.

Each named URL pattern of the project must have a row here (or be an admin pattern, which follow
one rule): ``tests/core/test_access_matrix.py`` fails for a pattern without one.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "donor", "field_staff", "me_officer", "outsider", "admin"]
LOGIN = "login"  # the response is a redirect to the sign-in page

PUBLIC = dict.fromkeys(ROLES, 200)


def only(*roles: str, allowed=200, others=404, anonymous=LOGIN) -> dict:
    """Expectations where ``roles`` get ``allowed``, other signed-in users ``others``."""
    expected = {role: (allowed if role in roles else others) for role in ROLES}
    expected["anonymous"] = anonymous
    return expected


def _person(objects) -> dict:
    return {"reference": objects["beneficiary"].reference}


def _import_job(objects) -> dict:
    return {"pk": objects["import_job"].pk}


def _export_job(objects) -> dict:
    return {"pk": objects["export_job"].pk}


def _training(objects) -> dict:
    return {"pk": objects["training"].pk}


def _workshop(objects) -> dict:
    return {"pk": objects["workshop"].pk}


def _project(objects) -> dict:
    return {"code": objects["project"].code}


def _update(objects) -> dict:
    return {"code": objects["project"].code, "pk": objects["update"].pk}


def _photo(objects) -> dict:
    return {**_update(objects), "photo_pk": objects["photo"].pk}


def _enrollment(objects) -> dict:
    return {"training_pk": objects["training"].pk, "pk": objects["enrollment"].pk}


# Field staff and M&E officers of the project; donors are refused, staff of other projects find nothing.
STAFF_OF_PROJECT = {**only("field_staff", "me_officer", "admin"), "donor": 403}

# Everyone who works on or funds the project: its dashboard of aggregates.
PROJECT_MEMBERS = only("donor", "field_staff", "me_officer", "admin")

# The API, read through the browser's session here (tests/api test tokens): 401 without one, the
# page's own rule otherwise: rows of the user's projects (404 beyond), permissions of their role.
API_DENIED = 401


def api(expected: dict) -> dict:
    return {**expected, "anonymous": API_DENIED}


def _api_session(objects) -> dict:
    return {"training_pk": objects["training"].pk, "pk": objects["session"].pk}


# name -> (function building the reverse() kwargs from the test's objects, expectations)
ROUTES: dict[str, tuple] = {
    "api:schema": (None, api(dict.fromkeys(ROLES, 200))),
    "api:docs": (None, api(dict.fromkeys(ROLES, 200))),
    "api:project-list": (None, api(dict.fromkeys(ROLES, 200))),
    "api:project-detail": (_project, api(PROJECT_MEMBERS)),
    "api:release": (_project, api(dict.fromkeys(ROLES, 200))),  # a public project's published figures
    "api:training-list": (None, api({**dict.fromkeys(ROLES, 200), "donor": 403})),
    "api:training-detail": (_training, api(STAFF_OF_PROJECT)),
    "api:session-list": (lambda objects: {"training_pk": objects["training"].pk}, api(STAFF_OF_PROJECT)),
    "api:attendance": (_api_session, api(STAFF_OF_PROJECT)),
    "api:enrollment-list": (lambda objects: {"training_pk": objects["training"].pk}, api(STAFF_OF_PROJECT)),
    "api:beneficiary-list": (None, api({**dict.fromkeys(ROLES, 200), "donor": 403})),
    "api:beneficiary-detail": (_person, api(STAFF_OF_PROJECT)),
    "api:workshop-list": (None, api({**dict.fromkeys(ROLES, 200), "donor": 403})),
    "healthz": (None, PUBLIC),
    "robots-txt": (None, PUBLIC),
    "favicon": (None, dict.fromkeys(ROLES, 301)),
    "set_language": (None, dict.fromkeys(ROLES, 302)),
    "home": (None, PUBLIC),
    "certificate-lookup": (None, PUBLIC),
    "certificate-check": (lambda objects: {"code": objects["enrollment"].verification_code}, PUBLIC),
    "login": (None, {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "logout": (None, {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}),  # sign-out is POST only
    # Password reset by e-mail: open to all, signed in or not.
    "password_reset": (None, PUBLIC),
    "password_reset_done": (None, PUBLIC),
    "password_reset_confirm": (lambda objects: {"uidb64": "MQ", "token": "not-a-token"}, PUBLIC),
    "password_reset_complete": (None, PUBLIC),
    # Anyone signed in may set up a second factor; whoever has one is sent on to confirm a code.
    "two-factor-setup": (None, {**only("donor", "field_staff", "me_officer", "outsider"), "admin": 302}),
    "two-factor-verify": (None, only("donor", "field_staff", "me_officer", "outsider", "admin")),
    "reports:project-list": (None, PUBLIC),
    "reports:project-detail": (lambda objects: {"code": objects["project"].code}, PUBLIC),
    "reports:project-detail-private": (
        lambda objects: {"code": objects["other_project"].code},
        only("outsider", "admin", others=404, anonymous=404),
    ),
    # Results in detail: donors and staff of the project; an IATI file wherever the project is readable.
    "reports:dashboard": (lambda objects: {"code": objects["project"].code}, PROJECT_MEMBERS),
    "reports:aggregates": (lambda objects: {"code": objects["project"].code, "file_format": "csv"}, PROJECT_MEMBERS),
    "reports:print-report": (lambda objects: {"code": objects["project"].code}, PROJECT_MEMBERS),
    "reports:iati": (lambda objects: {"code": objects["project"].code}, PUBLIC),
    "reports:release-figures": (lambda objects: {"code": objects["project"].code, "file_format": "csv"}, PUBLIC),
    # The private project has published nothing: nobody gets figures, its members neither.
    "reports:release-figures-private": (
        lambda objects: {"code": objects["other_project"].code, "file_format": "csv"},
        dict.fromkeys(ROLES, 404),
    ),
    # Updates: the project's staff write them (donors are refused, staff of other projects find
    # nothing); once approved, an update and its photos are as public as its project.
    "reports:update-list": (_project, STAFF_OF_PROJECT),
    "reports:update-create": (_project, STAFF_OF_PROJECT),
    "reports:update-manage": (_update, STAFF_OF_PROJECT),
    "reports:update-edit": (_update, STAFF_OF_PROJECT),
    "reports:update-approve": (_update, {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}),
    "reports:photo-add": (_update, {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}),
    "reports:photo-delete": (_photo, {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}),
    "reports:staff-photo": (_photo, STAFF_OF_PROJECT),
    "reports:update-detail": (_update, PUBLIC),
    "reports:update-photo": (_photo, PUBLIC),
    "reports:partner-logo": (
        lambda objects: {"code": objects["project"].code, "organization_pk": objects["partner"].pk},
        PUBLIC,
    ),
    # Releases: the project's M&E officer (and administrators) preview, publish and withdraw them.
    "reports:releases": (
        lambda objects: {"code": objects["project"].code},
        {**only("me_officer", "admin"), "donor": 403, "field_staff": 403, "outsider": 403},
    ),
    "reports:release-publish": (
        lambda objects: {"code": objects["project"].code},
        {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN},
    ),
    "reports:release-status": (
        lambda objects: {"code": objects["project"].code},
        {**only("me_officer", "admin"), "donor": 403, "field_staff": 403, "outsider": 403},
    ),
    "reports:release-withdraw": (
        lambda objects: {"code": objects["project"].code, "number": 1},
        {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN},
    ),
    "reports:iati-private": (
        lambda objects: {"code": objects["other_project"].code},
        only("outsider", "admin", others=404, anonymous=404),
    ),
    # The registry: field staff and M&E officers of the person's project; donors never.
    "beneficiaries:beneficiary-list": (None, {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403}),
    "beneficiaries:beneficiary-create": (
        None,
        {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403},
    ),
    # Imports and exports of personal data: M&E officers (and administrators) only.
    "beneficiaries:beneficiary-import": (None, {**only("me_officer", "admin", others=403), "anonymous": LOGIN}),
    "beneficiaries:import-template-csv": (None, {**only("me_officer", "admin", others=403), "anonymous": LOGIN}),
    "beneficiaries:import-template-xlsx": (None, {**only("me_officer", "admin", others=403), "anonymous": LOGIN}),
    "beneficiaries:import-xlsform": (_project, {**only("me_officer", "admin", others=403), "anonymous": LOGIN}),
    # Fetching from KoboToolbox is a POST; a GET is refused before anything is fetched.
    "beneficiaries:import-kobo": (
        _project,
        {**only("me_officer", "admin", allowed=405, others=403), "anonymous": LOGIN},
    ),
    "beneficiaries:beneficiary-export-csv": (
        None,
        {**only("me_officer", "admin", others=403), "anonymous": LOGIN},
    ),
    "beneficiaries:beneficiary-export-xlsx": (
        None,
        {**only("me_officer", "admin", others=403), "anonymous": LOGIN},
    ),
    # A job's pages: only the person who asked for it (anyone else, an administrator too, gets 404).
    "beneficiaries:import-job": (_import_job, only("me_officer")),
    "beneficiaries:import-job-status": (_import_job, only("me_officer")),
    "beneficiaries:export-job": (_export_job, {**only("me_officer", others=403), "admin": 404}),
    "beneficiaries:export-job-download": (_export_job, {**only("me_officer", others=403), "admin": 404}),
    "beneficiaries:beneficiary-detail": (_person, {**only("field_staff", "me_officer", "admin"), "donor": 403}),
    "beneficiaries:beneficiary-history": (_person, {**only("field_staff", "me_officer", "admin"), "donor": 403}),
    "beneficiaries:beneficiary-edit": (_person, {**only("field_staff", "me_officer", "admin"), "donor": 403}),
    "beneficiaries:beneficiary-withdraw": (_person, {**only("field_staff", "me_officer", "admin"), "donor": 403}),
    "beneficiaries:beneficiary-anonymize": (
        _person,
        {**only("me_officer", "admin"), "donor": 403, "field_staff": 403},
    ),
    # Trainings: staff of the training's project; planning them is for M&E officers.
    "trainings:training-list": (None, {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403}),
    "trainings:training-create": (None, only("me_officer", "admin", others=403)),
    "trainings:training-detail": (_training, STAFF_OF_PROJECT),
    "trainings:training-edit": (_training, {**STAFF_OF_PROJECT, "field_staff": 403, "me_officer": 200}),
    "trainings:training-enroll": (lambda objects: {"pk": objects["ongoing_training"].pk}, STAFF_OF_PROJECT),
    "trainings:training-complete": (_training, STAFF_OF_PROJECT),
    "trainings:session-create": (lambda objects: {"training_pk": objects["ongoing_training"].pk}, STAFF_OF_PROJECT),
    "trainings:session-attendance": (
        lambda objects: {"training_pk": objects["training"].pk, "pk": objects["session"].pk},
        STAFF_OF_PROJECT,
    ),
    "trainings:session-xlsform": (_api_session, STAFF_OF_PROJECT),
    "trainings:enrollment-drop": (_enrollment, STAFF_OF_PROJECT),
    "trainings:enrollment-certificate": (_enrollment, STAFF_OF_PROJECT),
    "trainings:follow-up-create": (_enrollment, STAFF_OF_PROJECT),
    "trainings:business-support": (_person, STAFF_OF_PROJECT),
    # Capacity-building events: their participants' data is for the project's staff only.
    "workshops:workshop-list": (None, {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403}),
    "workshops:workshop-create": (None, {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403}),
    "workshops:workshop-detail": (_workshop, STAFF_OF_PROJECT),
    "workshops:workshop-edit": (_workshop, STAFF_OF_PROJECT),
    "workshops:participants-add": (_workshop, STAFF_OF_PROJECT),
    "workshops:workshop-attendance": (_workshop, STAFF_OF_PROJECT),
    "workshops:workshop-assessment": (_workshop, STAFF_OF_PROJECT),
    "workshops:sign-in-sheet": (_workshop, STAFF_OF_PROJECT),
    "workshops:organization-create": (
        None,
        {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403},
    ),
    # An organization is public knowledge; its page lists only people of the reader's own projects.
    "workshops:organization-detail": (
        lambda objects: {"pk": objects["organization"].pk},
        {**only("field_staff", "me_officer", "outsider", "admin"), "donor": 403},
    ),
}

# A second row for a route, to check it against another object (the private project above).
ALIASES = {
    "reports:project-detail-private": "reports:project-detail",
    "reports:iati-private": "reports:iati",
    "reports:release-figures-private": "reports:release-figures",
}


def url_names() -> list[tuple[str, str]]:
    """Every URL pattern of the project as (name, route), namespaces included; unnamed ones as ''."""

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern):
                yield (f"{namespace}{pattern.name}" if pattern.name else "", route)

    return list(walk(get_resolver().url_patterns, "", ""))


def admin_url(name: str, objects) -> str | None:
    """Build an admin URL, finding an existing object for object URLs."""
    pattern = next(route for n, route in url_names() if n == name)
    if name.endswith("_simple_history"):  # one past version of an object with history
        model = next(
            m for m in admin.site._registry if name == f"admin:{m._meta.app_label}_{m._meta.model_name}_simple_history"
        )
        instance = model.objects.first()
        return reverse(name, args=[instance.pk, instance.history.latest().history_id])
    kwargs = {}
    if "<app_label>" in pattern or "(?P<app_label>" in pattern:
        kwargs["app_label"] = "projects"
    if "object_id" in pattern or "<int:pk>" in pattern:
        model = (
            next(m for m in admin.site._registry if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_"))
            if name != "admin:view_on_site"
            else None
        )
        if model is None:
            project = objects["project"]
            kwargs["content_type_id"] = ContentType.objects.get_for_model(project).pk
            kwargs["object_id"] = project.pk
        else:
            instance = model.objects.first()
            assert instance is not None, f"{name}: the objects fixture has no {model.__name__}"
            kwargs["object_id" if "object_id" in pattern else "pk"] = instance.pk
    if "<id>" in pattern:
        kwargs["id"] = objects["field_staff"].pk
    return reverse(name, kwargs=kwargs or None)
