"""The receipt in the demo province (`motcua demo`): the ward's counter receives a birth
registration; the province's Justice Department, another agency, cannot print it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client

from motcua.dossiers import services
from motcua.integrations.models import ApiToken

from .conftest import APPLICANT, NAME

BIRTH = "1.001193"  # handled by the ward H99.50.01 (Phường Hồng Châu)


def test_demo_ward_prints_the_receipt_and_another_agency_sees_nothing(
    demo: None, text_of: Callable[[bytes], str]
) -> None:
    receiver = User.objects.get(username="tiepnhan.hongchau")
    outsider = User.objects.get(username="chuyenvien.stp")
    dossier = services.dossier_receive(actor=receiver, procedure_code=BIRTH, applicant=APPLICANT)

    desk = Client()
    desk.force_login(receiver)
    response = desk.get(f"/forms/{dossier.code}/01.pdf")
    assert response.status_code == 200
    text = text_of(response.content)
    assert dossier.code and dossier.code in text
    assert NAME in text
    assert "Lạc Hồng, ngày" in text  # the province's place name on the date line

    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(f"/forms/{dossier.code}/01.pdf").status_code == 404
    _token, secret = ApiToken.objects.issue(user=outsider, name="test", scopes=("read",))
    api = Client().get(
        f"/api/v1/dossiers/{dossier.code}/forms/01.pdf",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 404
    assert api.json()["code"] == "dossier_not_found"
