"""Uploaded files waiting between an import's preview and its commit.

The file holds personal data, so it is kept as briefly and as privately as the import allows: only
when its preview can be committed, readable by the server's user only (a 0600 file in a 0700
folder), under a random name kept in the session (never the file itself). It is deleted when it
is taken for the commit, when the person cancels, and by ``purge`` (on each upload, and by the
``purge_pending_imports`` command) once it is older than a day.
"""

import os
import secrets
import time
from pathlib import Path

from django.conf import settings

from projects.models import Project

SESSION_KEY = "pending_imports"
MAX_AGE_SECONDS = 24 * 3600


def _directory() -> Path:
    directory = Path(settings.IMPORT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode does not apply to a folder that already exists (made by an older version with
    # the default 0755): IMPORT_DIR is this app's own folder, so it is made private every time.
    directory.chmod(0o700)
    return directory


def _path(token: str) -> Path:
    # Only ever called with a token found in the session, which keep() made: never a path from a form.
    return _directory() / f"{token}.upload"


def purge(older_than_seconds: float = MAX_AGE_SECONDS) -> int:
    """Delete the kept files older than this; returns how many were deleted."""
    directory = Path(settings.IMPORT_DIR)
    if not directory.is_dir():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for path in directory.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # taken or purged meanwhile by another worker
            continue
    return removed


def keep(request, *, project: Project, filename: str, content: bytes) -> str:
    """Keep a file whose preview can be committed; returns the token that names it."""
    purge()  # leftovers of abandoned previews, even where the purge command is not scheduled
    token = secrets.token_urlsafe(16)
    # Created for the server's user only (0600: a umask can only take bits away), never over an
    # existing file (O_EXCL), so it is never readable by others, not even for a moment.
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"project": project.pk, "filename": filename[:200]}
    request.session[SESSION_KEY] = pending
    return token


def discard(request, token: str) -> None:
    """Forget the file kept under ``token``, if this session kept it, and delete it from the server.
    A token this session did not keep deletes nothing."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(str(token), None)
    request.session[SESSION_KEY] = pending
    if entry is not None:
        _path(token).unlink(missing_ok=True)


def peek(request, token: str) -> tuple[Project, str, bytes] | None:
    """The file kept under ``token`` for this user's session, left where it is; or None (a token this
    session did not keep, a file purged, a project the user no longer works on)."""
    entry = request.session.get(SESSION_KEY, {}).get(str(token))
    if entry is None:
        return None
    path = _path(token)
    if not path.is_file():
        return None
    project = Project.objects.filter(pk=entry["project"], memberships__user=request.user).first()
    if project is None and request.user.is_superuser:
        project = Project.objects.filter(pk=entry["project"]).first()
    return (project, entry["filename"], path.read_bytes()) if project is not None else None


def take(request, token: str) -> tuple[Project, str, bytes] | None:
    """The file kept under ``token`` for this user's session, removed from the server; or None."""
    pending = peek(request, token)
    discard(request, token)
    return pending


def waiting(request) -> list[dict]:
    """The previews this session kept and did not commit or cancel, still on the server: each with
    its ``token`` and ``filename``, the oldest first."""
    pending = request.session.get(SESSION_KEY, {})
    return [
        {"token": token, "filename": entry["filename"]} for token, entry in pending.items() if _path(token).is_file()
    ]
