"""Ratings of returned dossiers (đánh giá mức độ hài lòng) and complaints and recommendations
(phản ánh, kiến nghị: PAKN) with their handling, deadlines and events.

The evaluation tool is data: a `CriterionSet` (versioned, effective-dated) holds the criteria
the applicant answers, each with its allowed answers, so a new tool needs rows, not code.
Only `feedback/services.py` writes these rows."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, Timeliness
from motcua.procedures.models import Procedure

from .apps import UPLOAD_DIRECTORY

# --- ratings -----------------------------------------------------------------------------------


class SatisfactionLevel(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class CriterionSet(models.Model):
    """One version of the evaluation tool: the questions the applicant answers about a
    returned dossier. The set in force on the rating day is the one with the latest
    `effective_from` not after it."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(
        pgettext_lazy("evaluation criterion set", "version"), default=1
    )
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("evaluation criterion set")
        verbose_name_plural = _("evaluation criterion sets")
        ordering = ["-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criterion_set_version_uq")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Criterion(models.Model):
    """A question of a criterion set. `answers` is a list of
    `{"code": "a", "label": "...", "points": 2}` (points optional)."""

    criterion_set = models.ForeignKey(
        CriterionSet, on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.SlugField(_("code"), max_length=32)
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.TextField(pgettext_lazy("evaluation criterion", "question"))
    answers = models.JSONField(_("allowed answers"), default=list)
    required = models.BooleanField(_("answer required"), default=False)
    # Asked of the applicant about one returned dossier. Criteria that grade an agency as a
    # whole (its share of online procedures, its publication of procedures...) are scored
    # from its records, not asked per dossier.
    per_dossier = models.BooleanField(_("asked about each dossier"), default=True)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["criterion_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criterion_set", "code"], name="criterion_code_uq")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label[:60]}"

    def answer_codes(self) -> list[str]:
        return [str(a["code"]) for a in self.answers if isinstance(a, dict) and "code" in a]


