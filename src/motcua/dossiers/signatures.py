"""The digital signature of an electronic result (a PDF), read when the result comes in.

An electronic result has the legal value of the paper one when the competent person or
agency signed it digitally (Decree 45/2020/NĐ-CP, Decree 30/2020/NĐ-CP). When a result PDF
is attached, motcua reads its signatures with pyHanko and keeps on the file what it found
(`DossierFile.signature`, `signed_by`, `signed_at`), shown to the desk and to the
applicant beside the download:

- `none`: the PDF carries no signature (or cannot be read as a signed PDF);
- `invalid`: a signature is broken (the file changed after signing) or does not verify;
- `valid`: every signature verifies and the last one covers the whole file, but its
  certificate was not checked against a trusted root (none configured, or not among them);
- `trusted`: valid, by a certificate that chains to a root of `MOTCUA_TRUSTED_ROOTS` (the
  path of a PEM file with the roots the deployment trusts: the Government's and the public
  certification services' root certificates).

Revocation is not checked (no network is used). `MOTCUA_RESULT_SIGNATURE` says what the
resolving step asks: `check` (the default: record and show) or `require` (an electronic
result must have at least one file, each validly signed: `valid` or `trusted`)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from motcua.conf import setting

from .models import SignatureState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    state: SignatureState
    signed_by: str = ""
    signed_at: dt.datetime | None = None

    @property
    def holds(self) -> bool:
        """Signed, and the signature verifies."""
        return self.state in (SignatureState.VALID, SignatureState.TRUSTED)


def required() -> bool:
    """Whether an electronic result must be validly signed (`MOTCUA_RESULT_SIGNATURE`)."""
    value = setting("MOTCUA_RESULT_SIGNATURE", "check").strip().lower()
    if value not in ("check", "require"):
        raise ImproperlyConfigured("MOTCUA_RESULT_SIGNATURE must be check or require.")
    return value == "require"


@functools.lru_cache(maxsize=4)
def _roots(path: str) -> tuple[Any, ...]:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"MOTCUA_TRUSTED_ROOTS: cannot read {path}: {exc}") from exc
    blocks = [body for _kind, _headers, body in pem.unarmor(data, multiple=True)]
    return tuple(asn1_x509.Certificate.load(body) for body in blocks)


def trusted_roots() -> tuple[Any, ...]:
    path = setting("MOTCUA_TRUSTED_ROOTS", "").strip()
    return _roots(path) if path else ()


def _holder(certificate: Any) -> str:
    subject = certificate.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "")[:255]


def read_signature(data: bytes) -> Found:
    """What the signatures of the PDF `data` show (see the module docstring)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        embedded = list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except Exception as exc:  # a parser of untrusted bytes: any failure means unreadable
        logger.info("A PDF could not be read for signatures: %s", exc)
        return Found(SignatureState.NONE)
    if not embedded:
        return Found(SignatureState.NONE)
    roots = list(trusted_roots())
    statuses = []
    try:
        for signature in embedded:
            # Only the deployment's roots: never the operating system's trust list.
            context = ValidationContext(trust_roots=roots)
            statuses.append(validate_pdf_signature(signature, context))
    except Exception as exc:  # a malformed signature has many ways to fail in a parser
        logger.info("A PDF's signature could not be verified: %s", exc)
        return Found(SignatureState.INVALID)
    last = statuses[-1]
    holder = _holder(last.signing_cert)
    moment = last.signer_reported_dt
    whole = last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not all(s.intact and s.valid for s in statuses) or not whole:
        return Found(SignatureState.INVALID, holder, moment)
    if roots and all(s.trusted for s in statuses):
        return Found(SignatureState.TRUSTED, holder, moment)
    return Found(SignatureState.VALID, holder, moment)
