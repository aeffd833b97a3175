"""The issuing agency's digital signature on the forms (`printing.signing`), with keys made
for the test: a PAdES signature that validates against the agency's certificate, covers
every byte of the form, and names the signer on the page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World
from motcua.dossiers.tests.keys import PASSPHRASE, make_key, private_key_info, self_signed
from motcua.printing import forms, signing
from motcua.printing.checks import unsigned_forms_check

Text = Callable[[bytes], str]


@pytest.fixture(autouse=True)
def _fresh_keys() -> Any:
    signing._signer.cache_clear()
    yield
    signing._signer.cache_clear()


def signatures(pdf: bytes, *roots: Any) -> list[Any]:
    reader = PdfFileReader(io.BytesIO(pdf))
    return [
        validate_pdf_signature(embedded, ValidationContext(trust_roots=list(roots)))
        for embedded in reader.embedded_signatures
    ]


def receipt(world: World, dossier: Dossier) -> bytes:
    return forms.dossier_form_pdf(user=world.receiver, code=dossier.code or "", form="01").content


def test_the_receipt_is_signed_by_its_agency(
    world: World, received: Dossier, text_of: Text, settings: Any, tmp_path: Path
) -> None:
    path, certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase": PASSPHRASE}}

    pdf = receipt(world, received)

    [status] = signatures(pdf, certificate)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Ủy ban nhân dân phường Một"
    reader = PdfFileReader(io.BytesIO(pdf))
    [embedded] = reader.embedded_signatures
    assert embedded.sig_object["/Reason"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    text = text_of(pdf)
    assert "Văn bản được ký số bởi: Ủy ban nhân dân phường Một" in text
    assert received.code and received.code in text  # the form itself is unchanged


def test_a_change_to_a_signed_form_breaks_its_signature(
    world: World, received: Dossier, settings: Any, tmp_path: Path
) -> None:
    path, certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase": PASSPHRASE}}
    pdf = bytearray(receipt(world, received))
    # A byte inside the signed range (the page content), not in the signature itself.
    at = pdf.index(b"stream") + 20
    pdf[at] ^= 0x01

    [status] = signatures(bytes(pdf), certificate)

    assert not status.intact and not status.bottom_line


def test_each_agency_signs_with_its_own_key_else_the_nearest_above_else_any(
    world: World, received: Dossier, settings: Any, tmp_path: Path
) -> None:
    center = received.receiving_unit or received.handling_agency
    parent = center.parent
    assert parent is not None
    own, own_cert = make_key(tmp_path, "Trung tâm phục vụ hành chính công")
    above, above_cert = make_key(tmp_path, "Cơ quan cấp trên")
    other, _other = make_key(tmp_path, "Khóa chung")

    settings.MOTCUA_FORM_SIGNING = {
        center.code: {"pkcs12": own, "passphrase": PASSPHRASE},
        parent.code: {"pkcs12": above, "passphrase": PASSPHRASE},
        "*": {"pkcs12": other, "passphrase": PASSPHRASE},
    }
    [status] = signatures(receipt(world, received), own_cert)
    assert status.trusted

    settings.MOTCUA_FORM_SIGNING = {
        parent.code: {"pkcs12": above, "passphrase": PASSPHRASE},
        "*": {"pkcs12": other, "passphrase": PASSPHRASE},
    }
    [status] = signatures(receipt(world, received), above_cert)
    assert status.trusted
    assert signing.key_for(None) == signing.AgencyKey(other, PASSPHRASE)


def test_without_keys_the_forms_print_unsigned(
    world: World, received: Dossier, text_of: Text
) -> None:
    pdf = receipt(world, received)

    assert signatures(pdf) == []
    assert "ký số" not in text_of(pdf)


def test_the_tracking_book_is_signed_too(
    world: World, received: Dossier, settings: Any, tmp_path: Path
) -> None:
    path, certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase": PASSPHRASE}}
    day = received.received_at.date() if received.received_at else dt.date.today()

    book = forms.tracking_book_pdf(
        user=world.receiver, agency_code=received.handling_agency.code, start=day, end=day
    )

    [status] = signatures(book.content, certificate)
    assert status.valid and status.trusted


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ({"pkcs12": "{path}", "passphrase": "sai-mat-khau"}, "does not open"),
        ({"pkcs12": "/khong/co/tep.p12", "passphrase": PASSPHRASE}, "cannot read"),
        ({"pkcs12": "{path}", "passphrase_env": "MOTCUA_TEST_KEY"}, "MOTCUA_TEST_KEY"),
        ({"passphrase": PASSPHRASE}, "needs the path"),
    ],
)
def test_a_key_that_cannot_be_used_stops_the_checks(
    db: None,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entry: dict[str, str],
    said: str,
) -> None:
    path, _certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    monkeypatch.delenv("MOTCUA_TEST_KEY", raising=False)
    settings.MOTCUA_FORM_SIGNING = {"*": {k: v.format(path=path) for k, v in entry.items()}}

    with pytest.raises(ImproperlyConfigured, match=said):
        signing.holder_of(signing.keys()["*"])
    with pytest.raises(SystemCheckError, match=r"printing\.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_passphrase_comes_from_the_environment(
    world: World, received: Dossier, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    monkeypatch.setenv("MOTCUA_TEST_KEY", PASSPHRASE)
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase_env": "MOTCUA_TEST_KEY"}}

    call_command("check", stdout=io.StringIO())

    [status] = signatures(receipt(world, received), certificate)
    assert status.valid


def test_a_deployment_without_keys_is_warned(db: None, tmp_path: Path, settings: Any) -> None:
    [warning] = unsigned_forms_check()
    assert warning.id == "printing.W002"

    path, _certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase": PASSPHRASE}}
    assert unsigned_forms_check() == []


@pytest.fixture
def tsa() -> Any:
    """A local time-stamping service (RFC 3161 over HTTP) with its own certificate: its
    URL and its certificate."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import tsp
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key, tsa_cert = self_signed("Dịch vụ cấp dấu thời gian", time_stamping=True)
    tsa_key = private_key_info(key)
    stamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key)
    asked: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            asked.append(body)
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", tsa_cert, asked
    finally:
        server.shutdown()
        server.server_close()


