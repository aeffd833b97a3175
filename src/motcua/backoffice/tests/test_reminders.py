"""The officers' morning reminders (`backoffice.reminders`): work at their step coming due,
and for leaders the letters of apology due the day before."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings

from motcua.accounts.exceptions import AccountError
from motcua.accounts.models import OfficerPreferences
from motcua.accounts.services import officer_reminders_set
from motcua.backoffice.reminders import reminders_job, send_reminders
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import MONDAY, World, at, drive
from motcua.integrations.models import SentNotice
from motcua.integrations.tests.fakes import Inbox


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    cache.clear()  # the days marked done
    yield Inbox()
    cache.clear()


@pytest.fixture
def due_thursday(world: World) -> Dossier:
    """Received at the counter on Monday 9:00, at the specialist's step, due Thursday 12/03
    09:00; the specialist and the ward's leader have e-mail addresses."""
    User.objects.filter(pk=world.specialist.pk).update(email="tuphap@example.vn")
    User.objects.filter(pk=world.leader.pk).update(email="lanhdao@example.vn")
    dossier = drive(world, Status.PROCESSING, walk_in=True, start=MONDAY)
    assert dossier.due_at == at(12, 9)
    return dossier


def send(inbox: Inbox, moment: dt.datetime) -> int:
    return send_reminders(now=moment, backend=lambda: inbox)


def test_the_specialist_is_reminded_once_of_a_dossier_coming_due(
    world: World, due_thursday: Dossier, inbox: Inbox
) -> None:
    assert send(inbox, at(10, 6, 59)) == 0  # before 7:00

    assert send(inbox, at(10, 7, 30)) == 1

    [(address, subject, text)] = inbox.email
    assert address == "tuphap@example.vn"
    assert subject == "Nhắc việc: 1 hồ sơ sắp đến hạn hoặc quá hạn"
    assert f"- {due_thursday.code}: 09:00 12/03/2026" in text
    assert f"/office/dossiers/{due_thursday.code}/" in text
    assert send(inbox, at(10, 9)) == 0  # once a day
    cache.clear()  # even when the day's mark is lost
    assert send(inbox, at(10, 9, 15)) == 0 and len(inbox.email) == 1
    assert SentNotice.objects.get().key == f"reminder:2026-03-10:{world.specialist.pk}"
    assert "/office/reminders/" in text  # where to take them another way


def test_the_leader_is_reminded_of_the_apology_the_day_before(
    world: World, due_thursday: Dossier, inbox: Inbox
) -> None:
    send(inbox, at(10, 8))
    assert [address for address, _s, _t in inbox.email] == ["tuphap@example.vn"]

    send(inbox, at(11, 8))  # Wednesday: due tomorrow, no apology yet

    [(subject, text)] = [(s, t) for a, s, t in inbox.email if a == "lanhdao@example.vn"]
    assert subject == "Nhắc việc: 1 hồ sơ cần xem xét phiếu xin lỗi"
    assert "chưa có phiếu xin lỗi" in text and due_thursday.code in text

    services.dossier_apologise_and_extend(
        actor=world.leader,
        code=due_thursday.code,
        reason="Chờ xác minh",
        new_due_at=at(17, 16),
        now=at(11, 9),
    )
    before = len(inbox.email)
    send(inbox, at(12, 8))  # Thursday: apologised, so no letter asked for
    thursday = inbox.email[before:]
    assert [address for address, _s, _t in thursday] == ["tuphap@example.vn"]


def test_no_reminders_on_a_day_off_or_for_work_not_coming_due(
    due_thursday: Dossier, inbox: Inbox
) -> None:
    assert send(inbox, at(14, 8)) == 0  # Saturday
    assert send(inbox, at(9, 8)) == 0  # Monday: due Thursday, beyond two working days
    assert inbox.email == []


def test_a_refused_mail_is_tried_again_at_the_next_run(due_thursday: Dossier, inbox: Inbox) -> None:
    inbox.down = {"email"}
    assert send(inbox, at(10, 8)) == 0
    assert not SentNotice.objects.exists()
    inbox.down = set()
    assert send(inbox, at(10, 8, 15)) == 1
    notice = SentNotice.objects.get()
    assert notice.key.startswith("reminder:2026-03-10:") and notice.recipient == "t*****@example.vn"


