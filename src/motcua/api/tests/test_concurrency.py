"""Two identical POSTs at the same moment, on real concurrent PostgreSQL transactions."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.integrations.models import IdempotencyRecord

from .conftest import Api, token_for, walk_in


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_identical_requests_at_once_receive_one_dossier() -> None:
    call_command("demo", stdout=io.StringIO())
    _token, secret = token_for("tiepnhan.hongchau")
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[tuple[int, Any, bool]] = []

    def post() -> None:
        try:
            barrier.wait()
            response = Api(Client(), secret).post("/dossiers", walk_in(), key="one-key")
            results.append(
                (response.status_code, response.json(), response.has_header("Idempotent-Replayed"))
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Dossier.objects.count() == 1
    assert [status for status, _body, _replayed in results] == [201] * workers
    assert {body["code"] for _status, body, _replayed in results} == {Dossier.objects.get().code}
    assert sum(not replayed for _status, _body, replayed in results) == 1
    assert IdempotencyRecord.objects.get().status_code == 201