class Rating(models.Model):
    """The applicant's rating of a returned dossier: one per dossier. It may be changed
    within `MOTCUA_RATING_CHANGE_DAYS` of the first rating (the row is replaced, `revisions`
    counts the changes); after that it is final. Reports count it at `rated_at`, the first
    rating's moment, so a change never moves it to another period."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="rating", verbose_name=_("dossier")
    )
    # Denormalised from the dossier so satisfaction reports are one indexed aggregation.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling agency"),
        db_index=False,  # rating_agency_idx
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    level = models.CharField(_("satisfaction"), max_length=16, choices=SatisfactionLevel.choices)
    reason = models.TextField(_("reason"), blank=True)
    criterion_set = models.ForeignKey(
        CriterionSet, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rated by"),
    )
    by_token = models.BooleanField(_("rated with the lookup token"), default=False)
    rated_at = models.DateTimeField(_("rated at"))
    changed_at = models.DateTimeField(_("last changed at"))
    revisions = models.PositiveSmallIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["agency", "rated_at"], name="rating_agency_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level=SatisfactionLevel.DISSATISFIED) | ~Q(reason=""),
                name="rating_dissatisfied_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.level}"


# --- complaints and recommendations -------------------------------------------------------------


class ComplaintAbout(models.TextChoices):
    PROCEDURE = "procedure", _("An administrative procedure")
    DOSSIER = "dossier", _("A dossier")
    OFFICER = "officer", _("An officer's conduct")
    OTHER = "other", _("Other")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint", "Received")
    PROCESSING = "processing", pgettext_lazy("complaint", "Being handled")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting more information")
    REFUSED = "refused", _("Refused")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Answer published")
    CLOSED = "closed", _("Answered, not published")


class ComplaintAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("complaint", "Submit")
    ASSIGN = "assign", _("Assign")
    REFUSE = "refuse", _("Refuse")
    REQUEST_INFORMATION = "request_information", _("Ask for more information")
    PROVIDE_INFORMATION = "provide_information", _("Provide more information")
    ANSWER = "answer", _("Answer")
    PUBLISH = "publish", _("Publish the answer")
    KEEP_PRIVATE = "keep_private", _("Keep the answer private")


def new_access_token() -> str:
    return secrets.token_urlsafe(12)


class Complaint(models.Model):
    """A complaint or recommendation (phản ánh, kiến nghị) and its current handling state.

    Deadlines run in working days of the handling agency's calendar from `received_at`:
    refusal within 2, a request for more information within 5, the answer within 15 (moved
    by the working time spent waiting for the submitter), publication within 2 of the
    answer. Each step's timeliness is fixed when the step is taken."""

    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True)
    access_token = models.CharField(
        max_length=32,
        unique=True,
        default=new_access_token,
        editable=False,
        help_text="Second factor for a submitter without an account.",
    )
    about = models.CharField(_("about"), max_length=16, choices=ComplaintAbout.choices)
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure"),
    )
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("dossier"),
    )
    officer_name = models.CharField(_("officer concerned"), max_length=255, blank=True)

    submitter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("submitter's account"),
    )
    submitter_name = models.CharField(pgettext_lazy("person", "name"), max_length=255)
    submitter_phone = models.CharField(_("phone"), max_length=32, blank=True)
    submitter_email = models.EmailField(_("email"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    content = models.TextField(_("content"))

    # Current state (denormalised; the events say how it came to be)
    state = models.CharField(_("state"), max_length=24, choices=ComplaintState.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling agency"),
        db_index=False,  # complaint_agency_idx
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("assignee"),
    )
    received_at = models.DateTimeField(_("received at"))
    refuse_due_at = models.DateTimeField(_("refusal due at"))
    information_due_at = models.DateTimeField(_("request for information due at"))
    answer_due_at = models.DateTimeField(_("answer due at"))
    publish_due_at = models.DateTimeField(_("publication due at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("waiting for the submitter since"), null=True, blank=True)
    information_requested_at = models.DateTimeField(null=True, blank=True)
    information_timeliness = models.CharField(
        _("timeliness of the request for information"),
        max_length=16,
        choices=Timeliness.choices,
        blank=True,
    )
    finished_at = models.DateTimeField(_("refused or answered at"), null=True, blank=True)
    handling_timeliness = models.CharField(
        _("handling timeliness"), max_length=16, choices=Timeliness.choices, blank=True
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    publish_timeliness = models.CharField(
        _("publication timeliness"), max_length=16, choices=Timeliness.choices, blank=True
    )
    # Subject, content and answer folded (`domain.text.fold`) when the answer is published:
    # the public list's accent-insensitive search reads it.
    published_folded = models.TextField(editable=False, blank=True, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint or recommendation")
        verbose_name_plural = _("complaints and recommendations")
        indexes = [
            models.Index(fields=["agency", "state", "received_at"], name="complaint_agency_idx"),
            models.Index(
                fields=["-published_at", "-id"],
                name="complaint_published_idx",
                condition=Q(state="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="complaint_refusal_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["answered", "published", "closed"]) | ~Q(answer=""),
                name="complaint_answered_needs_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code


def attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    # Never the submitter's file name: a random name, the sniffed extension.
    return f"{UPLOAD_DIRECTORY}/{secrets.token_hex(16)}{filename[filename.rfind('.') :]}"


class ComplaintAttachment(models.Model):
    """A file the submitter sent, stored under a random name in the default storage (outside
    static; served only through an authorised view). Its type was sniffed from its bytes."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ComplaintEvent(models.Model):
    """One action on a complaint. Append-only. `due_at` and `timeliness` record the deadline
    the step was held to and how it was met (empty when the step has none)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    action = models.CharField(_("action"), max_length=24, choices=ComplaintAction.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    from_state = models.CharField(max_length=24, choices=ComplaintState.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=ComplaintState.choices)
    note = models.TextField(_("note"), blank=True)
    due_at = models.DateTimeField(pgettext_lazy("complaint", "due at"), null=True, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=16, choices=Timeliness.choices, blank=True
    )
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_idx")]

    def __str__(self) -> str:
        return f"{self.complaint} {self.action} {self.at:%Y-%m-%d %H:%M}"
