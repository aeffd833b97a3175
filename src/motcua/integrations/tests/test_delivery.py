"""Delivering the outbox to webhooks, against the local fake HTTP server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from motcua.integrations import delivery
from motcua.integrations.delivery import Policy, Webhook, deliver_due, take, webhooks
from motcua.integrations.models import OutboxMessage
from motcua.integrations.services import outbox_enqueue

from .conftest import FakeGateway

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
POLICY = Policy(lease=dt.timedelta(minutes=5), first_retry=dt.timedelta(seconds=30), max_attempts=3)

pytestmark = pytest.mark.django_db


def enqueue(key: str, topic: str = "dossier.changed", at: dt.datetime = T0) -> OutboxMessage:
    outbox_enqueue(topic=topic, key=key, payload={"dossier": key, "status": "x"}, now=at)
    return OutboxMessage.objects.get(key=key)


def hook(gateway: FakeGateway, name: str = "portal", *topics: str) -> Webhook:
    return Webhook(
        name=name, url=gateway.at(f"/{name}"), secret=f"{name}-secret", topics=topics or ("*",)
    )


def run(hooks: list[Webhook], at: dt.datetime = T0, **kwargs: Any) -> delivery.Report:
    return deliver_due(now=at, destinations=hooks, policy=POLICY, **kwargs)


def test_each_message_goes_only_to_the_webhooks_whose_topics_match(
    gateway: FakeGateway,
) -> None:
    enqueue("d1", "dossier.received")
    enqueue("c1", "complaint.submit")
    hooks = [hook(gateway, "portal", "dossier.*"), hook(gateway, "hub", "complaint.*", "rating.*")]

    assert run(hooks).delivered == 2

    assert [json.loads(r["body"])["key"] for r in gateway.to("/portal")] == ["d1"]
    assert [json.loads(r["body"])["key"] for r in gateway.to("/hub")] == ["c1"]


def test_contact_details_reach_only_a_webhook_set_to_receive_personal_data(
    gateway: FakeGateway,
) -> None:
    outbox_enqueue(
        topic="complaint.answer",
        key="c1",
        payload={"complaint": "PAKN-1", "to": {"phone": "0912345678", "name": "Nguyễn An"}},
        now=T0,
    )
    hub = Webhook(name="hub", url=gateway.at("/hub"), secret="s", personal_data=True)

    assert run([hook(gateway, "portal"), hub]).delivered == 1

    [to_portal] = gateway.to("/portal")
    [to_hub] = gateway.to("/hub")
    assert json.loads(to_portal["body"])["payload"] == {"complaint": "PAKN-1"}
    assert b"0912345678" not in to_portal["body"]
    assert json.loads(to_hub["body"])["payload"]["to"]["phone"] == "0912345678"


def test_a_message_no_webhook_wants_is_marked_delivered_without_a_request(
    gateway: FakeGateway,
) -> None:
    message = enqueue("r1", "rating.submitted")

    assert run([hook(gateway, "portal", "dossier.*")]).delivered == 1

    message.refresh_from_db()
    assert gateway.requests == []
    assert (message.state, message.attempts, message.delivered_to) == ("delivered", 0, [])


def test_a_passing_failure_is_retried_later_and_only_where_it_failed(
    gateway: FakeGateway,
) -> None:
    message = enqueue("d1")
    gateway.statuses_by_path["/hub"] = [503]
    hooks = [hook(gateway, "portal"), hook(gateway, "hub")]

    report = run(hooks)

    message.refresh_from_db()
    assert (report.delivered, report.retrying) == (0, 1)
    assert message.state == "pending"
    assert message.delivered_to == ["portal"]
    assert message.last_error == "hub: HTTP 503"
    assert message.next_attempt_at == T0 + dt.timedelta(seconds=30)
    # Not due before its time.
    assert run(hooks, at=T0 + dt.timedelta(seconds=29)).taken == 0

    assert run(hooks, at=T0 + dt.timedelta(seconds=30)).delivered == 1

    message.refresh_from_db()
    assert message.state == "delivered"
    assert message.delivered_to == ["portal", "hub"]
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(gateway.to("/portal")) == 1
    assert len(gateway.to("/hub")) == 2


def test_the_wait_doubles_and_delivery_is_given_up_after_the_last_attempt(
    gateway: FakeGateway,
) -> None:
    message = enqueue("d1")
    gateway.statuses = [500, 429, 408]
    hooks = [hook(gateway)]
    moment = T0
    waits = []
    for _ in range(2):
        run(hooks, at=moment)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - moment)
        moment = message.next_attempt_at

    report = run(hooks, at=moment)

    message.refresh_from_db()
    assert waits == [dt.timedelta(seconds=30), dt.timedelta(seconds=60)]
    assert report.failed == 1
    assert report.errors == ["d1: portal: HTTP 408"]
    assert message.state == "failed"
    assert message.failed_at == moment
    assert message.attempts == 3
    assert run(hooks, at=moment + dt.timedelta(days=1)).taken == 0


def test_a_webhook_that_fails_is_not_tried_again_in_the_same_pass(
    gateway: FakeGateway,
) -> None:
    first, second = enqueue("d1"), enqueue("d2", at=T0 + dt.timedelta(seconds=1))
    gateway.statuses_by_path["/hub"] = [503]
    hooks = [hook(gateway, "portal"), hook(gateway, "hub")]

    report = run(hooks, at=T0 + dt.timedelta(seconds=5))

    first.refresh_from_db()
    second.refresh_from_db()
    assert report.retrying == 2
    assert [json.loads(r["body"])["key"] for r in gateway.to("/hub")] == ["d1"]
    assert [json.loads(r["body"])["key"] for r in gateway.to("/portal")] == ["d1", "d2"]
    assert (first.attempts, first.last_error) == (1, "hub: HTTP 503")
    # Skipped, not tried: its attempts are kept for when the hub is back.
    assert second.attempts == 1  # the portal was tried and took it
    assert second.delivered_to == ["portal"]
    assert second.last_error == "hub: not tried, it failed earlier in this pass"
    assert second.next_attempt_at == T0 + dt.timedelta(seconds=35)


def test_a_message_only_a_failed_webhook_wants_keeps_its_attempts(
    gateway: FakeGateway,
) -> None:
    enqueue("d1")
    message = enqueue("d2", at=T0 + dt.timedelta(seconds=1))
    gateway.statuses = [503]

    run([hook(gateway)], at=T0 + dt.timedelta(seconds=5))

    message.refresh_from_db()
    assert len(gateway.requests) == 1
    assert (message.state, message.attempts) == ("pending", 0)
    assert message.next_attempt_at == T0 + dt.timedelta(seconds=35)


def test_the_wait_stops_growing_at_an_hour() -> None:
    policy = Policy(
        lease=dt.timedelta(minutes=5), first_retry=dt.timedelta(seconds=30), max_attempts=99
    )

    assert policy.retry_delay(1) == dt.timedelta(seconds=30)
    assert policy.retry_delay(7) == dt.timedelta(minutes=32)
    assert policy.retry_delay(8) == policy.retry_delay(60) == dt.timedelta(hours=1)


def test_a_final_refusal_gives_up_at_once(gateway: FakeGateway) -> None:
    message = enqueue("d1")
    gateway.statuses = [422]

    assert run([hook(gateway)]).failed == 1

    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (
        "failed",
        1,
        "portal: HTTP 422",
    )


def test_an_unreachable_webhook_is_retried(gateway: FakeGateway) -> None:
    message = enqueue("d1")
    dead = Webhook(name="portal", url="http://127.0.0.1:9/x", secret="s", timeout=2)

    assert run([dead]).retrying == 1

    message.refresh_from_db()
    assert message.state == "pending"
    assert message.last_error.startswith("portal: ")


def test_a_taken_message_is_leased_so_another_worker_skips_it() -> None:
    enqueue("d1")
    enqueue("d2", at=T0 + dt.timedelta(seconds=1))

    first = take(now=T0 + dt.timedelta(seconds=5), limit=1, lease=dt.timedelta(minutes=5))
    second = take(now=T0 + dt.timedelta(seconds=5), limit=10, lease=dt.timedelta(minutes=5))
    # A worker that died with d1 in hand: d1 falls due again when its lease ends.
    after_lease = take(now=T0 + dt.timedelta(minutes=6), limit=10, lease=dt.timedelta(minutes=5))

    assert [m.key for m in first] == ["d1"]
    assert [m.key for m in second] == ["d2"]
    assert [m.key for m in after_lease] == ["d1", "d2"]


def test_messages_are_taken_in_the_order_they_fall_due() -> None:
    for second, key in [(3, "c"), (1, "a"), (2, "b")]:
        enqueue(key, at=T0 + dt.timedelta(seconds=second))

    taken = take(now=T0 + dt.timedelta(minutes=1), limit=10, lease=dt.timedelta(minutes=5))

    assert [m.key for m in taken] == ["a", "b", "c"]


def test_send_again_requeues_what_was_given_up_or_delivered(gateway: FakeGateway) -> None:
    failed, delivered = enqueue("d1"), enqueue("d2")
    gateway.statuses_by_path["/hub"] = [400]
    OutboxMessage.objects.filter(pk=delivered.pk).update(topic="rating.submitted")
    hooks = [hook(gateway, "portal"), hook(gateway, "hub", "dossier.*")]
    run(hooks)
    later = T0 + dt.timedelta(hours=2)

    assert delivery.send_again(OutboxMessage.objects.order_by("id"), now=later) == 2
    report = run(hooks, at=later)

    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert report.delivered == 2
    # The given-up one went only where it had failed; the delivered one everywhere again.
    assert [json.loads(r["body"])["key"] for r in gateway.to("/portal")] == ["d1", "d2", "d2"]
    assert [json.loads(r["body"])["key"] for r in gateway.to("/hub")] == ["d1", "d1"]
    assert failed.delivered_to == ["portal", "hub"]
    assert failed.attempts == delivered.attempts == 1


def test_purge_forgets_only_what_was_delivered_long_enough_ago(gateway: FakeGateway) -> None:
    enqueue("old")
    enqueue("given-up")
    gateway.statuses_by_path["/portal"] = [200, 400]
    run([hook(gateway)])
    enqueue("pending", at=T0 + dt.timedelta(days=40))

    assert delivery.purge_delivered(older_than=T0 + dt.timedelta(days=1)) == 1

    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == ["given-up", "pending"]


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        ({"name": "p"}, "list of objects"),
        ([{"name": "", "url": "https://x", "secret": "s"}], "name of 1-64"),
        ([{"name": "p", "url": "ftp://x", "secret": "s"}], "url must be http"),
        ([{"name": "p", "url": "https://x"}], "needs a secret"),
        ([{"name": "p", "url": "https://x", "secret": "s", "topics": "dossier.*"}], "topics"),
        (
            [
                {"name": "p", "url": "https://x", "secret": "s"},
                {"name": "p", "url": "https://y", "secret": "t"},
            ],
            "unique",
        ),
    ],
)
def test_a_wrong_setting_is_refused_with_its_reason(
    settings: Any, configured: Any, message: str
) -> None:
    settings.MOTCUA_OUTBOX_WEBHOOKS = configured

    with pytest.raises(ImproperlyConfigured, match=message):
        webhooks()


def test_the_webhooks_can_come_from_the_environment(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    del settings.MOTCUA_OUTBOX_WEBHOOKS
    monkeypatch.setenv(
        "MOTCUA_OUTBOX_WEBHOOKS",
        '[{"name": "portal", "url": "https://dvc.example/hook", "secret": "s",'
        ' "topics": ["dossier.*"], "timeout": 3, "personal_data": true}]',
    )

    assert webhooks() == [
        Webhook(
            name="portal",
            url="https://dvc.example/hook",
            secret="s",
            topics=("dossier.*",),
            timeout=3.0,
            personal_data=True,
        )
    ]


def test_the_worker_command_delivers_what_is_due_once(settings: Any, gateway: FakeGateway) -> None:
    settings.MOTCUA_OUTBOX_WEBHOOKS = [
        {"name": "portal", "url": gateway.at("/portal"), "secret": "s"}
    ]
    for i in range(5):
        enqueue(f"d{i}")
    out = StringIO()

    call_command("deliver_outbox", "--once", "--batch", "2", stdout=out)

    assert out.getvalue().strip() == "5 delivered, 0 to retry, 0 given up."
    assert len(gateway.to("/portal")) == 5
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


def test_the_worker_command_refuses_a_wrong_setting(settings: Any) -> None:
    settings.MOTCUA_OUTBOX_WEBHOOKS = "https://x"

    with pytest.raises(CommandError, match="list of objects"):
        call_command("deliver_outbox", "--once")


def test_the_admin_lists_and_sends_again(gateway: FakeGateway, client: Client) -> None:
    admin = User.objects.create_superuser("admin", "admin@example.vn", "pw")
    client.force_login(admin)
    gateway.statuses = [400]
    given_up, pending = enqueue("d1"), enqueue("d2", at=T0 + dt.timedelta(days=1))
    run([hook(gateway)], limit=1)

    page = client.get("/admin/integrations/outboxmessage/?state=failed")
    answer = client.post(
        "/admin/integrations/outboxmessage/",
        {"action": "send_again", "_selected_action": [given_up.pk, pending.pk]},
        follow=True,
    )

    given_up.refresh_from_db()
    assert page.status_code == 200
    assert "d1" in page.content.decode() and "d2" not in page.content.decode()
    assert answer.status_code == 200
    assert given_up.state == "pending"
    assert given_up.attempts == 0
    assert [str(m) for m in answer.context["messages"]] == [
        "Đã đưa 1 thông điệp vào hàng đợi gửi lại.",
        "1 thông điệp đang chờ gửi được giữ nguyên.",
    ]


class Recorder:
    """A destination in memory that counts what it was handed, from any thread."""

    name = "recorder"

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.lock = threading.Lock()

    def accepts(self, topic: str) -> bool:
        return True

    def send(self, message: OutboxMessage) -> None:
        with self.lock:
            self.keys.append(message.key)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_workers_at_once_share_the_queue_and_send_each_message_once() -> None:
    for i in range(300):
        enqueue(f"d{i:03}", at=T0 + dt.timedelta(milliseconds=i))
    recorder = Recorder()
    workers = 4
    barrier = threading.Barrier(workers)
    passes: list[int] = []

    def work() -> None:
        try:
            barrier.wait()
            while taken := run([recorder], at=T0 + dt.timedelta(minutes=1), limit=7).taken:
                passes.append(taken)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(recorder.keys) == [f"d{i:03}" for i in range(300)]
    assert sum(passes) == 300
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
