"""`manage.py check` (and so `runserver`, `make run`) warns when WeasyPrint cannot load its
system libraries, with the Debian packages to install: everything else still works."""

from __future__ import annotations

from typing import Any

from django.core import checks

from .pdf import engine_problem


@checks.register(checks.Tags.compatibility)
def pdf_engine_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = engine_problem()
    if not problem:
        return []
    return [
        checks.Warning(
            "The legal forms (PDF) cannot be printed: " + problem,
            hint="Install the system libraries WeasyPrint needs, then restart.",
            id="printing.W001",
        )
    ]
