"""`manage.py check` (and so `runserver`, `make run`) warns when WeasyPrint cannot load its
system libraries, with the Debian packages to install: everything else still works; and
fails when a signing key of `MOTCUA_FORM_SIGNING` cannot be opened, so that a deployment
does not find out at the first form it prints."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import signing
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


@checks.register(checks.Tags.security)
def signing_keys_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        for key in signing.keys().values():
            signing.holder_of(key)
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                f"The forms cannot be signed: {exc}",
                hint="Correct MOTCUA_FORM_SIGNING (docs/signing.md), or remove it to print "
                "the forms unsigned.",
                id="printing.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def unsigned_forms_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        if signing.keys():
            return []
    except ImproperlyConfigured:
        return []  # printing.E001 says so
    return [
        checks.Warning(
            "The forms are printed unsigned: a receipt, a supplement request or a letter of "
            "apology sent to the applicant as a file is not a valid electronic document "
            "without the issuing agency's digital signature.",
            hint="Set MOTCUA_FORM_SIGNING with the agencies' PKCS#12 keys (docs/signing.md).",
            id="printing.W002",
        )
    ]
