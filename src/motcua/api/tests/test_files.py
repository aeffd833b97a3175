"""GET /dossiers/{code}/files and the download of one file."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from motcua.dossiers import services
from motcua.dossiers.files import Upload

from .conftest import Api

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def test_officers_list_and_download_a_dossiers_files(
    received: dict[str, Any], receiver: Api, specialist: Api, outsider: Api
) -> None:
    code = received["code"]
    services.dossier_request_supplement(
        actor=User.objects.get(username="tuphap.hongchau"),
        code=code,
        items=["Giấy chứng sinh"],
        reasons="Thiếu giấy chứng sinh",
    )
    services.dossier_supplement(
        actor=User.objects.get(username="tiepnhan.hongchau"),
        code=code,
        uploads=[Upload("giấy chứng sinh.pdf", ContentFile(PDF))],
    )

    listed = specialist.get(f"/dossiers/{code}/files")
    assert listed.status_code == 200
    (item,) = listed.json()
    assert (item["name"], item["content_type"], item["kind"]["value"], item["size"]) == (
        "giấy chứng sinh.pdf",
        "application/pdf",
        "supplement",
        len(PDF),
    )
    assert item["kind"]["label"] == "Nộp bổ sung"
    # Not a result: no signature read; handed in, not taken from a store.
    assert (item["signature"], item["signed_by"], item["signed_at"]) == (None, "", None)
    assert item["reused_from"] is None

    download = specialist.get(f"/dossiers/{code}/files/{item['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]

    for path in (f"/dossiers/{code}/files", f"/dossiers/{code}/files/{item['id']}"):
        hidden = outsider.get(path)
        assert hidden.status_code == 404
        assert hidden.json()["code"] == "dossier_not_found"
    missing = receiver.get(f"/dossiers/{code}/files/999999")
    assert (missing.status_code, missing.json()["code"]) == (404, "file_not_found")


def test_a_results_signature_is_listed(
    received: dict[str, Any], specialist: Api, tmp_path: Any
) -> None:
    from django.utils import timezone

    from motcua.dossiers.tests.keys import make_key, signed_pdf

    code = received["code"]
    path, _certificate = make_key(tmp_path, "Ủy ban nhân dân phường Hồng Châu")
    services.dossier_forward(actor=User.objects.get(username="tuphap.hongchau"), code=code)
    services.dossier_resolve(
        actor=User.objects.get(username="lanhdao.hongchau"),
        code=code,
        result_number="7/TLKS",
        result_signer="Nguyễn Văn Hùng",
        result_date=timezone.localdate(),
        electronic=True,
        result_uploads=[Upload("trich-luc.pdf", ContentFile(signed_pdf(path)))],
    )

    (item,) = specialist.get(f"/dossiers/{code}/files").json()

    assert item["signature"] == {"value": "valid", "label": "đã ký số, chữ ký còn nguyên vẹn"}
    assert item["signed_by"] == "Ủy ban nhân dân phường Hồng Châu"
    assert item["signed_at"].endswith("+07:00")
