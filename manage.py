#!/usr/bin/env python
import os
import sys


def main() -> None:
    # The base settings, safe by default: DEBUG stays off and a SECRET_KEY is required unless the
    # environment asks for development (DEBUG=true, as `make run` does). Development is never assumed,
    # so a command run against a production DATABASE_URL runs with production's rules.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Django's command runner keeps a settings error aside and goes on, so some commands would fail
    # later on an unrelated error; stop here with the settings' own message instead.
    try:
        settings.INSTALLED_APPS  # noqa: B018  (reading a setting loads them all)
    except ImproperlyConfigured as error:
        sys.exit(f"manage.py: {error}")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
