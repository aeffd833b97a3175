"""The agency's digital signature on the forms motcua issues (chữ ký số của cơ quan, tổ
chức): a receipt, a supplement request or a letter of apology sent to the applicant as a
file is a valid electronic document only when the issuing agency has signed it (Decree
30/2020/NĐ-CP on clerical work; Law on Electronic Transactions 2023).

`MOTCUA_FORM_SIGNING` (a Django setting, else the environment variable; JSON) maps agency
codes to their signing keys, `"*"` standing for any agency not named:

    {"H99.50": {"pkcs12": "/etc/motcua/keys/ubnd-tinh.p12",
                "passphrase_env": "MOTCUA_KEY_UBND_TINH",
                "timestamp_url": "http://tsa.example.gov.vn"},
     "*": {"pkcs12": "/etc/motcua/keys/ttpvhcc.p12", "passphrase_env": "MOTCUA_KEY_TTPVHCC"}}

A form is signed with the key of its issuing agency, else of the nearest agency above it
that has one, else `"*"`; without any, it is printed unsigned as before. `pkcs12` is a
PKCS#12 file holding the organisation's certificate (issued by the Government's or a
public certification service) and its key; the passphrase comes from the environment
variable `passphrase_env` (or, for tests, `passphrase`), never from the repository.
`timestamp_url` (optional) is an RFC 3161 time-stamping service, whose token proves when
the form was signed; when it does not answer (5 s), the form is signed without one, on the
server's clock, and a warning is logged. The signature is PAdES (ETSI EN 319 142),
SHA-256, invisible in the PDF's fields; the form prints who signed and when where a paper
form bears the seal, so a printed copy says it came signed. Keys are loaded once per
process.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.conf import json_setting

logger = logging.getLogger(__name__)

SETTING = "MOTCUA_FORM_SIGNING"
TIMESTAMP_TIMEOUT = 5  # seconds: a counter does not wait longer for a time-stamp
ANY = "*"
FIELD = "motcua"


@dataclass(frozen=True)
class AgencyKey:
    """An agency's signing key, as the setting gives it."""

    pkcs12: str
    passphrase: str = field(repr=False)
    timestamp_url: str = ""


@dataclass(frozen=True)
class Signature:
    """What the form prints of its signature: who signs it, and when."""

    holder: str
    at: dt.datetime


def keys() -> dict[str, AgencyKey]:
    """The setting, checked: ImproperlyConfigured when it is malformed."""
    config = json_setting(SETTING, {})
    if not isinstance(config, dict):
        raise ImproperlyConfigured(f"{SETTING} must be a JSON object keyed by agency code.")
    found = {}
    for code, entry in config.items():
        if not isinstance(entry, dict) or not str(entry.get("pkcs12", "")).strip():
            raise ImproperlyConfigured(f"{SETTING}[{code!r}] needs the path of a PKCS#12 file.")
        if entry.get("passphrase_env"):
            name = str(entry["passphrase_env"])
            if name not in os.environ:
                raise ImproperlyConfigured(
                    f"{SETTING}[{code!r}]: the environment variable {name} is not set."
                )
            passphrase = os.environ[name]
        else:
            passphrase = str(entry.get("passphrase", ""))
        found[str(code)] = AgencyKey(
            pkcs12=str(entry["pkcs12"]).strip(),
            passphrase=passphrase,
            timestamp_url=str(entry.get("timestamp_url", "")).strip(),
        )
    return found


@functools.lru_cache(maxsize=64)
def _signer(key: AgencyKey) -> Any:
    """The pyHanko signer of `key`; ImproperlyConfigured when it cannot be read."""
    from pyhanko.sign import signers

    try:
        data = Path(key.pkcs12).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"{SETTING}: cannot read {key.pkcs12}: {exc}") from exc
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=[], passphrase=key.passphrase.encode() or None
        )
    except (ValueError, TypeError) as exc:
        signer = None
        cause = str(exc)
    else:
        cause = "no key or certificate in it"
    if signer is None or signer.signing_cert is None:
        raise ImproperlyConfigured(
            f"{SETTING}: {key.pkcs12} does not open with its passphrase ({cause})."
        )
    return signer


def holder_of(key: AgencyKey) -> str:
    """The name the certificate is issued to (its common name, else its organisation)."""
    subject = _signer(key).signing_cert.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "")


def key_for(agency: Agency | None) -> AgencyKey | None:
    """The key that signs what `agency` issues (see the module docstring)."""
    found = keys()
    if not found:
        return None
    if agency is not None and set(found) != {ANY}:
        if agency.code in found:
            return found[agency.code]
        above = [int(part) for part in agency.path.strip("/").split("/")[:-1] if part]
        codes = dict(Agency.objects.filter(pk__in=above).values_list("pk", "code"))
        for pk in reversed(above):  # the nearest first
            if codes.get(pk) in found:
                return found[codes[pk]]
    return found.get(ANY)


def signature_of(key: AgencyKey, *, now: dt.datetime | None = None) -> Signature:
    """What a form signed with `key` now prints of its signature."""
    return Signature(holder=holder_of(key), at=now or timezone.now())


def sign_pdf(pdf: bytes, key: AgencyKey, *, reason: str, location: str = "") -> bytes:
    """`pdf` signed with `key` (see the module docstring)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    signer = _signer(key)
    if key.timestamp_url:
        stamper = timestamps.HTTPTimeStamper(key.timestamp_url, timeout=TIMESTAMP_TIMEOUT)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        try:
            stamped = signers.sign_pdf(writer, metadata, signer=signer, timestamper=stamper)
        except timestamps.TimestampRequestError as exc:
            # The form must still reach the applicant: signed, on the server's clock.
            logger.warning("Time-stamping service %s failed: %s", key.timestamp_url, exc)
        else:
            return bytes(stamped.getvalue())
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return bytes(signers.sign_pdf(writer, metadata, signer=signer).getvalue())
