#!/usr/bin/env python
import os
import sys


def main() -> None:
    # The base settings, safe by default: DEBUG stays off and a SECRET_KEY is required unless the
    # environment asks for development (DEBUG=true, as `make run` does). Development is never assumed,
    # so a command run against a production DATABASE_URL runs with production's rules.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
