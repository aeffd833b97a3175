"""A synthetic history of the demo province: millions of dossiers with every event, fast.

`generate_history` fills the database (after `motcua demo`) with dossiers received over the
demo catalogue and agencies during a window of years ending on a given day: a channel mix
that moves online over the years, seasonality by month, fewer receptions right after long
holidays (Tết) and none on days off (each handling agency's working calendar decides), most
dossiers early or on time and a few per cent late (most of those with an apology), supplement
requests (a few with a second one), consultations, payments of fee-bearing procedures,
rejections, withdrawals, refusals at reception, and the recent part still in progress.

Each dossier is simulated by `_Sim`, whose methods mirror the services of
`dossiers/services.py` one for one (same transitions checked in `domain.lifecycle`, same
moments from `domain.deadlines` under the handling agency's calendar, same event shapes and
payloads, same current-state columns), then written in bulk: `COPY` on PostgreSQL, batched
`executemany` elsewhere. Dossier codes follow `<agency code>-<YYMMDD>-<NNNN>` in reception
order per agency and day, continuing `DossierCodeSequence` (which is updated, so a later real
reception takes the next number).

Not written: outbox messages. The history's hand-offs to other systems are long delivered;
queuing them again would flood the national portal and the notification channels.

Deterministic: the same seed, window and database state give the same rows, whatever the
number of worker processes. Days are generated in chunks (one transaction each, ids reserved
per chunk), so memory stays bounded and chunks can be written in parallel. The history
starts no earlier than the demo catalogue is in force (1/7/2025): a dossier keeps the
procedure version in force at its reception, and the demo has no earlier versions."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import multiprocessing
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import Max, Min

from motcua.agencies.models import Agency, Membership, Role
from motcua.calendars.selectors import calendar_for
from motcua.domain import deadlines, lifecycle
from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.lifecycle import Action, Status
from motcua.dossiers.models import Consultation, Dossier, DossierCodeSequence, DossierEvent
from motcua.national.models import NationalSync
from motcua.procedures.models import (
    Channel,
    FeeKind,
    OnlineLevel,
    ProcedureVersion,
    RequiredDocument,
)

__all__ = ["DemoMissing", "HistoryResult", "generate_history"]

DEMO_PROVINCE = "H99"
HANDOVER_CUTOFF = dt.time(15, 0)  # as in dossiers.services
_S = 1_000_000  # microseconds per second
_HOUR = 3600 * _S
_DAY = 8 * _HOUR  # one working day

# Relative volumes of the demo procedures (civil status, certification, residence and
# identity cards dominate a province's one-stop desks); others get 1.
PROCEDURE_WEIGHTS: dict[str, float] = {
    "2.000815": 14.0,  # chứng thực bản sao
    "2.000884": 5.0,  # chứng thực chữ ký
    "1.001193": 6.0,  # khai sinh
    "1.014061": 6.0,  # căn cước
    "1.004194": 5.0,  # tạm trú
    "1.004222": 4.0,  # thường trú
    "1.010041": 4.0,  # xác nhận cư trú
    "2.000635": 4.0,  # trích lục hộ tịch
    "1.004873": 3.0,  # xác nhận tình trạng hôn nhân
    "1.000894": 2.0,  # kết hôn
    "1.000656": 1.5,  # khai tử
    "1.013978": 3.0,  # đăng ký đất đai lần đầu
    "1.013992": 2.5,  # biến động đất đai
    "3.000333": 3.0,  # lý lịch tư pháp
    "1.001612": 1.5,  # hộ kinh doanh
    "2.000720": 1.0,
    "2.001610": 1.0,
}
# Seasonality by month: the rush before Tết, the Tết month, the summer (school, marriage).
MONTH_FACTORS = (1.12, 0.8, 1.05, 1.0, 1.0, 1.02, 1.05, 1.0, 0.95, 1.0, 1.02, 1.1)
WEEKDAY_FACTORS = (1.15, 1.05, 1.0, 1.0, 0.9, 0.6, 0.6)
# The first working days after a break of 4 days or more (Tết, 30/4-1/5, 2/9), and the days
# just before it.
AFTER_BREAK = (0.55, 0.75, 0.9)
BEFORE_BREAK = (1.25, 1.15)
GROWTH_PER_YEAR = 0.06

P_POSTAL = 0.03
P_REFUSE_AT_RECEPTION = 0.015
P_SUPPLEMENT_AT_RECEPTION = 0.03
P_SUPPLEMENT = 0.07
P_SECOND_SUPPLEMENT = 0.12
P_ABANDON_SUPPLEMENT = 0.08
P_CONSULT = 0.05  # of procedures with a long process
P_REJECT = 0.015
P_WITHDRAW = 0.01
P_PAYMENT = 0.9  # of fee-bearing procedures (the rest paid at the counter at reception)
P_APOLOGY = 0.75  # of dossiers that will be late
P_LEFT_AWAITING = 0.4  # of online dossiers submitted on the last day
P_EARLY, P_ON_TIME = 0.72, 0.23  # planned; the rest is planned late


def online_share(day: dt.date) -> float:
    """Share of online dossiers among those that may be filed online: it grows every year."""
    years = (day - dt.date(2023, 1, 1)).days / 365.25
    return max(0.1, min(0.75, 0.2 + 0.1 * years))


class DemoMissing(Exception):
    """The demo province is not loaded (`motcua demo`)."""


@dataclass(frozen=True)
class HistoryResult:
    dossiers: int
    events: int
    consultations: int
    start: dt.date
    end: dt.date
    seconds: float = 0.0


# --- the catalogue, read once ------------------------------------------------------------


@dataclass(frozen=True)
class _Option:
    channel: str
    amount: Decimal | None
    unit: str
    fee: Decimal | None

    @property
    def has_time_limit(self) -> bool:
        return self.unit == deadlines.Unit.SAME_DAY or self.amount is not None


@dataclass(frozen=True)
class _Step:
    id: int
    position: int
    role: str
    agency_id: int
    budget_us: int


@dataclass(frozen=True)
class _Proc:
    procedure_id: int
    version_id: int
    code: str
    field: str
    effective_from: dt.date
    effective_to: dt.date | None
    agency: Agency
    options: dict[str, _Option]
    steps: tuple[_Step, ...]
    online_level: str
    consultation_counts: bool
    payment_counts: bool
    documents: tuple[int, ...]
    desk_id: int
    weight: float
    returning: tuple[_Step, ...]  # the desk's trailing steps, as services._return_steps
    by_id: dict[int, _Step]

    def option(self, channel: str) -> _Option | None:
        """As `VersionProcess.channel_option`: the channel's first option, else the
        counter's."""
        return self.options.get(channel) or self.options.get(Channel.COUNTER)


