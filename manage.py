#!/usr/bin/env python
import os
import sys


def main() -> None:
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        # manage.py without a settings module is local development. Servers run wsgi.py, which
        # defaults to production settings; those force DEBUG off whatever the environment says.
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
