"""Backups of the whole database, and restoring one. SQLite: a consistent copy through SQLite's
online backup API (safe while the site runs). PostgreSQL: pg_dump's custom format, restored with
pg_restore. Both work from a database's settings dictionary (``connections[alias].settings_dict``)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise ImproperlyConfigured(f"Backups support SQLite and PostgreSQL, not {engine}.")


def _pg_command(tool: str, settings_dict: dict) -> tuple[list[str], dict]:
    if shutil.which(tool) is None:
        raise ImproperlyConfigured(f"{tool} is not installed (apt-get install postgresql-client).")
    args = [tool, "--no-owner", "--no-privileges", f"--dbname={settings_dict['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])  # never on the command line, where ps shows it
    return args, env


def backup(settings_dict: dict, destination: Path) -> Path:
    """Write a backup of the database to ``destination``; returns it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if vendor_of(settings_dict) == "sqlite":
        source = sqlite3.connect(settings_dict["NAME"])
        target = sqlite3.connect(destination)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg_command("pg_dump", settings_dict)
        # No shell: the arguments are a list from the settings and the operator.
        subprocess.run([*args, "--format=custom", f"--file={destination}"], env=env, check=True)  # noqa: S603
    return destination


def restore(settings_dict: dict, source: Path) -> None:
    """Replace the database's contents with the backup at ``source``."""
    if not source.is_file():
        raise FileNotFoundError(f"No backup at {source}.")
    if vendor_of(settings_dict) == "sqlite":
        backup_db = sqlite3.connect(source)
        target = sqlite3.connect(settings_dict["NAME"])
        try:
            with target:
                backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
    else:
        args, env = _pg_command("pg_restore", settings_dict)
        command = [*args, "--clean", "--if-exists", "--single-transaction", str(source)]
        subprocess.run(command, env=env, check=True)  # noqa: S603 (no shell, as above)