@dataclass
class _World:
    procs: list[_Proc]
    calendars: dict[int, WorkingCalendar]
    officers: dict[tuple[int, str], list[tuple[int, dt.date | None, dt.date | None, str]]]
    agency_codes: dict[int, str]
    consulted: list[Agency]
    _memo: dict[tuple[int, tuple[str, ...], dt.date], list[int]] = field(default_factory=dict)

    def officer(
        self, agency_id: int, roles: tuple[str, ...], day: dt.date, pick: int
    ) -> int | None:
        """One of the officers holding the first of `roles` that anyone holds at the agency
        on `day` (memberships are dated), chosen by `pick`; None when nobody does."""
        key = (agency_id, roles, day)
        people = self._memo.get(key)
        if people is None:
            people = self._memo[key] = self._holders(agency_id, roles, day)
        return people[pick % len(people)] if people else None

    def _holders(self, agency_id: int, roles: tuple[str, ...], day: dt.date) -> list[int]:
        for role in roles:
            people = [
                p
                for p in self.officers.get((agency_id, role), [])
                if (p[1] is None or p[1] <= day) and (p[2] is None or day <= p[2])
            ]
            if people:
                return [p[0] for p in people]
        return []

    def name(self, user_id: int | None) -> str:
        for people in self.officers.values():
            for p in people:
                if p[0] == user_id:
                    return p[3]
        return ""  # pragma: no cover - signers are looked up among officers


def _load_world() -> _World:
    province = Agency.objects.filter(code=DEMO_PROVINCE).first()
    if province is None:
        raise DemoMissing
    versions = list(
        ProcedureVersion.objects.filter(
            procedure__is_active=True, competent_agency__path__startswith=province.path
        )
        .select_related("procedure", "procedure__field", "competent_agency")
        .prefetch_related("channel_options", "steps")
        .order_by("procedure__code", "effective_from")
    )
    if not versions:
        raise DemoMissing
    documents: dict[int, list[int]] = defaultdict(list)
    for version_id, pk in RequiredDocument.objects.filter(
        version__in=versions, is_required=True
    ).values_list("version_id", "pk"):
        documents[version_id].append(pk)
    receivers = sorted(
        Membership.objects.filter(role=Role.RECEIVER, agency__path__startswith=province.path)
        .values_list("agency__code", "agency_id")
        .distinct()
    )
    procs: list[_Proc] = []
    for version in versions:
        agency = version.competent_agency
        assert agency is not None  # filtered on its path
        options: dict[str, _Option] = {}
        for o in sorted(version.channel_options.all(), key=lambda o: o.position):
            options.setdefault(
                o.channel,
                _Option(
                    o.channel,
                    o.time_limit_amount,
                    o.time_limit_unit,
                    o.fee_amount if o.fee_kind == FeeKind.AMOUNT else None,
                ),
            )
        steps = tuple(
            _Step(
                s.pk,
                s.position,
                s.role,
                s.agency_id or agency.pk,
                int(s.budget_hours * 3600) * _S,
            )
            for s in sorted(version.steps.all(), key=lambda s: s.position)
        )
        last = max((s.position for s in steps if s.role != Role.RECEIVER), default=None)
        returning = () if last is None else tuple(s for s in steps if s.position > last)
        desk = next((s.agency_id for s in steps if s.role == Role.RECEIVER), None)
        if desk is None:
            desk = receivers[0][1] if receivers else agency.pk
        procs.append(
            _Proc(
                procedure_id=version.procedure_id,
                version_id=version.pk,
                code=version.procedure.code,
                field=version.procedure.field.name if version.procedure.field else "",
                effective_from=version.effective_from,
                effective_to=version.effective_to,
                agency=agency,
                options=options,
                steps=steps,
                online_level=version.online_level,
                consultation_counts=version.consultation_counts_toward_deadline,
                payment_counts=version.payment_counts_toward_deadline,
                documents=tuple(sorted(documents[version.pk])),
                desk_id=desk,
                weight=PROCEDURE_WEIGHTS.get(version.procedure.code, 1.0),
                returning=returning,
                by_id={s.id: s for s in steps},
            )
        )
    officers: dict[tuple[int, str], list[tuple[int, dt.date | None, dt.date | None, str]]] = (
        defaultdict(list)
    )
    for m in (
        Membership.objects.filter(agency__path__startswith=province.path)
        .select_related("user")
        .order_by("user__username", "pk")
    ):
        full = f"{m.user.last_name} {m.user.first_name}".strip()
        officers[(m.agency_id, m.role)].append((m.user_id, m.valid_from, m.valid_to, full))
    agencies = {a.pk: a for a in province.subtree()}
    calendars = {pk: calendar_for(a) for pk, a in agencies.items()}
    # Agencies asked for opinions: departments and other bodies with officers to reply.
    step_roles = {Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER}
    consulted = [
        a
        for a in agencies.values()
        if a.level in ("department", "other") and any((a.pk, r) in officers for r in step_roles)
    ]
    return _World(
        procs=procs,
        calendars=calendars,
        officers=dict(officers),
        agency_codes={pk: a.code for pk, a in agencies.items()},
        consulted=sorted(consulted, key=lambda a: a.code),
    )


# --- one dossier, mirroring dossiers.services ----------------------------------------------


class _Stop(Exception):
    """The next action would happen after the end of the history."""


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).isoformat()


