"""The project's manage.py: `python -m portal <command>` (the Makefile's `make manage`)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line([f"{sys.executable} -m portal", *sys.argv[1:]])


if __name__ == "__main__":
    main()
