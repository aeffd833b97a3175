"""What the dossier services tell other systems, as the outbox worker hands it over."""

from __future__ import annotations

from django.utils import timezone

from motcua.integrations.delivery import Policy, deliver_due
from motcua.integrations.models import OutboxMessage

from .factories import MONDAY, World, drive, receive_walk_in


class Recorder:
    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[OutboxMessage] = []

    def accepts(self, topic: str) -> bool:
        return topic.startswith("dossier.")

    def send(self, message: OutboxMessage) -> None:
        self.sent.append(message)


def deliver() -> list[OutboxMessage]:
    recorder = Recorder()
    deliver_due(now=timezone.now(), destinations=[recorder], policy=Policy.from_settings())
    return recorder.sent


def test_a_reception_is_handed_over_with_the_code_status_and_due_moment(world: World) -> None:
    dossier = receive_walk_in(world)

    [message] = deliver()

    assert message.topic == "dossier.received"
    assert message.payload["dossier"] == dossier.code
    assert message.payload["status"] == dossier.status
    assert message.payload["due_at"] == timezone.localtime(dossier.due_at).isoformat()
    assert OutboxMessage.objects.get().state == "delivered"


def test_each_action_is_handed_over_once_in_the_order_it_happened(world: World) -> None:
    dossier = drive(world, "processing", start=MONDAY)

    sent = deliver()

    assert [m.payload["action"] for m in sent] == ["submit", "receive"]
    assert sent[-1].payload["dossier"] == dossier.code
    assert deliver() == []