@dataclass
class _Sim:
    """The current-state columns of one dossier and its events, changed exactly as the
    services change them."""

    proc: _Proc
    cal: WorkingCalendar
    end: dt.datetime
    next_consultation: Callable[[], int]
    codes: dict[int, str]
    row: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    consultations: list[dict[str, Any]] = field(default_factory=list)
    last: dt.datetime | None = None

    # machinery

    def _act(self, action: Action, at: dt.datetime) -> Status:
        """The status after `action` (IllegalTransition if the law forbids it), or _Stop
        when `at` is past the end of the history."""
        if at > self.end:
            raise _Stop
        if self.last is not None and at < self.last:
            raise AssertionError("events out of order")
        status = Status(self.row["status"]) if self.row.get("status") else None
        return lifecycle.transition(status, action)

    def _event(
        self,
        action: Action,
        at: dt.datetime,
        *,
        actor: int | None,
        actor_agency: int | None,
        from_status: str,
        from_step: int | None = None,
        from_agency: int | None = None,
        note: str = "",
        payload: dict[str, Any] | None = None,
    ) -> None:
        r = self.row
        self.events.append(
            {
                "action": action.value,
                "at": at,
                "actor_id": actor,
                "actor_agency_id": actor_agency,
                "from_status": from_status,
                "to_status": r["status"],
                "from_step_id": from_step,
                "to_step_id": r["current_step_id"],
                "from_agency_id": from_agency,
                "to_agency_id": r["current_agency_id"],
                "to_assignee_id": r["assignee_id"],
                "to_due_at": r["due_at"],
                "note": note,
                "payload": payload or {},
            }
        )
        r["updated_at"] = at
        self.last = at

    def _finish(
        self,
        action: Action,
        at: dt.datetime,
        target: Status,
        *,
        actor: int | None,
        actor_agency: int | None,
        before: tuple[str, int | None, int | None],
        note: str = "",
        payload: dict[str, Any] | None = None,
    ) -> None:
        self.row["status"] = target.value
        self._event(
            action,
            at,
            actor=actor,
            actor_agency=actor_agency,
            from_status=before[0],
            from_step=before[1],
            from_agency=before[2],
            note=note,
            payload=payload,
        )

    def _before(self) -> tuple[str, int | None, int | None]:
        r = self.row
        return r["status"], r["current_step_id"], r["current_agency_id"]

    def _enter_step(self, step: _Step | None, at: dt.datetime) -> None:
        r = self.row
        r["current_step_id"] = step.id if step else None
        r["current_agency_id"] = step.agency_id if step else self.proc.agency.pk
        r["assignee_id"] = None
        r["step_started_at"] = at
        r["step_due_at"] = (
            self.cal.add_working_microseconds(at, step.budget_us) if step is not None else None
        )

    def _step(self) -> _Step | None:
        step_id = self.row["current_step_id"]
        return None if step_id is None else self.proc.by_id[step_id]

    def return_steps(self) -> tuple[_Step, ...]:
        return self.proc.returning

    def _enter_return_step(self, at: dt.datetime) -> None:
        current = self._step()
        position = current.position if current else 0
        step = next((s for s in self.return_steps() if s.position > position), None)
        if step is not None:
            self._enter_step(step, at)

    def _paused_in(self, status: Status) -> bool:
        return lifecycle.is_clock_paused(
            status,
            consultation_counts=self.proc.consultation_counts,
            payment_counts=self.proc.payment_counts,
        )

    def _pause(self, at: dt.datetime) -> None:
        if self.row["paused_since"] is None:
            self.row["paused_since"] = at

    def _resume(self, at: dt.datetime) -> None:
        r = self.row
        if r["paused_since"] is None:
            return
        paused = self.cal.working_microseconds_between(r["paused_since"], at)
        shift = paused // _S * _S
        if r["due_at"] is not None:
            r["due_at"] = self.cal.add_working_microseconds(r["due_at"], shift)
        if r["step_due_at"] is not None:
            r["step_due_at"] = self.cal.add_working_microseconds(r["step_due_at"], shift)
        r["paused_seconds"] += shift // _S
        r["paused_since"] = None

    def _finish_handling(self, at: dt.datetime) -> None:
        r = self.row
        self._resume(at)
        r["finished_at"] = at
        if r["due_at"] is not None:
            r["timeliness"] = deadlines.timeliness(at, r["due_at"]).value

    # the actions

    def submit(self, at: dt.datetime) -> None:
        target = self._act(Action.SUBMIT, at)
        self.row["status"] = target.value
        self.row["submitted_at"] = at
        self.row["created_at"] = at
        self._event(Action.SUBMIT, at, actor=None, actor_agency=None, from_status="")

    def receive(self, at: dt.datetime, *, actor: int | None) -> None:
        target = self._act(Action.RECEIVE, at)
        r, cal, proc = self.row, self.cal, self.proc
        from_status = r["status"]
        if not from_status:
            r["submitted_at"] = at
            r["created_at"] = at
        r["receiving_unit_id"] = proc.desk_id
        r["received_at"] = at
        option = proc.option(r["channel"])
        if option is not None and option.has_time_limit:
            r["time_limit_amount"] = option.amount
            r["time_limit_unit"] = option.unit
            r["due_at"] = deadlines.due_at(at, option.amount or Decimal(0), option.unit, cal)
            r["initial_due_at"] = r["due_at"]
        local = at.astimezone(VN_TZ)
        if local.time() > HANDOVER_CUTOFF or not cal.is_working_day(local.date()):
            next_day = cal.next_working_day(local.date())
            handover = cal.next_working_instant(
                dt.datetime.combine(next_day, dt.time(0, 0), tzinfo=VN_TZ)
            )
        else:
            handover = cal.next_working_instant(at)
        r["handed_over_at"] = handover
        steps = proc.steps
        first = next((s for s in steps if s.role != Role.RECEIVER), steps[0] if steps else None)
        self._enter_step(first, handover)
        r["status"] = target.value
        self._event(
            Action.RECEIVE,
            at,
            actor=actor,
            actor_agency=proc.desk_id,
            from_status=from_status,
            payload={"handed_over_at": _iso(handover)},
        )

    def reception_outcome(
        self, action: Action, at: dt.datetime, *, actor: int | None, reasons: str, items: list[str]
    ) -> None:
        target = self._act(action, at)
        before = (self.row["status"], None, None)
        self.row["receiving_unit_id"] = self.proc.desk_id
        self.row["finished_at"] = at
        self._finish(
            action,
            at,
            target,
            actor=actor,
            actor_agency=self.proc.desk_id,
            before=before,
            note=reasons,
            payload={"items": items},
        )

    def forward(self, at: dt.datetime, *, actor: int | None) -> None:
        target = self._act(Action.FORWARD, at)
        before = self._before()
        current = self._step()
        position = current.position if current else 0
        returning = self.return_steps()
        following = [s for s in self.proc.steps if s.position > position and s not in returning]
        self._enter_step(following[0], at)
        self._finish(Action.FORWARD, at, target, actor=actor, actor_agency=before[2], before=before)

    def request_supplement(
        self, at: dt.datetime, *, actor: int | None, items: list[str], reasons: str, second: str
    ) -> None:
        target = self._act(Action.REQUEST_SUPPLEMENT, at)
        before = self._before()
        self.row["supplement_count"] += 1
        self._pause(at)
        self._finish(
            Action.REQUEST_SUPPLEMENT,
            at,
            target,
            actor=actor,
            actor_agency=before[2],
            before=before,
            note=reasons,
            payload={
                "items": items,
                "second_reason": second,
                "repeated": self.row["supplement_count"] > 1,
            },
        )

    def supplement(self, at: dt.datetime, *, actor: int | None) -> None:
        target = self._act(Action.SUPPLEMENT, at)
        before = self._before()
        self._resume(at)
        self._finish(
            Action.SUPPLEMENT,
            at,
            target,
            actor=actor,
            actor_agency=self.proc.desk_id,
            before=before,
            payload={"documents": []},
        )

    def consult(
        self, at: dt.datetime, *, actor: int | None, agency: Agency, question: str, days: int
    ) -> dict[str, Any]:
        target = self._act(Action.CONSULT, at)
        before = self._before()
        due = deadlines.due_at(at, Decimal(days), deadlines.Unit.WORKING_DAY, self.cal)
        consultation = {
            "id": self.next_consultation(),
            "agency_id": agency.pk,
            "question": question,
            "requested_at": at,
            "due_at": due,
            "replied_at": None,
            "reply": "",
            "agreed": None,
            "deemed_agreed": False,
            "closed_at": None,  # never withdrawn nor rejected while consulting here
            "replied_by_id": None,
        }
        self.consultations.append(consultation)
        if self._paused_in(Status.CONSULTING):
            self._pause(at)
        self._finish(
            Action.CONSULT,
            at,
            target,
            actor=actor,
            actor_agency=before[2],
            before=before,
            note=question,
            payload={"agencies": [agency.code], "due_at": _iso(due)},
        )
        return consultation

    def reply(
        self, at: dt.datetime, consultation: dict[str, Any], *, actor: int | None, reply: str
    ) -> None:
        self._act(Action.REPLY_CONSULTATION, at)
        before = self._before()
        consultation.update(agreed=True, reply=reply, replied_at=at, replied_by_id=actor)
        still_open = any(c["replied_at"] is None for c in self.consultations)
        target = Status.CONSULTING if still_open else Status.PROCESSING
        if not still_open:
            self._resume(at)
        agency = consultation["agency_id"]
        self._finish(
            Action.REPLY_CONSULTATION,
            at,
            target,
            actor=actor,
            actor_agency=agency,
            before=before,
            note=reply,
            payload={
                "consultation": consultation["id"],
                "agency": self.codes[agency],
                "agreed": True,
                "deemed": False,
                "late": at > consultation["due_at"],
            },
        )

    def request_payment(
        self, at: dt.datetime, *, actor: int | None, amount: Decimal, description: str
    ) -> None:
        target = self._act(Action.REQUEST_PAYMENT, at)
        before = self._before()
        if self._paused_in(Status.AWAITING_PAYMENT):
            self._pause(at)
        self._finish(
            Action.REQUEST_PAYMENT,
            at,
            target,
            actor=actor,
            actor_agency=before[2],
            before=before,
            note=description,
            payload={"amount": str(amount)},
        )

    def confirm_payment(self, at: dt.datetime, *, actor: int | None, reference: str) -> None:
        target = self._act(Action.CONFIRM_PAYMENT, at)
        before = self._before()
        self._resume(at)
        self._finish(
            Action.CONFIRM_PAYMENT,
            at,
            target,
            actor=actor,
            actor_agency=self.proc.desk_id,
            before=before,
            note=reference,
            payload={"reference": reference},
        )

    def apologise(
        self, at: dt.datetime, *, actor: int | None, reason: str, new_due: dt.datetime
    ) -> bool:
        r = self.row
        if r["due_at"] is None or new_due <= r["due_at"] or new_due <= at:
            return False
        if r["extended_due_at"] is not None and new_due <= r["extended_due_at"]:
            return False
        target = self._act(Action.APOLOGISE_AND_EXTEND, at)
        before = self._before()
        r["extended_due_at"] = new_due
        self._finish(
            Action.APOLOGISE_AND_EXTEND,
            at,
            target,
            actor=actor,
            actor_agency=self.proc.agency.pk,
            before=before,
            note=reason,
            payload={"original_due_at": _iso(r["due_at"]), "new_due_at": _iso(new_due)},
        )
        return True

    def reject(self, at: dt.datetime, *, actor: int | None, reasons: str) -> None:
        target = self._act(Action.REJECT, at)
        before = self._before()
        self._finish_handling(at)
        self._enter_return_step(at)
        self._finish(
            Action.REJECT, at, target, actor=actor, actor_agency=before[2], before=before,
            note=reasons,
        )  # fmt: skip

    def withdraw(self, at: dt.datetime, *, actor: int | None, reason: str) -> None:
        target = self._act(Action.WITHDRAW, at)
        before = self._before()
        self._finish_handling(at)
        self._finish(
            Action.WITHDRAW, at, target, actor=actor, actor_agency=self.proc.desk_id,
            before=before, note=reason,
        )  # fmt: skip

    def resolve(
        self, at: dt.datetime, *, actor: int | None, number: str, signer: str, electronic: bool
    ) -> None:
        target = self._act(Action.RESOLVE, at)
        before = self._before()
        r = self.row
        r["result_number"] = number
        r["result_signer"] = signer
        r["result_date"] = at.astimezone(VN_TZ).date()
        r["result_electronic"] = electronic
        self._finish_handling(at)
        self._enter_return_step(at)
        self._finish(
            Action.RESOLVE,
            at,
            target,
            actor=actor,
            actor_agency=before[2],
            before=before,
            payload={"number": number, "electronic": electronic},
        )

    def return_result(
        self, at: dt.datetime, *, actor: int | None, channel: str, collected_by: str
    ) -> None:
        target = self._act(Action.RETURN_RESULT, at)
        before = self._before()
        r = self.row
        r["returned_at"] = at
        r["return_channel"] = channel
        r["collected_by"] = collected_by
        self._finish(
            Action.RETURN_RESULT,
            at,
            target,
            actor=actor,
            actor_agency=self.proc.desk_id,
            before=before,
            payload={"channel": channel},
        )