def test_a_time_stamp_proves_when_the_form_was_signed(
    world: World, received: Dossier, settings: Any, tmp_path: Path, tsa: Any
) -> None:
    url, tsa_cert, asked = tsa
    path, certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    settings.MOTCUA_FORM_SIGNING = {
        "*": {"pkcs12": path, "passphrase": PASSPHRASE, "timestamp_url": url}
    }

    pdf = receipt(world, received)

    assert asked  # pyHanko asks once to size the token, then for the real one
    [embedded] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        embedded,
        ValidationContext(trust_roots=[certificate]),
        ts_validation_context=ValidationContext(trust_roots=[tsa_cert]),
    )
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    stamped = status.timestamp_validity.timestamp
    assert abs(stamped - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_each_signed_form_is_recorded_by_its_content(
    world: World, received: Dossier, settings: Any, tmp_path: Path
) -> None:
    import hashlib

    from motcua.printing.models import IssuedForm

    receipt(world, received)  # unsigned: nothing to record
    assert not IssuedForm.objects.exists()
    path, _certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    settings.MOTCUA_FORM_SIGNING = {"*": {"pkcs12": path, "passphrase": PASSPHRASE}}

    first, again = receipt(world, received), receipt(world, received)

    recorded = list(IssuedForm.objects.order_by("pk"))
    # Signed again: another row, unless within the same second the bytes came out the same.
    printed = {hashlib.sha256(first).hexdigest(), hashlib.sha256(again).hexdigest()}
    assert {r.sha256 for r in recorded} == printed and len(recorded) == len(printed)
    assert {(r.form, r.dossier_id, r.signed_by) for r in recorded} == {
        ("01", received.pk, "Ủy ban nhân dân phường Một")
    }
    assert recorded[0].agency == (received.receiving_unit or received.handling_agency)


def test_a_time_stamping_service_away_still_lets_the_form_out_signed(
    world: World, received: Dossier, settings: Any, tmp_path: Path, caplog: Any
) -> None:
    path, certificate = make_key(tmp_path, "Ủy ban nhân dân phường Một")
    away = "http://127.0.0.1:9/tsa"  # nothing listens on the discard port
    settings.MOTCUA_FORM_SIGNING = {
        "*": {"pkcs12": path, "passphrase": PASSPHRASE, "timestamp_url": away}
    }

    pdf = receipt(world, received)

    [status] = signatures(pdf, certificate)
    assert status.bottom_line and status.timestamp_validity is None
    assert "Time-stamping service http://127.0.0.1:9/tsa failed" in caplog.text
