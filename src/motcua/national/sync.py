"""Dossier records for the national public service portal (Cổng DVCQG).

Every province's and ministry's system must keep the national portal up to date with its
dossiers (TT 04/2025/TT-VPCP); the 766 index measures it (indicator 1.4: the dossiers
received in a period that were synced). Each outbox message of a received dossier (one per
action) makes the worker post the dossier's *current* record, so a retried or late message
never sends an old state and the portal ends with the newest. A dossier not yet received
(a submission awaiting reception, or turned away at it) has no code and is not sent.

The record carries the fields of the national calculation under their national names
(DOMAIN.md §1.6: `NgayTiepNhan`, `NgayNopHoSo`, `NgayHenTra`, `NgayKetThucXuLy`,
`ThoiGianGiaiQuyet`, `DonViTinh`, `KenhThucHien`, `MaKetQua`, `DuongDanTepTinKetQua`,
`DuocThanhToanTrucTuyen`, `DanhSachPhiLePhi[].Gia`, `HoSoCoThanhPhanSoHoa`,
`TaiLieuNop[].DuocSoHoa`, `TaiLieuNop[].DuocLayTuKhoDMQG`) plus `MaHoSo` and `MaTTHC`, and
what has no national name there under `motcua` (status, timeliness, agencies, applicant...).
Moments are ISO 8601 in Vietnam's time. The province's connector (LGSP, or a bridge) turns
it into the portal's wire format and credentials; see docs/national-portal.md.

Set `MOTCUA_NATIONAL_PORTAL` (a Django setting or the environment variable; JSON):
`{"url": "https://lgsp.example.gov.vn/dvcqg/hoso", "secret": "...", "timeout": 10}`. The
request is signed like the webhooks' (`X-Motcua-Signature`, `Idempotency-Key`) and retried
by the outbox. Without the setting nothing is sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from motcua.domain.deadlines import Unit
from motcua.dossiers.links import public_url
from motcua.dossiers.models import Dossier, DossierFile, FileKind
from motcua.dossiers.selectors import event_of_message
from motcua.integrations.delivery import Endpoint, endpoint
from motcua.integrations.models import OutboxMessage
from motcua.payments.models import PaymentMethod, PaymentRequest, PaymentState
from motcua.procedures.models import Channel

from .models import NationalSync

NAME = "national-portal"
# `DonViTinh`: the unit of `ThoiGianGiaiQuyet` (Giờ / Ngày / Ngày làm việc / Tháng). A
# procedure resolved within the day counts as 1 working day.
UNITS = {
    Unit.WORKING_HOUR.value: "Giờ",
    Unit.WORKING_DAY.value: "Ngày làm việc",
    Unit.CALENDAR_DAY.value: "Ngày",
    Unit.MONTH.value: "Tháng",
    Unit.SAME_DAY.value: "Ngày làm việc",
}
# `DuocThanhToanTrucTuyen`: 2 = paid through the ministry's or province's own payment
# platform (ours: the gateway, or a VietQR transfer matched to the request); 1 would be
# the national portal's own.
PAID_HERE = 2
ONLINE_METHODS = (PaymentMethod.QR, PaymentMethod.GATEWAY)


def _moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _fees(dossier: Dossier) -> tuple[list[dict[str, Any]], int | None]:
    requests = list(
        PaymentRequest.objects.filter(dossier=dossier)
        .exclude(state=PaymentState.CANCELLED)
        .order_by("pk")
    )
    paid_online = any(r.state == PaymentState.PAID and r.method in ONLINE_METHODS for r in requests)
    fees = [
        {"Gia": r.amount, "motcua": {"description": r.description, "state": r.state}}
        for r in requests
    ]
    return fees, PAID_HERE if paid_online else None


def record(dossier: Dossier) -> dict[str, Any]:
    """The dossier as the national portal gets it (see the module docstring)."""
    files = list(
        DossierFile.objects.filter(dossier=dossier)
        .order_by("pk")
        .values_list("kind", "name", "reused_from_id")
    )
    handed_in = [
        {"TenTepDinhKem": name, "DuocSoHoa": 1, "DuocLayTuKhoDMQG": int(source is not None)}
        for kind, name, source in files
        if kind in (FileKind.SUBMISSION, FileKind.SUPPLEMENT)
    ]
    has_result_file = any(kind == FileKind.RESULT for kind, _name, _source in files)
    fees, paid_online = _fees(dossier)
    result_link = (
        public_url(reverse("portal:my_dossier", args=[dossier.code]))
        if dossier.result_electronic and has_result_file
        else None
    )
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": dossier.procedure.name,
        "KenhThucHien": Channel(dossier.channel).national_code,
        "NgayNopHoSo": _moment(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": _moment(dossier.received_at),
        "NgayHenTra": _moment(dossier.due_at),
        "NgayKetThucXuLy": _moment(dossier.finished_at),
        "ThoiGianGiaiQuyet": (
            str(dossier.time_limit_amount) if dossier.time_limit_amount is not None else None
        ),
        "DonViTinh": UNITS.get(dossier.time_limit_unit),
        "MaKetQua": dossier.result_number or None,
        "DuongDanTepTinKetQua": result_link,
        "DuocThanhToanTrucTuyen": paid_online,
        "DanhSachPhiLePhi": fees,
        "HoSoCoThanhPhanSoHoa": 1 if handed_in else 0,
        "TaiLieuNop": handed_in,
        "motcua": {
            "status": dossier.status,
            "timeliness": dossier.timeliness or None,
            "handling_agency": dossier.handling_agency.code,
            "receiving_unit": dossier.receiving_unit.code if dossier.receiving_unit else None,
            "handed_over_at": _moment(dossier.handed_over_at),
            "extended_due_at": _moment(dossier.extended_due_at),
            "supplement_count": dossier.supplement_count,
            "returned_at": _moment(dossier.returned_at),
            "return_channel": dossier.return_channel or None,
            "result_date": dossier.result_date.isoformat() if dossier.result_date else None,
            "result_electronic": dossier.result_electronic,
            "applicant": {
                "kind": dossier.applicant_kind,
                "name": dossier.applicant_name,
                "id_number": dossier.applicant_id_number,
                "phone": dossier.applicant_phone,
                "email": dossier.applicant_email,
                "address": dossier.applicant_address,
            },
            "updated_at": _moment(dossier.updated_at),
        },
    }


@dataclass(frozen=True)
class NationalPortal:
    """The outbox destination that keeps the national portal's copy of our dossiers."""

    endpoint: Endpoint
    name: str = NAME

    def accepts(self, topic: str) -> bool:
        return topic.startswith("dossier.")

    def send(self, message: OutboxMessage) -> None:
        event = event_of_message(message.payload)
        if event is None or not event.dossier.code:
            return
        dossier = event.dossier
        self.endpoint.post(record(dossier), key=message.key, user_agent="motcua-national/1")
        now = timezone.now()
        synced, created = NationalSync.objects.get_or_create(
            dossier=dossier,
            defaults={"first_synced_at": now, "synced_at": now, "status": dossier.status},
        )
        if not created:
            NationalSync.objects.filter(pk=synced.pk).update(synced_at=now, status=dossier.status)


def national_portal() -> NationalPortal | None:
    """The destination `MOTCUA_NATIONAL_PORTAL` sets, None without it."""
    found = endpoint("MOTCUA_NATIONAL_PORTAL")
    return NationalPortal(found) if found else None
