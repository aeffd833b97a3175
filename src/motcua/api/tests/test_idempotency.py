"""`Idempotency-Key` on POSTs: a retry gets the first answer and creates nothing twice."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from motcua.api import idempotency
from motcua.api.auth import Principal
from motcua.api.errors import ApiError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.models import IdempotencyRecord, OutboxMessage

from .conftest import Api, api_as, walk_in

pytestmark = pytest.mark.usefixtures("demo")


def test_a_retried_reception_returns_the_first_answer_and_creates_nothing(receiver: Api) -> None:
    first = receiver.post("/dossiers", walk_in(), key="7f0c5d1e-reception-1")
    assert first.status_code == 201, first.content
    count = Dossier.objects.count()
    events = DossierEvent.objects.count()

    retry = receiver.post("/dossiers", walk_in(), key="7f0c5d1e-reception-1")
    assert retry.status_code == 201
    assert retry.content == first.content  # replayed as it was sent, byte for byte
    assert retry.json()["code"] == Dossier.objects.get(code=first.json()["code"]).code
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Dossier.objects.count() == count
    assert DossierEvent.objects.count() == events


def test_a_retried_action_is_not_taken_twice(received: dict[str, Any], specialist: Api) -> None:
    path = f"/dossiers/{received['code']}/actions/forward"
    first = specialist.post(path, {"note": "Chuyển ký"}, key="forward-1")
    assert first.status_code == 200
    retry = specialist.post(path, {"note": "Chuyển ký"}, key="forward-1")
    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert (
        DossierEvent.objects.filter(dossier__code=received["code"], action="forward").count() == 1
    )


def test_the_body_is_compared_as_json_not_as_bytes(receiver: Api) -> None:
    body = walk_in()
    first = receiver.post("/dossiers", json.dumps(body), key="k-json")
    spaced = json.dumps(dict(reversed(list(body.items()))), indent=4)
    retry = receiver.post("/dossiers", spaced, key="k-json")
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["code"] == first.json()["code"]


def test_the_same_key_with_another_body_is_refused(receiver: Api) -> None:
    receiver.post("/dossiers", walk_in(), key="k-reused")
    count = Dossier.objects.count()
    other = walk_in(applicant={"name": "Người khác"})
    response = receiver.post("/dossiers", other, key="k-reused")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == count
    # Another endpoint is another request too.
    code = Dossier.objects.latest("pk").code
    elsewhere = receiver.post(f"/dossiers/{code}/actions/withdraw", {}, key="k-reused")
    assert elsewhere.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_user(receiver: Api) -> None:
    colleague = api_as("tiepnhan2.tttinh")
    first = receiver.post("/dossiers", walk_in(), key="shared-key")
    second = colleague.post("/dossiers", walk_in(), key="shared-key")
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] != second.json()["code"]


def test_a_refused_request_changes_nothing_and_frees_its_key(receiver: Api) -> None:
    wrong = receiver.post("/dossiers", walk_in(procedure_code="9.999999"), key="k-err")
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "invalid_input"
    assert not IdempotencyRecord.objects.filter(key="k-err").exists()
    fixed = receiver.post("/dossiers", walk_in(), key="k-err")
    assert fixed.status_code == 201


def test_the_key_and_the_action_commit_together() -> None:
    """A request that fails after writing leaves neither its work nor its key behind; the
    retry then acts, and a third request with the key replays the answer: it acts again,
    but its insert of the key fails and everything it did is rolled back."""
    user = User.objects.get(username="tiepnhan.hongchau")
    request = RequestFactory().post("/api/v1/x", "{}", content_type="application/json")
    request.auth = Principal(user=user, scopes=frozenset({"write"}))  # type: ignore[attr-defined]
    calls = []

    def failing_act() -> idempotency.Outcome:
        OutboxMessage.objects.create(topic="t", key="k", payload={}, created_at=timezone.now())
        raise ApiError(422, "invalid_input", "no")

    def act() -> idempotency.Outcome:
        calls.append(1)
        OutboxMessage.objects.create(topic="t", key="k", payload={}, created_at=timezone.now())
        return idempotency.Outcome(200, {"ok": True})

    with pytest.raises(ApiError):
        idempotency.run(request, "k-1", failing_act)
    assert not OutboxMessage.objects.filter(key="k").exists()
    assert not IdempotencyRecord.objects.filter(key="k-1").exists()
    first = idempotency.run(request, "k-1", act)
    again = idempotency.run(request, "k-1", act)
    assert (first.status_code, again.status_code) == (200, 200)
    assert json.loads(again.content) == {"ok": True}
    assert again["Idempotent-Replayed"] == "true"
    assert calls == [1, 1]
    assert OutboxMessage.objects.filter(key="k").count() == 1
    assert IdempotencyRecord.objects.filter(key="k-1").count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa-tiếng-việt", "two words"])
def test_a_malformed_key_is_refused(receiver: Api, key: str) -> None:
    response = receiver.post("/dossiers", walk_in(), key=key)
    assert response.status_code == 422
    assert response.json()["details"]["field"] == "Idempotency-Key"


def test_old_records_are_purged(receiver: Api) -> None:
    receiver.post("/dossiers", walk_in(), key="k-old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    receiver.post("/dossiers", walk_in(), key="k-new")
    out = io.StringIO()
    call_command("purge_idempotency_records", "--hours", "24", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k-new"]
