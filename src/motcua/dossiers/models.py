"""Dossiers (hồ sơ), their append-only events, consultations and code sequences.

The dossier row carries the denormalised current state (status, step, agency, assignee, due
moments, pause, timeliness) so that inboxes, lists and reports are indexed queries; the
events are the audit trail and the source of truth for history, the control slip (form 06)
and the tracking book (form 07). The files handed in and the electronic results are
`DossierFile`s. Only `dossiers/services.py` writes these rows."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.domain.deadlines import Timeliness as DomainTimeliness
from motcua.domain.lifecycle import Action as DomainAction
from motcua.domain.lifecycle import Status as DomainStatus
from motcua.procedures.models import (
    Channel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    TimeUnit,
)

from .apps import UPLOAD_DIRECTORY


class Status(models.TextChoices):
    AWAITING_RECEPTION = DomainStatus.AWAITING_RECEPTION.value, _("Awaiting reception")
    RECEPTION_SUPPLEMENT_REQUESTED = (
        DomainStatus.RECEPTION_SUPPLEMENT_REQUESTED.value,
        _("Not accepted: supplement requested"),
    )
    RECEPTION_REFUSED = DomainStatus.RECEPTION_REFUSED.value, _("Reception refused")
    PROCESSING = DomainStatus.PROCESSING.value, _("Processing")
    AWAITING_SUPPLEMENT = DomainStatus.AWAITING_SUPPLEMENT.value, _("Awaiting supplement")
    CONSULTING = DomainStatus.CONSULTING.value, _("Awaiting other agencies' opinions")
    AWAITING_PAYMENT = DomainStatus.AWAITING_PAYMENT.value, _("Awaiting financial obligation")
    RESOLVED = DomainStatus.RESOLVED.value, _("Resolved, awaiting return")
    REJECTED = DomainStatus.REJECTED.value, _("Not resolved (written reasons)")
    WITHDRAWN = DomainStatus.WITHDRAWN.value, _("Stopped at the applicant's request")
    RETURNED = DomainStatus.RETURNED.value, _("Result returned")


# Statuses in which a dossier sits in an officer's processing inbox (the back office's
# "my dossiers" and "my step's dossiers" tabs). The two partial inbox indexes below cover
# exactly these, so a tab walks its index in due order and stops after one page.
INBOX_STATUSES = (
    Status.PROCESSING,
    Status.AWAITING_SUPPLEMENT,
    Status.CONSULTING,
    Status.AWAITING_PAYMENT,
    Status.RESOLVED,
    Status.REJECTED,
)


class Action(models.TextChoices):
    SUBMIT = DomainAction.SUBMIT.value, _("Submit")
    RECEIVE = DomainAction.RECEIVE.value, _("Receive")
    REQUEST_SUPPLEMENT_AT_RECEPTION = (
        DomainAction.REQUEST_SUPPLEMENT_AT_RECEPTION.value,
        _("Request a supplement at reception"),
    )
    REFUSE_RECEPTION = DomainAction.REFUSE_RECEPTION.value, _("Refuse reception")
    FORWARD = DomainAction.FORWARD.value, _("Forward")
    SEND_BACK = DomainAction.SEND_BACK.value, _("Send back")
    ASSIGN = DomainAction.ASSIGN.value, _("Assign")
    TRANSFER = DomainAction.TRANSFER.value, _("Transfer to another agency")
    REQUEST_SUPPLEMENT = DomainAction.REQUEST_SUPPLEMENT.value, _("Request a supplement")
    SUPPLEMENT = DomainAction.SUPPLEMENT.value, _("Supplement")
    CONSULT = DomainAction.CONSULT.value, _("Consult other agencies")
    REPLY_CONSULTATION = DomainAction.REPLY_CONSULTATION.value, _("Reply to a consultation")
    REQUEST_PAYMENT = DomainAction.REQUEST_PAYMENT.value, _("Request the financial obligation")
    CONFIRM_PAYMENT = DomainAction.CONFIRM_PAYMENT.value, _("Confirm payment")
    APOLOGISE_AND_EXTEND = DomainAction.APOLOGISE_AND_EXTEND.value, _("Apologise and extend")
    REJECT = DomainAction.REJECT.value, _("Reject on the merits")
    WITHDRAW = DomainAction.WITHDRAW.value, _("Stop at the applicant's request")
    RESOLVE = DomainAction.RESOLVE.value, _("Resolve")
    RETURN_RESULT = DomainAction.RETURN_RESULT.value, _("Return the result")


class Timeliness(models.TextChoices):
    EARLY = DomainTimeliness.EARLY.value, _("Early")
    ON_TIME = DomainTimeliness.ON_TIME.value, _("On time")
    LATE = DomainTimeliness.LATE.value, _("Late")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation or business")


class ReturnChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POSTAL = "postal", _("By post")
    ONLINE = "online", _("Online")


def new_lookup_token() -> str:
    return secrets.token_urlsafe(12)


class Dossier(models.Model):
    # Identity and routing
    code = models.CharField(
        _("dossier code"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("Issued at reception: <agency code>-<YYMMDD>-<NNNN>."),
    )
    lookup_token = models.CharField(
        max_length=32,
        default=new_lookup_token,
        editable=False,
        help_text="Second factor printed in the receipt's QR code for the public lookup.",
    )
    # Foreign keys whose lookups a composite index of Meta serves (or that are only looked
    # up when a catalogue row is deleted, rare enough for a scan) get no index of their own:
    # every index costs each reception and each action a write.
    # References to the catalogue, the agencies and the users have no database constraint
    # (db_constraint=False): those rows are closed (valid_to, is_active), never deleted, and
    # on_delete still guards a deletion made through the ORM. A constraint would make every
    # reception and action check and lock each row it points to (FOR KEY SHARE, one WAL
    # record each), about a quarter of PostgreSQL's work per reception.
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="dossiers",
        verbose_name=_("procedure"),
        db_index=False,  # dossier_proc_recv_idx
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="dossiers",
        verbose_name=_("procedure version"),
        db_index=False,  # scanned only when a version is deleted
    )
    handling_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="handled_dossiers",
        verbose_name=_("handling agency"),
        db_index=False,  # dossier_agency_recv_idx
    )
    receiving_unit = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="received_dossiers",
        null=True,
        blank=True,
        verbose_name=_("receiving unit"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    # Applicant (and representative)
    applicant_kind = models.CharField(
        _("applicant kind"),
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.CITIZEN,
    )
    applicant_name = models.CharField(_("applicant name"), max_length=255)
    applicant_id_number = models.CharField(
        _("personal or organisation ID"), max_length=32, blank=True
    )
    applicant_phone = models.CharField(_("phone"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    representative_name = models.CharField(_("representative"), max_length=255, blank=True)
    representative_id_number = models.CharField(_("representative's ID"), max_length=32, blank=True)
    representative_phone = models.CharField(_("representative's phone"), max_length=32, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="own_dossiers",
        verbose_name=_("applicant account"),
        db_index=False,  # dossier_applicant_idx
    )
    requested_return_channel = models.CharField(
        _("result wanted"),
        max_length=16,
        choices=ReturnChannel.choices,
        default=ReturnChannel.COUNTER,
    )
    documents = models.JSONField(
        _("documents handed in"),
        default=list,
        blank=True,
        help_text="Ids of the procedure version's required documents checked at reception.",
    )

    # Time limit as it applied at reception (snapshot of the channel option)
    time_limit_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    time_limit_unit = models.CharField(max_length=16, choices=TimeUnit.choices, blank=True)

    # Current state (denormalised; the events say how it came to be)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    current_step = models.ForeignKey(
        ProcessStep,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current step"),
        db_index=False,  # scanned only when a step is deleted
    )
    current_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency acting now"),
        db_index=False,  # dossier_inbox_idx
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("assignee"),
        db_index=False,  # dossier_assignee_idx
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)

    # Moments
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(
        _("handed to processing at"),
        null=True,
        blank=True,
        help_text=_("Received after 15:00: the start of the next working day."),
    )
    initial_due_at = models.DateTimeField(_("due at reception"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        help_text=_("The legal due moment, moved by paused time; timeliness is judged on it."),
    )
    extended_due_at = models.DateTimeField(
        _("new appointment after apology"), null=True, blank=True
    )
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(_("working time paused (seconds)"), default=0)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=16, choices=Timeliness.choices, blank=True
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_channel = models.CharField(
        _("returned by"), max_length=16, choices=ReturnChannel.choices, blank=True
    )
    collected_by = models.CharField(_("collected by"), max_length=255, blank=True)

    # Result
    result_number = models.CharField(_("result number"), max_length=100, blank=True)
    result_signer = models.CharField(_("signed by"), max_length=255, blank=True)
    result_date = models.DateField(_("result date"), null=True, blank=True)
    result_electronic = models.BooleanField(_("electronic result"), default=False)
    result_summary = models.TextField(_("result"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"], name="dossier_inbox_idx"),
            models.Index(fields=["handling_agency", "received_at"], name="dossier_agency_recv_idx"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="dossier_assignee_idx"),
            models.Index(fields=["applicant_user"], name="dossier_applicant_idx"),
            models.Index(fields=["procedure", "received_at"], name="dossier_proc_recv_idx"),
            # The inbox tabs, in due order (ascending, nulls last, then id).
            models.Index(
                fields=["current_agency", "due_at", "id"],
                condition=Q(status__in=INBOX_STATUSES),
                name="dossier_step_inbox_idx",
            ),
            models.Index(
                fields=["assignee", "due_at", "id"],
                condition=Q(status__in=INBOX_STATUSES),
                name="dossier_mine_inbox_idx",
            ),
        ]
        constraints = [
            # Constraints, not `unique=True`: on PostgreSQL that would add a second index
            # per column for LIKE 'prefix%', which no query needs and every reception writes.
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.UniqueConstraint(fields=["lookup_token"], name="dossier_lookup_token_unique"),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(received_at__isnull=False),
                name="dossier_due_needs_reception",
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gte=models.F("received_at")),
                name="dossier_due_not_before_reception",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"


class DossierEvent(models.Model):
    """One action on a dossier. Append-only: never updated, never deleted."""

    # Events are read by dossier (dossier_event_idx) and by actor ("dossiers I acted on");
    # the other references get no index: each would cost every action a write. Only the
    # dossier reference is a database constraint (see Dossier for why the others are not).
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("dossier"),
        db_index=False,  # dossier_event_idx
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency of the actor"),
        db_index=False,
    )
    from_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Status.choices)
    from_step = models.ForeignKey(
        ProcessStep,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_step = models.ForeignKey(
        ProcessStep,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    from_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # The legal due moment after the action (it moves when the clock was paused), so that
    # the state at any past moment can be read from the events alone.
    to_due_at = models.DateTimeField(_("due moment after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_idx")]

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Consultation(models.Model):
    """An opinion asked of another agency (lấy ý kiến), with its own deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="consultations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consultations")
    question = models.TextField(_("question"))
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("reply due at"))
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    agreed = models.BooleanField(_("agreed"), null=True)
    deemed_agreed = models.BooleanField(_("deemed agreement (no reply in time)"), default=False)
    # Handling ended (rejected, withdrawn) while the consultation waited: no reply expected.
    closed_at = models.DateTimeField(_("closed without reply at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            models.Index(
                fields=["agency", "due_at"],
                name="consultation_open_idx",
                condition=Q(replied_at__isnull=True, closed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} -> {self.agency.code}"

    @property
    def is_open(self) -> bool:
        """Waiting for the consulted agency's reply."""
        return self.replied_at is None and self.closed_at is None


class FileKind(models.TextChoices):
    SUBMISSION = "submission", _("Submitted with the dossier")
    SUPPLEMENT = "supplement", _("Handed in as a supplement")
    RESULT = "result", _("Result")


class SignatureState(models.TextChoices):
    """What the digital signature of an electronic result (a PDF) showed when it came in
    (`signatures.read_signature`); blank for the other files."""

    NONE = "none", _("not digitally signed")
    VALID = "valid", _("digitally signed, intact")
    TRUSTED = "trusted", _("digitally signed, intact, by a trusted certificate")
    INVALID = "invalid", _("digital signature broken or not valid")


def dossier_file_path(instance: DossierFile, filename: str) -> str:
    """Storage path: by reception month and dossier, under a random name (the original
    name is kept in `name`, never trusted as a path)."""
    moment = instance.uploaded_at or timezone.now()
    folder = f"{UPLOAD_DIRECTORY}/{moment:%Y/%m}/{instance.dossier_id}"
    return f"{folder}/{uuid.uuid4().hex}{instance.extension}"


class DossierFile(models.Model):
    """A file of a dossier: a scan or electronic document handed in with the dossier or as a
    supplement, or an electronic result. Its type was read from its first bytes."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="files", verbose_name=_("dossier")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FileKind.choices)
    required_document = models.ForeignKey(
        RequiredDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("required document"),
        db_index=False,
    )
    file = models.FileField(_("file"), upload_to=dossier_file_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    event = models.ForeignKey(
        DossierEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        db_index=False,
        help_text=_("The action the file came with."),
    )
    signature = models.CharField(
        _("digital signature"), max_length=8, choices=SignatureState.choices, blank=True
    )
    signed_by = models.CharField(_("signed by"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("reused from"),
        help_text=_(
            "The file of an earlier dossier the applicant took from their data store instead "
            "of handing it in again (the same stored file)."
        ),
    )

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["uploaded_at", "id"]
        indexes = [
            # The public check of a result file by its content (`selectors.result_by_content`).
            models.Index(
                fields=["sha256"], condition=models.Q(kind="result"), name="dossier_result_sha256"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.name}"


class DossierCodeSequence(models.Model):
    """The last dossier number issued by `agency` on `day`. The row is locked for the
    whole reception transaction, which makes numbers gapless: a failed reception rolls
    its number back with it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_number}"
