"""Shapes of what the API reads and writes. Input schemas check shape only (types, lengths,
allowed values) and refuse unknown fields; the rules of the law stay in the services.

Text inputs are bounded by their column's length and may not hold NUL characters or lone
surrogates (PostgreSQL refuses both), so bad input is a 422, never a database error.
Moments are ISO 8601; one without an offset is Vietnam time; every moment returned is in
+07:00."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from motcua.agencies.models import AgencyLevel
from motcua.domain.agency_codes import MAX_LENGTH as AGENCY_CODE_MAX_LENGTH
from motcua.domain.deadlines import VN_TZ, Unit
from motcua.dossiers.models import ApplicantKind, ReturnChannel, Status
from motcua.procedures.models import Channel, ImplementingLevel

BIGINT_MAX = 2**63 - 1
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


# --- scalar types --------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text may not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


def _moment(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    if not EARLIEST <= value <= LATEST:
        raise ValueError(_("The moment must lie between 1970 and 2999."))
    return value


def _day(value: dt.date) -> dt.date:
    if not EARLIEST.date() <= value <= LATEST.date():
        raise ValueError(_("The date must lie between 1970 and 2999."))
    return value


def _local_iso(value: dt.datetime) -> str:
    return timezone.localtime(value, VN_TZ).isoformat()


def _text(max_length: int, min_length: int = 0) -> Any:
    return StringConstraints(strip_whitespace=True, max_length=max_length, min_length=min_length)


Text = Annotated[str, _text(10_000), AfterValidator(_clean_text)]
RequiredText = Annotated[str, _text(10_000, 1), AfterValidator(_clean_text)]
Line = Annotated[str, _text(255), AfterValidator(_clean_text)]
RequiredLine = Annotated[str, _text(255, 1), AfterValidator(_clean_text)]
AgencyCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=AGENCY_CODE_MAX_LENGTH, pattern=r"^[A-Za-z0-9.]*$"
    ),
]
ProcedureCode = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[A-Za-z0-9.\-_]*$")
]
DocumentId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
Moment = Annotated[dt.datetime, AfterValidator(_moment)]
Day = Annotated[dt.date, AfterValidator(_day)]
LocalDateTime = Annotated[dt.datetime, PlainSerializer(_local_iso, return_type=str)]


class Input(BaseModel):
    """A request body: its shape checked by pydantic, unknown fields refused."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """A response body, built by `render` from keyword arguments. A plain pydantic model:
    ninja's `Schema` would also read ORM attributes through a wrapper around every nested
    model, which costs a third of the rendering and is never needed here."""


# --- shared output pieces ------------------------------------------------------------------


class Labelled(Output):
    """A stable value for programs and its label for people."""

    value: str
    label: str


class AgencyRef(Output):
    code: str
    name: str


class ProcedureRef(Output):
    code: str
    name: str


class StepRef(Output):
    position: int
    name: str
    role: str


class UserRef(Output):
    username: str
    full_name: str


class ErrorOut(Output):
    code: str = Field(description="Stable, for programs: e.g. illegal_transition.")
    message: str = Field(description="For people, in Vietnamese unless asked otherwise.")
    details: dict[str, Any]


# --- agencies ------------------------------------------------------------------------------


class AgencyFilter(Schema):
    parent: AgencyCode | None = Field(None, description="Only the children of this agency.")
    level: AgencyLevel | None = None
    valid_on: Day | None = Field(None, description="Only agencies that existed on this day.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class AgencyOut(Output):
    code: str
    name: str
    short_name: str
    level: Labelled
    parent_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    address: str
    phone: str
    email: str


class AgencyDetailOut(AgencyOut):
    children: list[AgencyRef]


class AgencyPage(Output):
    items: list[AgencyOut]
    next_offset: int | None


# --- procedures ----------------------------------------------------------------------------


class ProcedureFilter(Schema):
    q: Annotated[str, _text(200), AfterValidator(_clean_text)] = Field(
        "", description="Words of the name (with or without diacritics) or the code's start."
    )
    field: int | None = Field(None, ge=1, le=BIGINT_MAX, description="Field id.")
    level: ImplementingLevel | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class FieldOut(Output):
    id: int
    name: str


class ProcedureSummaryOut(Output):
    code: str
    name: str
    field: FieldOut | None
    levels: list[str]


class ProcedurePage(Output):
    items: list[ProcedureSummaryOut]
    next_offset: int | None


class ChannelOptionOut(Output):
    channel: Labelled
    time_limit_amount: Decimal | None
    time_limit_unit: str
    time_limit_text: str
    fee_kind: Labelled
    fee_amount: Decimal | None
    fee_currency: str
    fee_text: str
    description: str


class DocumentOut(Output):
    id: int
    position: int
    case: str
    name: str
    originals: int
    copies: int
    form: Labelled
    template_name: str
    is_eform: bool
    is_required: bool


class StepOut(Output):
    position: int
    name: str
    role: str
    agency: AgencyRef | None
    budget_hours: Decimal


class VersionOut(Output):
    effective_from: dt.date
    effective_to: dt.date | None
    publishing_decision: str
    competent_authority: str
    competent_agency: AgencyRef | None
    result_type: Labelled
    online_level: Labelled
    consultation_counts_toward_deadline: bool
    payment_counts_toward_deadline: bool
    legal_basis: list[Any]
    channels: list[ChannelOptionOut]
    documents: list[DocumentOut]
    steps: list[StepOut]


class ProcedureOut(ProcedureSummaryOut):
    current_version: VersionOut | None


# --- dossiers: reading ---------------------------------------------------------------------


class DossierFilterIn(Schema):
    status: Status | None = None
    agency: AgencyCode | None = Field(None, description="Handling or current agency code.")
    procedure: ProcedureCode | None = None
    channel: Channel | None = None
    due_before: Moment | None = None
    due_after: Moment | None = None
    overdue: bool = Field(False, description="Only open dossiers past their due moment.")
    cursor: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="`next_cursor` of the previous page."
    )
    limit: int = Field(50, ge=1, le=200)


class DossierSummaryOut(Output):
    reference: str = Field(description="The code, or the submission number before reception.")
    code: str | None
    status: Labelled
    procedure: ProcedureRef
    handling_agency: AgencyRef
    current_agency: AgencyRef | None
    current_step: StepRef | None
    assignee: UserRef | None
    channel: Labelled
    applicant_name: str
    submitted_at: LocalDateTime | None
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    extended_due_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    returned_at: LocalDateTime | None
    paused: bool
    timeliness: Labelled | None


class DossierPage(Output):
    items: list[DossierSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class ApplicantOut(Output):
    kind: Labelled
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    representative_name: str
    representative_id_number: str
    representative_phone: str


class TimeLimitOut(Output):
    amount: Decimal | None
    unit: str


class ResultOut(Output):
    number: str
    signer: str
    date: dt.date | None
    electronic: bool
    summary: str


class ConsultationOut(Output):
    id: int
    agency: AgencyRef
    question: str
    requested_at: LocalDateTime
    due_at: LocalDateTime
    replied_at: LocalDateTime | None
    reply: str
    agreed: bool | None
    deemed_agreed: bool
    closed_at: LocalDateTime | None = Field(
        description="Set when handling ended (rejected, withdrawn) before the reply came."
    )


class DossierOut(DossierSummaryOut):
    lookup_token: str = Field(description="The second factor printed in the receipt's QR.")
    receiving_unit: AgencyRef | None
    applicant: ApplicantOut
    requested_return_channel: Labelled
    documents: list[int]
    time_limit: TimeLimitOut | None
    handed_over_at: LocalDateTime | None
    initial_due_at: LocalDateTime | None
    step_due_at: LocalDateTime | None
    paused_since: LocalDateTime | None
    supplement_count: int
    result: ResultOut | None
    return_channel: Labelled | None
    collected_by: str
    consultations: list[ConsultationOut]
    allowed_actions: list[str] = Field(
        description="What the law allows now and your role lets you do; the action itself "
        "may still refuse incomplete input."
    )


class EventOut(Output):
    id: int
    action: Labelled
    at: LocalDateTime
    actor: UserRef | None
    actor_agency: AgencyRef | None
    from_status: Labelled | None
    to_status: Labelled
    from_step: StepRef | None
    to_step: StepRef | None
    from_agency: AgencyRef | None
    to_agency: AgencyRef | None
    to_assignee: UserRef | None
    to_due_at: LocalDateTime | None = Field(
        description="The legal due moment after the action (moved by paused time)."
    )
    note: str
    payload: dict[str, Any]


# --- dossiers: intake ----------------------------------------------------------------------


class ApplicantIn(Input):
    kind: ApplicantKind = ApplicantKind.CITIZEN
    name: RequiredLine
    id_number: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[0-9A-Za-z\-]*$")
    ] = Field("", description="Personal ID (CCCD) or the organisation's tax/registration code.")
    phone: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[0-9+() .\-]*$")
    ] = ""
    email: Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^([^@\s]+@[^@\s]+)?$"),
        AfterValidator(_clean_text),
    ] = ""
    address: Annotated[str, _text(500), AfterValidator(_clean_text)] = ""
    representative_name: Line = ""
    representative_id_number: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[0-9A-Za-z\-]*$")
    ] = ""
    representative_phone: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[0-9+() .\-]*$")
    ] = ""


class DossierCreateIn(Input):
    """`submit`: an online or postal dossier (by the applicant, the portal or a postal
    clerk) awaiting the receiving officer's checks. `receive`: a walk-in received at the
    counter now: the code is issued and the clock starts."""

    mode: Literal["submit", "receive"]
    procedure_code: Annotated[ProcedureCode, StringConstraints(min_length=1)]
    channel: Channel | None = Field(
        None, description="Default: online when submitting, counter when receiving."
    )
    handling_agency_code: AgencyCode = Field(
        "", description="Default: the procedure version's handling agency."
    )
    return_channel: ReturnChannel | None = Field(
        None, description="How the result is wanted. Default: like the channel."
    )
    applicant: ApplicantIn
    documents: list[DocumentId] = Field(
        default_factory=list, max_length=200, description="Ids of the documents handed in."
    )
    note: Text = Field("", description="Reception note (mode receive only).")

    @model_validator(mode="after")
    def _mode_fits(self) -> DossierCreateIn:
        if self.mode == "submit" and self.channel == Channel.COUNTER:
            raise ValueError(_("A counter dossier is received, not submitted: use mode receive."))
        if self.mode == "submit" and self.note:
            raise ValueError(_("A note belongs to a reception: use mode receive."))
        return self


# --- dossiers: actions ---------------------------------------------------------------------


class ReceiveIn(Input):
    documents: list[DocumentId] = Field(
        default_factory=list, max_length=200, description="Documents checked (replaces the list)."
    )
    note: Text = ""


class RequestSupplementAtReceptionIn(Input):
    reasons: RequiredText
    items: list[RequiredLine] = Field(default_factory=list, max_length=100)


class RefuseReceptionIn(Input):
    reasons: RequiredText


class ForwardIn(Input):
    note: Text = ""


class SendBackIn(Input):
    to_position: int = Field(ge=0, le=32767, description="Position of the earlier step.")
    reason: RequiredText


class AssignIn(Input):
    assignee: Annotated[str, _text(150, 1), AfterValidator(_clean_text)] = Field(
        description="Username of an officer holding the step's role in the agency."
    )
    note: Text = ""


class TransferIn(Input):
    agency_code: Annotated[AgencyCode, StringConstraints(min_length=1)]
    note: Text = ""


class RequestSupplementIn(Input):
    items: list[RequiredLine] = Field(min_length=1, max_length=100)
    reasons: RequiredText
    second_reason: Text = Field("", description="Required for a second request: why it is needed.")


class SupplementIn(Input):
    note: Text = ""
    documents: list[DocumentId] = Field(default_factory=list, max_length=200)


class ConsultIn(Input):
    agency_codes: list[Annotated[AgencyCode, StringConstraints(min_length=1)]] = Field(
        min_length=1, max_length=50
    )
    question: RequiredText
    reply_within_days: Decimal = Field(
        gt=0, le=365, max_digits=5, decimal_places=1, description="Working days."
    )


class ReplyConsultationIn(Input):
    reply: Text = ""
    agreed: bool | None = None
    deemed: bool = Field(
        False, description="Record the consulted agency's silence past its deadline as agreement."
    )


class RequestPaymentIn(Input):
    amount: Decimal = Field(gt=0, max_digits=16, decimal_places=2, description="VND.")
    description: RequiredText


class ConfirmPaymentIn(Input):
    reference: RequiredLine


class ApologiseAndExtendIn(Input):
    reason: RequiredText
    new_due_at: Moment


class RejectIn(Input):
    reasons: RequiredText


class WithdrawIn(Input):
    reason: Text = ""


class ResolveIn(Input):
    result_number: Annotated[str, _text(100, 1), AfterValidator(_clean_text)]
    result_signer: RequiredLine
    result_date: Day
    electronic: bool = False
    summary: Text = ""


class ReturnResultIn(Input):
    channel: ReturnChannel
    collected_by: Line = Field("", description="Required at the counter.")


# --- public and calendar -------------------------------------------------------------------


class PublicDossierOut(Output):
    """What anyone holding the code and the second factor may learn: no personal data."""

    code: str
    procedure_name: str
    handling_agency_name: str
    status: Labelled
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    extended_due_at: LocalDateTime | None
    returned_at: LocalDateTime | None


class DueIn(Schema):
    received_at: Moment
    amount: Decimal = Field(ge=0, le=10_000, max_digits=9, decimal_places=4)
    unit: Unit
    agency: AgencyCode | None = Field(None, description="Default: the national calendar.")


class DueOut(Output):
    due_at: LocalDateTime


# --- path parameters -----------------------------------------------------------------------


def _reference_fits(value: str) -> str:
    # A submission number is the row id: keep it within the database's integer range.
    if value.isdigit() and int(value) > BIGINT_MAX:
        raise ValueError(_("No dossier has this code."))
    return value


DossierReference = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$"),
    AfterValidator(_reference_fits),
]
"""A dossier code, or before reception the submission number."""

ConsultationId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]


# --- the postal service's reports -----------------------------------------------------------


class ShipmentReportIn(Input):
    status: Literal["in_transit", "delivery_failed", "delivered", "returned"] = Field(
        description="in_transit, delivery_failed (an attempt that failed), delivered, or "
        "returned (brought back to the agency)."
    )
    at: Moment = Field(description="When the shipment reached the status.")
    note: Annotated[str, _text(500), AfterValidator(_clean_text)] = Field(
        "", description="Such as why it could not be delivered."
    )


class ShipmentOut(Output):
    tracking_number: str
    dossier: str
    status: Labelled
    status_at: LocalDateTime
    status_note: str
