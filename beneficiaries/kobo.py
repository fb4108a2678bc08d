"""Registrations sent from phones, fetched from the project's KoboToolbox server (its API v2) and
handed to the spreadsheet import as its export would be: the same preview, commit and duplicates."""

import csv
import io
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from projects.models import Project

from .imports import ImportFileError

PAGE_SIZE = 1000
TIMEOUT_SECONDS = 30


class KoboError(ImportFileError):
    """The server could not give the submissions; the message says why, for the officer."""


def fetch_submissions(project: Project) -> tuple[str, bytes]:
    """(file name, CSV) of every submission of the project's KoboToolbox form, its columns named
    as KoboToolbox names them (question names, _uuid, _submission_time). Raises KoboError."""
    server = project.kobo_server.rstrip("/")
    url = f"{server}/api/v2/assets/{project.kobo_form}/data/?format=json&limit={PAGE_SIZE}"
    submissions = []
    while url:
        page = _get(url, project.kobo_token)
        submissions.extend(row for row in page.get("results", []) if isinstance(row, dict))
        if len(submissions) > settings.IMPORT_MAX_ROWS:
            raise KoboError(
                _("The form has more than %(rows)d submissions: export them from KoboToolbox in parts.")
                % {"rows": settings.IMPORT_MAX_ROWS}
            )
        url = page.get("next")
        # The token goes to the project's server only, whatever a page names as the next one.
        if url and urlsplit(url).netloc != urlsplit(server).netloc:
            raise KoboError(_("The KoboToolbox server pointed to another server: nothing was fetched."))
    if not submissions:
        raise KoboError(_("The KoboToolbox form has no submission yet."))
    columns = list(dict.fromkeys(key for row in submissions for key in row))
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(columns)
    for row in submissions:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return f"kobotoolbox-{project.kobo_form}.csv", output.getvalue().encode()


def _get(url: str, token: str) -> dict:
    if urlsplit(url).scheme not in ("https", "http"):
        raise KoboError(_("The KoboToolbox server's address must begin with https://."))
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http or https, checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.loads(response.read(settings.IMPORT_MAX_BYTES * 4))
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            raise KoboError(_("KoboToolbox refused the project's token: ask an administrator to check it.")) from error
        if error.code == 404:
            raise KoboError(
                _("KoboToolbox does not know the project's form: ask an administrator to check its id.")
            ) from error
        raise KoboError(
            _("KoboToolbox answered with an error (%(status)d): try again later.") % {"status": error.code}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise KoboError(_("The KoboToolbox server could not be reached: try again later.")) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise KoboError(_("KoboToolbox answered with something that is not a list of submissions.")) from error


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return ""  # attachments, notes, geolocation: not columns of the import
    return str(value)