# --- people --------------------------------------------------------------------------------

_FAMILY: tuple[str, ...] = (
    *("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"),
    *("Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Cao"),
)
_FAMILY_WEIGHTS = (38, 11, 9, 7, 5, 4, 4, 4, 3, 2, 2, 2, 1.5, 1.5, 1, 1, 1, 1, 1, 1)
_FAMILY_CUMULATIVE = tuple(itertools.accumulate(_FAMILY_WEIGHTS))
_MIDDLE = (("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành"), ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ"))
_GIVEN = (
    ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân"),
    ("Anh", "Chi", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Trang"),
)
_PLACES = (
    "phường Hồng Châu",
    "xã Tân Lập",
    "xã Phú Thịnh",
)
_STREETS = ("Lê Lợi", "Hùng Vương", "Nguyễn Trãi", "Trần Hưng Đạo", "Lạc Long Quân")
_ORGANISATION_PROCEDURES = {"1.001612", "2.000720", "2.001610"}


def _person(rng: random.Random, day: dt.date) -> tuple[str, str, str, str]:
    female = rng.random() < 0.5
    name = " ".join(
        (
            rng.choices(_FAMILY, cum_weights=_FAMILY_CUMULATIVE)[0],
            rng.choice(_MIDDLE[female]),
            rng.choice(_GIVEN[female]),
        )
    )
    born = day.year - rng.randint(18, 75)
    century = (born // 100 - 19) * 2 + female
    id_number = f"0{rng.randint(1, 96):02d}{century}{born % 100:02d}{rng.randrange(10**6):06d}"
    phone = f"09{rng.randrange(10**8):08d}"
    if rng.random() < 0.5:
        address = f"Số {rng.randint(1, 300)} đường {rng.choice(_STREETS)}, phường Hồng Châu"
    else:
        address = f"Thôn {rng.randint(1, 12)}, {rng.choice(_PLACES)}"
    return name, id_number, phone, address + ", tỉnh Lạc Hồng"


# --- the days ------------------------------------------------------------------------------


def _day_weights(days: list[dt.date], cal: WorkingCalendar) -> np.ndarray:
    """Relative reception volume of each day: 0 on days off; by month, weekday and a yearly
    growth; lower on the first working days after a break of more than 4 days (Tết, the
    30/4-1/5 and 2/9 holidays) and higher just before it."""
    margin = dt.timedelta(days=30)
    span = (days[-1] - days[0] + 2 * margin).days + 1
    working = [
        d
        for d in (days[0] - margin + dt.timedelta(days=i) for i in range(span))
        if cal.is_working_day(d)
    ]
    factor: dict[dt.date, float] = {}
    for j in range(1, len(working)):
        if (working[j] - working[j - 1]).days > 4:
            for k, f in enumerate(AFTER_BREAK):
                if j + k < len(working):
                    factor[working[j + k]] = factor.get(working[j + k], 1.0) * f
            for k, f in enumerate(BEFORE_BREAK):
                if j - 1 - k >= 0:
                    factor[working[j - 1 - k]] = factor.get(working[j - 1 - k], 1.0) * f
    worked = set(working)
    weights = np.zeros(len(days))
    for i, day in enumerate(days):
        if day in worked:
            weights[i] = (
                MONTH_FACTORS[day.month - 1]
                * WEEKDAY_FACTORS[day.weekday()]
                * (1 + GROWTH_PER_YEAR) ** ((day - days[0]).days / 365.25)
                * factor.get(day, 1.0)
            )
    return weights


# --- generation ----------------------------------------------------------------------------


@dataclass
class _Ids:
    dossier: int
    event: int
    consultation: int


def _moment_in_sessions(cal: WorkingCalendar, day: dt.date, rng: random.Random) -> dt.datetime:
    sessions = cal.sessions_on(day)
    spans = [
        (
            s.start.hour * 3600 + s.start.minute * 60 + s.start.second,
            s.end.hour * 3600 + s.end.minute * 60 + s.end.second,
        )
        for s in sessions
    ]
    total = sum(b - a for a, b in spans)
    offset = rng.randrange(total)
    for a, b in spans:
        if offset < b - a:
            second = a + offset
            break
        offset -= b - a
    return dt.datetime.combine(day, dt.time(0), tzinfo=VN_TZ) + dt.timedelta(seconds=second)


class _Generator:
    def __init__(
        self, world: _World, *, seed: int, start: dt.date, end: dt.date, end_moment: dt.datetime
    ) -> None:
        self.world = world
        self.seed = seed
        self.start = start
        self.end = end
        self.end_moment = end_moment

    def adv(self, cal: WorkingCalendar, at: dt.datetime, micros: float) -> dt.datetime:
        """`at` plus working time (at least a minute, in whole seconds)."""
        amount = max(60 * _S, int(micros) // _S * _S)
        return cal.add_working_microseconds(at, amount)

    def day(self, day: dt.date, count: int, ids: _Ids) -> list[_Sim]:
        rng = random.Random(self.seed * 1_000_003 + day.toordinal())
        world = self.world
        procs = [
            p
            for p in world.procs
            if p.effective_from <= day
            and (p.effective_to is None or day <= p.effective_to)
            and p.agency.is_valid_on(day)
            and world.calendars[p.agency.pk].is_working_day(day)
        ]
        if not procs:
            return []
        cumulative = list(itertools.accumulate(p.weight for p in procs))
        sims: list[_Sim] = []
        for _ in range(count):
            proc = rng.choices(procs, cum_weights=cumulative)[0]
            cal = world.calendars[proc.agency.pk]
            at = _moment_in_sessions(cal, day, rng)
            sims.append(self.dossier(proc, cal, at, day, rng, ids))
        return sims

    def channel(self, proc: _Proc, day: dt.date, rng: random.Random) -> str:
        share = 0.0
        if Channel.ONLINE in proc.options and proc.online_level != OnlineLevel.NONE:
            share = online_share(day) * (1.0 if proc.online_level == OnlineLevel.FULL else 0.6)
        x = rng.random()
        if x < share:
            return Channel.ONLINE
        if Channel.POSTAL in proc.options and x < share + P_POSTAL:
            return Channel.POSTAL
        return Channel.COUNTER

    def dossier(
        self,
        proc: _Proc,
        cal: WorkingCalendar,
        at: dt.datetime,
        day: dt.date,
        rng: random.Random,
        ids: _Ids,
    ) -> _Sim:
        world = self.world

        def next_consultation() -> int:
            ids.consultation += 1
            return ids.consultation - 1

        sim = _Sim(proc, cal, self.end_moment, next_consultation, world.agency_codes)
        channel = self.channel(proc, day, rng)
        organisation = proc.code in _ORGANISATION_PROCEDURES
        name, id_number, phone, address = _person(rng, day)
        if organisation:
            kind_name = "Hộ kinh doanh" if proc.code != "2.001610" else "Doanh nghiệp tư nhân"
            applicant_name = f"{kind_name} {name.split()[-1]} {rng.choice(_STREETS)}"
        else:
            applicant_name = name
        x = rng.random()
        if channel == Channel.ONLINE:
            wanted = "online" if x < 0.6 else "postal" if x < 0.7 else "counter"
        elif channel == Channel.POSTAL:
            wanted = "postal" if x < 0.8 else "counter"
        else:
            wanted = "counter" if x < 0.9 else "postal"
        pick = rng.randrange(1 << 30)
        sim.row = {
            "id": ids.dossier,
            "code": None,
            "lookup_token": f"{rng.getrandbits(64):016x}{ids.dossier:x}",
            "procedure_id": proc.procedure_id,
            "procedure_version_id": proc.version_id,
            "handling_agency_id": proc.agency.pk,
            "receiving_unit_id": None,
            "channel": channel,
            "applicant_kind": "organisation" if organisation else "citizen",
            "applicant_name": applicant_name,
            "applicant_id_number": id_number,
            "applicant_phone": phone,
            "applicant_email": "",
            "applicant_address": address,
            "representative_name": name if organisation else "",
            "representative_id_number": id_number if organisation else "",
            "representative_phone": "",
            "applicant_user_id": None,
            "requested_return_channel": wanted,
            "documents": list(proc.documents),
            "time_limit_amount": None,
            "time_limit_unit": "",
            "status": "",
            "current_step_id": None,
            "current_agency_id": None,
            "assignee_id": None,
            "step_started_at": None,
            "step_due_at": None,
            "submitted_at": None,
            "received_at": None,
            "handed_over_at": None,
            "initial_due_at": None,
            "due_at": None,
            "extended_due_at": None,
            "paused_since": None,
            "paused_seconds": 0,
            "supplement_count": 0,
            "finished_at": None,
            "timeliness": "",
            "returned_at": None,
            "return_channel": "",
            "collected_by": "",
            "result_number": "",
            "result_signer": "",
            "result_date": None,
            "result_electronic": False,
            "result_summary": "",
            "created_at": at,
            "updated_at": at,
        }
        ids.dossier += 1
        desk_officer = world.officer(proc.desk_id, (Role.RECEIVER,), day, pick)
        with contextlib.suppress(_Stop):  # the history ends while the dossier is open
            self.live(sim, proc, cal, at, day, rng, channel, wanted, desk_officer, pick)
        return sim

    def live(
        self,
        sim: _Sim,
        proc: _Proc,
        cal: WorkingCalendar,
        at: dt.datetime,
        day: dt.date,
        rng: random.Random,
        channel: str,
        wanted: str,
        desk: int | None,
        pick: int,
    ) -> None:
        world = self.world
        if channel != Channel.COUNTER:
            sim.submit(at - dt.timedelta(seconds=rng.randint(300, 3 * 86400)))
            x = rng.random()
            if x < P_REFUSE_AT_RECEPTION:
                sim.reception_outcome(
                    Action.REFUSE_RECEPTION,
                    at,
                    actor=desk,
                    reasons="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
                    items=[],
                )
                return
            if x < P_REFUSE_AT_RECEPTION + P_SUPPLEMENT_AT_RECEPTION:
                sim.reception_outcome(
                    Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
                    at,
                    actor=desk,
                    reasons="Hồ sơ chưa đầy đủ thành phần theo quy định",
                    items=["Bản sao giấy tờ chứng minh"],
                )
                return
            if day == self.end and channel == Channel.ONLINE and rng.random() < P_LEFT_AWAITING:
                return
        sim.receive(at, actor=desk)
        r = sim.row
        handover: dt.datetime = r["handed_over_at"]
        returning = sim.return_steps()
        first = r["current_step_id"]
        steps = [s for s in proc.steps if s not in returning]
        steps = steps[next((i for i, s in enumerate(steps) if s.id == first), 0) :]
        if not steps:
            return
        budget = sum(s.budget_us for s in steps)
        available = (
            cal.working_microseconds_between(handover, r["due_at"])
            if r["due_at"] is not None
            else budget
        )
        x = rng.random()
        plan = "early" if x < P_EARLY else "on_time" if x < P_EARLY + P_ON_TIME else "late"
        if plan == "early":
            active = available * rng.uniform(0.05, 0.7)
        elif plan == "on_time":
            active = max(available - rng.uniform(0, 3 * _HOUR), available * 0.9)
        else:
            active = available + rng.uniform(0.5 * _HOUR, 5 * _DAY)
        noise = [s.budget_us * rng.lognormvariate(0, 0.4) for s in steps]
        shares = [active * n / sum(noise) for n in noise]
        x = rng.random()
        ending = "reject" if x < P_REJECT else "withdraw" if x < P_REJECT + P_WITHDRAW else ""
        withdraw_at = rng.randrange(len(steps))
        t = handover

        def officer(step_index: int) -> int | None:
            s = steps[step_index]
            roles = (s.role,) if s.role else ("specialist", "division_head", "leader", "clerk")
            return world.officer(s.agency_id, roles, t.astimezone(VN_TZ).date(), pick)

        for i, share in enumerate(shares):
            actor = officer(i)
            if i == 0 and rng.random() < P_SUPPLEMENT:
                t = self.adv(cal, t, share * 0.3)
                share *= 0.7
                for n in range(2):
                    sim.request_supplement(
                        t,
                        actor=actor,
                        items=["Bản sao có chứng thực giấy tờ chứng minh"],
                        reasons="Hồ sơ cần bổ sung, hoàn thiện theo quy định",
                        second="Thông tin bổ sung chưa khớp với Cơ sở dữ liệu" if n else "",
                    )
                    t = self.adv(cal, t, rng.uniform(0.5, 10) * _DAY)
                    if rng.random() < P_ABANDON_SUPPLEMENT:
                        sim.withdraw(t, actor=desk, reason="Người nộp không bổ sung hồ sơ")
                        return
                    sim.supplement(t, actor=desk)
                    if rng.random() >= P_SECOND_SUPPLEMENT:
                        break
                    t = self.adv(cal, t, share * 0.2)
            if i == 0 and len(proc.steps) >= 5 and rng.random() < P_CONSULT:
                others = [a for a in world.consulted if a.pk != proc.agency.pk]
                t = self.adv(cal, t, share * 0.2)
                consultation = sim.consult(
                    t,
                    actor=actor,
                    agency=rng.choice(others),
                    question="Đề nghị cho ý kiến về hồ sơ",
                    days=5,
                )
                t = self.adv(cal, t, rng.uniform(0.5, 7) * _DAY)
                replier = world.officer(
                    consultation["agency_id"],
                    ("leader", "division_head", "specialist"),
                    t.astimezone(VN_TZ).date(),
                    pick,
                )
                sim.reply(t, consultation, actor=replier, reply="Thống nhất với nội dung hồ sơ")
            if ending == "withdraw" and i == withdraw_at:
                t = self.adv(cal, t, share * 0.5)
                sim.withdraw(t, actor=desk, reason="Người nộp đề nghị dừng giải quyết hồ sơ")
                return
            if i < len(steps) - 1:
                t = self.adv(cal, t, share)
                sim.forward(t, actor=actor)
                continue
            option = proc.option(r["channel"])
            if option is not None and option.fee and rng.random() < P_PAYMENT:
                t = self.adv(cal, t, share * 0.3)
                share *= 0.7
                sim.request_payment(
                    t, actor=actor, amount=option.fee, description="Phí, lệ phí giải quyết hồ sơ"
                )
                t = self.adv(cal, t, rng.uniform(0.1, 2) * _DAY)
                sim.confirm_payment(t, actor=desk, reference=f"BL{rng.randrange(10**7):07d}")
            finish = self.adv(cal, t, share)
            # Only the head of the handling agency signs an apology (form 04).
            leader = world.officer(proc.agency.pk, ("leader",), day, pick)
            if plan == "late" and leader is not None and rng.random() < P_APOLOGY:
                apology = self.adv(cal, t, min(share * 0.3, 2 * _HOUR))
                if apology < finish:
                    following = cal.next_working_day(finish.astimezone(VN_TZ).date())
                    sim.apologise(
                        apology,
                        actor=leader,
                        reason="Hồ sơ cần thêm thời gian xác minh",
                        new_due=cal.close_of_business(following),
                    )
            if ending == "reject":
                sim.reject(finish, actor=actor, reasons="Hồ sơ không đủ điều kiện giải quyết")
            else:
                signer = world.officer(proc.agency.pk, ("leader", "division_head"), day, pick)
                sim.resolve(
                    finish,
                    actor=actor,
                    number=f"{rng.randint(1, 9999)}/{finish.year}",
                    signer=world.name(signer) or "Lãnh đạo cơ quan",
                    electronic=wanted == "online" or rng.random() < 0.3,
                )
            t = finish
        delay = {"online": (0.05, 0.5), "postal": (0.5, 3)}.get(wanted, (0.1, 6))
        t = self.adv(cal, t, rng.uniform(*delay) * _DAY)
        sim.return_result(
            t,
            actor=desk,
            channel=wanted,
            collected_by=sim.row["applicant_name"] if wanted == "counter" else "",
        )


# --- writing -------------------------------------------------------------------------------


def _columns(model: type[Any]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _attnames(model: type[Any]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _copy_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)


def _copy_text(value: str | None) -> str:
    return "\\N" if value is None else value.translate(_COPY_ESCAPES)


def _copy_moment(value: dt.date | None) -> str:
    return "\\N" if value is None else value.isoformat()


def _copy_number(value: int | Decimal | None) -> str:
    return "\\N" if value is None else str(value)


_COPY_CONVERTERS: dict[str, Callable[[Any], str]] = {
    "JSONField": _copy_json,
    "CharField": _copy_text,
    "TextField": _copy_text,
    "EmailField": _copy_text,
    "DateTimeField": _copy_moment,
    "DateField": _copy_moment,
    "BigAutoField": _copy_number,
    "ForeignKey": _copy_number,
    "PositiveIntegerField": _copy_number,
    "PositiveBigIntegerField": _copy_number,
    "PositiveSmallIntegerField": _copy_number,
    "DecimalField": _copy_number,
}


class _Writer:
    """COPY (text format, built here: several times faster than a row at a time) on
    PostgreSQL; executemany with Django's value adaptation elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.superuser = False
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
                self.superuser = bool(row and row[0])

    def write(self, model: type[Any], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        fields = list(model._meta.concrete_fields)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            if self.postgres:
                convert = [
                    (f.attname, _COPY_CONVERTERS.get(f.get_internal_type(), _copy_value))
                    for f in fields
                ]
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for i in range(0, len(rows), 10_000):
                        copy.write(
                            "".join(
                                "\t".join([c(row[n]) for n, c in convert]) + "\n"
                                for row in rows[i : i + 10_000]
                            )
                        )
                return
            prepared = [
                [f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            for i in range(0, len(prepared), 5000):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared[i : i + 5000]
                )

    def begin(self) -> None:
        """As a superuser on PostgreSQL, skip the per-row foreign-key triggers for the
        chunk's transaction: every reference written was read from the database (catalogue,
        agencies, officers) or is a row of the chunk itself, and the triggers would make the
        bulk load about a third slower. The tables are not locked: chunks written in
        parallel would queue on the lock, so the generator is for a database no one else
        writes dossiers to meanwhile (a demo or benchmark database)."""
        if self.superuser:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(
            no_style(), [Dossier, DossierEvent, Consultation]
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _next_id(model: type[Any]) -> int:
    return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


MAX_EVENTS_PER_DOSSIER = 24
"""Event ids reserved per dossier of a chunk (the generator writes at most about 20), so
chunks written in parallel never collide; unused ids are gaps, as sequences leave anyway."""


@dataclass(frozen=True)
class _Plan:
    days: list[tuple[dt.date, int]]
    ids: _Ids

    @property
    def dossiers(self) -> int:
        return sum(count for _, count in self.days)


def _write_chunk(generator: _Generator, plan: _Plan) -> tuple[int, int, int]:
    """Generate and write the dossiers of the plan's days, in the current transaction."""
    writer = _Writer()
    writer.begin()
    ids = _Ids(plan.ids.dossier, plan.ids.event, plan.ids.consultation)
    sims: list[_Sim] = []
    for day, count in plan.days:
        sims.extend(generator.day(day, count, ids))
    # Codes in reception order per handling agency and day, after the numbers issued already.
    first, last = plan.days[0][0], plan.days[-1][0]
    issued = {
        (agency_id, day): number
        for agency_id, day, number in DossierCodeSequence.objects.filter(
            day__gte=first, day__lte=last
        ).values_list("agency_id", "day", "last_number")
    }
    numbers: dict[tuple[int, dt.date], int] = {}
    received = [s for s in sims if s.row["received_at"] is not None]
    received.sort(key=lambda s: (s.row["received_at"], s.row["id"]))
    codes = generator.world.agency_codes
    for sim in received:
        agency_id = sim.row["handling_agency_id"]
        local_day = sim.row["received_at"].astimezone(VN_TZ).date()
        key = (agency_id, local_day)
        number = numbers.get(key, issued.get(key, 0)) + 1
        numbers[key] = number
        sim.row["code"] = f"{codes[agency_id]}-{local_day:%y%m%d}-{number:04d}"
    events: list[dict[str, Any]] = []
    consultations: list[dict[str, Any]] = []
    for sim in sims:
        dossier_id = sim.row["id"]
        for event in sim.events:
            event["id"] = ids.event
            event["dossier_id"] = dossier_id
            ids.event += 1
            events.append(event)
        for c in sim.consultations:
            c["dossier_id"] = dossier_id
            consultations.append(c)
    if ids.event > plan.ids.event + plan.dossiers * MAX_EVENTS_PER_DOSSIER:
        raise AssertionError("more events than reserved")  # pragma: no cover
    writer.write(Dossier, [s.row for s in sims])
    writer.write(DossierEvent, events)
    writer.write(Consultation, sorted(consultations, key=lambda c: c["id"]))
    DossierCodeSequence.objects.bulk_create(
        [DossierCodeSequence(agency_id=a, day=d, last_number=n) for (a, d), n in numbers.items()],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["agency", "day"],
        update_fields=["last_number"],
    )
    return len(sims), len(events), len(consultations)


_worker_generator: _Generator | None = None


def _run_chunk(plan: _Plan) -> tuple[int, int, int, int]:
    """One chunk in one transaction (in a worker process: on its own connection)."""
    assert _worker_generator is not None
    with transaction.atomic():
        made = _write_chunk(_worker_generator, plan)
    return (plan.dossiers, *made)


def _chunks(
    days: list[dt.date], counts: np.ndarray, size: int
) -> Iterator[list[tuple[dt.date, int]]]:
    chunk: list[tuple[dt.date, int]] = []
    total = 0
    for day, count in zip(days, counts, strict=True):
        if count == 0:
            continue
        chunk.append((day, int(count)))
        total += int(count)
        if total >= size:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def history_window(*, years: float, end: dt.date) -> tuple[dt.date, dt.date]:
    """The days of the history: `years` back from `end`, but never before the demo
    catalogue is in force (a dossier keeps the procedure version in force when received)."""
    world_start = (
        ProcedureVersion.objects.filter(
            competent_agency__path__startswith=Agency.objects.filter(code=DEMO_PROVINCE)
            .values_list("path", flat=True)
            .first()
            or "/none/"
        ).aggregate(m=Min("effective_from"))["m"]
        or end
    )
    wanted = end - dt.timedelta(days=max(1, round(years * 365.25)) - 1)
    return max(wanted, min(world_start, end)), end


# One received dossier in this many never reached the national portal (its connector was
# down, the record refused...): the 766 index's indicator 1.4 shows under 100 %.
UNSYNCED_EVERY = 40


def _mark_synced(first_id: int, end_id: int) -> None:
    """Record the received dossiers of ids [first_id, end_id) as synced to the national
    portal when received, as a deployment with the connector would have them, but one in
    `UNSYNCED_EVERY`."""
    synced, dossiers = NationalSync._meta.db_table, Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {synced} (dossier_id, first_synced_at, synced_at, status) "
            f"SELECT id, received_at, received_at, status FROM {dossiers} "
            "WHERE id >= %s AND id < %s AND received_at IS NOT NULL AND id %% %s <> 0",
            [first_id, end_id, UNSYNCED_EVERY],
        )


def generate_history(
    *,
    dossiers: int,
    years: float,
    end: dt.date,
    seed: int = 0,
    chunk_size: int = 10_000,
    workers: int = 1,
    progress: Callable[[int], Any] | None = None,
) -> HistoryResult:
    """Add about `dossiers` dossiers received from `years` before `end` to `end`
    (local dates) with all their events; the history stops at the end of `end`. One
    transaction per chunk of about `chunk_size` dossiers (whole days), in `workers`
    processes (forked; each chunk then commits on its own). Ids are reserved per chunk from
    the largest ids at the start, so no other process may write dossiers meanwhile, and the
    same seed gives the same rows whatever the number of workers. Raises DemoMissing when
    `motcua demo` was not run."""
    global _worker_generator
    if dossiers <= 0 or years <= 0:
        raise ValueError("dossiers and years must be positive")
    world = _load_world()
    start, end = history_window(years=years, end=end)
    national = calendar_for(None)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    weights = _day_weights(days, national)
    if weights.sum() == 0:
        return HistoryResult(0, 0, 0, start, end)
    counts = np.random.default_rng(seed).multinomial(dossiers, weights / weights.sum())
    end_moment = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    end_moment -= dt.timedelta(seconds=1)
    _worker_generator = _Generator(world, seed=seed, start=start, end=end, end_moment=end_moment)
    base = _Ids(_next_id(Dossier), _next_id(DossierEvent), _next_id(Consultation))
    first_id = base.dossier
    plans = []
    for chunk in _chunks(days, counts, chunk_size):
        plan = _Plan(chunk, _Ids(base.dossier, base.event, base.consultation))
        plans.append(plan)
        base.dossier += plan.dossiers
        base.event += plan.dossiers * MAX_EVENTS_PER_DOSSIER
        base.consultation += plan.dossiers
    totals = [0, 0, 0]
    results: Iterable[tuple[int, int, int, int]]
    pool = None
    if workers > 1 and len(plans) > 1:
        if connection.in_atomic_block:
            raise ValueError("parallel workers commit on their own: call outside a transaction")
        connections.close_all()  # the forked workers open their own
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap_unordered(_run_chunk, plans)
    else:
        results = map(_run_chunk, plans)
    try:
        for planned, *made in results:
            for i, n in enumerate(made):
                totals[i] += n
            if progress is not None:
                progress(planned)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    with transaction.atomic():
        _Writer().reset_sequences()
        _mark_synced(first_id, base.dossier)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics: without them the planner guesses the new rows wrong and the
        # reports over them run several times slower.
        with connection.cursor() as cursor:
            for model in (Dossier, DossierEvent, Consultation, DossierCodeSequence):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return HistoryResult(totals[0], totals[1], totals[2], start, end)
