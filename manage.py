#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from factcheck import localenv

    try:
        # `make run` writes local.env beside this file (DEBUG on, a secret key); production,
        # which sets DEBUG=false, ignores it.
        localenv.apply(os.environ, Path(__file__).resolve().parent / "local.env")
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings)
    except (ImproperlyConfigured, ValueError) as error:
        # Django would carry on without settings and fail later with a message that hides
        # this one ("Models aren't loaded yet").
        sys.exit(f"Settings: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
