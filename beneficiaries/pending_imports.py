"""Uploaded files waiting between an import's preview and its commit.

The file is kept on the server under a random name, never in the session (which holds only the
name and project); it is taken once, and files older than a day are removed on each upload.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings

from projects.models import Project

SESSION_KEY = "pending_imports"
MAX_AGE_SECONDS = 24 * 3600


def _directory() -> Path:
    directory = Path(settings.IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def keep(request, *, project: Project, filename: str, content: bytes) -> str:
    directory = _directory()
    for old in directory.glob("*.upload"):
        if time.time() - old.stat().st_mtime > MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    (directory / f"{token}.upload").write_bytes(content)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"project": project.pk, "filename": filename[:200]}
    request.session[SESSION_KEY] = pending
    return token


def take(request, token: str) -> tuple[Project, str, bytes] | None:
    """The file kept under ``token`` for this user's session, removed from the server; or None."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(str(token), None)
    request.session[SESSION_KEY] = pending
    if entry is None:
        return None
    path = _directory() / f"{token}.upload"
    if not path.is_file():
        return None
    content = path.read_bytes()
    path.unlink(missing_ok=True)
    project = Project.objects.filter(pk=entry["project"], memberships__user=request.user).first()
    if project is None and request.user.is_superuser:
        project = Project.objects.filter(pk=entry["project"]).first()
    return (project, entry["filename"], content) if project is not None else None
