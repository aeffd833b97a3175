"""The `motcua` command: Django's management commands plus our own.

`motcua import-procedures` and `motcua import_procedures` are the same command: hyphens in
the subcommand name are accepted for readability on the command line."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")
    args = list(sys.argv if argv is None else argv)
    args[0] = "motcua"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