@override_settings(MOTCUA_OFFICER_REMINDERS="0")
def test_the_job_can_be_turned_off(due_thursday: Dossier) -> None:
    assert reminders_job() == ""


def test_an_officer_may_take_them_by_sms_instead(
    world: World, due_thursday: Dossier, inbox: Inbox
) -> None:
    officer_reminders_set(
        user=world.specialist, reminders="sms", phone="+84 912 000 111", now=at(9, 17)
    )

    assert send(inbox, at(10, 7, 30)) == 1

    assert inbox.email == []
    [(phone, text)] = inbox.sms
    assert phone == "0912000111"
    assert text.startswith("Nhac viec: 1 ho so tai buoc cua ban sap den han")  # no marks
    assert f"{due_thursday.code}, 09:00 12/03" in text and text.endswith("/office/")
    assert inbox.sms_keys == [f"reminder:2026-03-10:{world.specialist.pk}"]
    notice = SentNotice.objects.get()
    assert (notice.channel, notice.recipient) == ("sms", "091*****11")


def test_an_officer_may_turn_them_off_and_one_without_an_address_gets_none(
    world: World, due_thursday: Dossier, inbox: Inbox
) -> None:
    officer_reminders_set(user=world.specialist, reminders="off", now=at(9, 17))
    User.objects.filter(pk=world.leader.pk).update(email="")

    assert send(inbox, at(11, 8)) == 0  # the leader has an apology due, but no address

    assert inbox.email == [] and inbox.sms == []
    officer_reminders_set(user=world.leader, reminders="sms", phone="0987654321", now=at(11, 8, 30))
    cache.clear()  # the day's pass was complete before the leader chose SMS
    assert send(inbox, at(11, 9)) == 1 and inbox.sms[0][0] == "0987654321"


@pytest.mark.parametrize(
    ("reminders", "phone", "email", "error"),
    [
        ("sms", "", "a@example.vn", "InvalidPhone"),
        ("sms", "0123", "a@example.vn", "InvalidPhone"),
        ("email", "", "", "AccountError"),
        ("weekly", "", "a@example.vn", "AccountError"),
    ],
)
def test_a_choice_that_cannot_work_is_refused(
    world: World, reminders: str, phone: str, email: str, error: str
) -> None:
    User.objects.filter(pk=world.specialist.pk).update(email=email)
    user = User.objects.get(pk=world.specialist.pk)
    with pytest.raises(AccountError) as caught:
        officer_reminders_set(user=user, reminders=reminders, phone=phone, now=at(9, 17))
    assert type(caught.value).__name__ == error and str(caught.value.message)
    assert not OfficerPreferences.objects.exists()


def test_the_officer_chooses_on_the_reminders_page(world: World, client: Client) -> None:
    User.objects.filter(pk=world.specialist.pk).update(email="tuphap@example.vn")
    client.force_login(world.specialist)
    page = client.get("/office/reminders/").content.decode()
    assert "tuphap@example.vn" in page
    assert re.search(r'<input[^>]*value="email"[^>]*checked', page)  # the default

    refused = client.post("/office/reminders/", {"reminders": "sms", "phone": ""})
    assert refused.status_code == 400
    assert "cần số điện thoại di động" in refused.content.decode()

    saved = client.post("/office/reminders/", {"reminders": "sms", "phone": "0912 000 111"})
    assert saved.status_code == 302 and saved["Location"] == "/office/reminders/"
    preferences = OfficerPreferences.objects.get(user=world.specialist)
    assert (preferences.reminders, preferences.phone) == ("sms", "0912000111")
    assert "0912000111" in client.get("/office/reminders/").content.decode()


def test_an_administrator_may_set_them_for_an_officer(world: World, admin_client: Client) -> None:
    url = "/admin/accounts/officerpreferences/add/"
    assert admin_client.get(url).status_code == 200
    without_phone = admin_client.post(url, {"user": world.specialist.pk, "reminders": "sms"})
    assert without_phone.status_code == 200  # the form again, with the error
    assert not OfficerPreferences.objects.exists()

    admin_client.post(url, {"user": world.specialist.pk, "reminders": "off"})

    assert OfficerPreferences.objects.get().reminders == "off"
    assert admin_client.get("/admin/accounts/officerpreferences/").status_code == 200
