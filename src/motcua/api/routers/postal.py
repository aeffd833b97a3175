"""The postal service's reports on the shipments of results (see `motcua.postal` and
docs/postal.md): the province's bridge to its postal operator posts each one, signed with
the secret of `MOTCUA_POSTAL_SERVICE` as motcua signs its bookings (`X-Motcua-Signature:
sha256=<hex HMAC-SHA256 of the body>`). No session and no token: the signature is the
authentication. Reports may come twice and in any order; the newest is kept."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router

from motcua.integrations.delivery import endpoint
from motcua.integrations.notifications import signature_holds
from motcua.postal import services
from motcua.postal.exceptions import PostalError
from motcua.postal.models import PostalShipment, ShipmentStatus

from .. import schemas as s
from ..errors import ApiError

router = Router(tags=["postal"])

SIGNATURE_HEADER = "X-Motcua-Signature"


def _check_signature(request: HttpRequest) -> None:
    config = endpoint("MOTCUA_POSTAL_SERVICE")
    if config is None:
        raise ApiError(
            404, "postal_service_not_set", _("This deployment does not use the postal service.")
        )
    if not signature_holds(config.secret, request.body, request.headers.get(SIGNATURE_HEADER, "")):
        raise ApiError(
            401,
            "bad_signature",
            _("The request is not signed with the postal service's shared secret."),
        )


def _out(shipment: PostalShipment) -> s.ShipmentOut:
    return s.ShipmentOut(
        tracking_number=shipment.tracking_number,
        dossier=shipment.dossier.code or "",
        status=s.Labelled(value=shipment.status, label=str(ShipmentStatus(shipment.status).label)),
        status_at=shipment.status_at,
        status_note=shipment.status_note,
    )


@router.post(
    "/postal/shipments/{tracking_number}/reports",
    response={200: s.ShipmentOut, frozenset({401, 404, 422}): s.ErrorOut},
    auth=None,
    operation_id="postal_shipment_report",
)
def postal_shipment_report(
    request: HttpRequest, tracking_number: Path[str], report: s.ShipmentReportIn
) -> s.ShipmentOut:
    """The postal service reports where a shipment is. Answers the shipment as kept: a
    report older than the one kept, or the same again, changes nothing."""
    _check_signature(request)
    try:
        shipment = services.shipment_record_status(
            tracking_number=tracking_number[:64],
            status=report.status,
            at=report.at,
            note=report.note,
        )
    except PostalError as exc:
        raise ApiError(exc.http_status, exc.code, exc.message) from exc
    return _out(shipment)
