"""The public addresses of a dossier, for what leaves the system: the receipt's QR code, the
notices to the applicant. `MOTCUA_PUBLIC_URL` is where the deployment's portal is reached
(a Django setting, else the environment; the development server by default)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from motcua.conf import setting

from .models import Dossier

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def public_url(path: str) -> str:
    return setting("MOTCUA_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/") + path


def lookup_url(dossier: Dossier) -> str:
    """The public lookup with the dossier code and its lookup token (the second factor):
    what the receipt's QR code holds."""
    query = urlencode({"code": dossier.code or "", "token": dossier.lookup_token})
    return public_url(f"{reverse('portal:lookup')}?{query}")


def payment_url(dossier: Dossier) -> str:
    """The portal's page to pay the dossier's fees, with its lookup token."""
    query = urlencode({"token": dossier.lookup_token})
    return public_url(f"{reverse('portal:payment', args=[dossier.code])}?{query}")
