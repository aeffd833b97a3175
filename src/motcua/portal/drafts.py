"""Drafts of online submissions: one per applicant account and procedure (see `models`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from .models import SubmissionDraft

# The form fields a draft keeps (never files).
DRAFT_FIELDS = (
    "applicant_kind",
    "full_name",
    "id_number",
    "phone",
    "email",
    "address",
    "representative_name",
    "return_channel",
)


def draft_get(*, user: AbstractBaseUser, procedure_code: str) -> SubmissionDraft | None:
    return SubmissionDraft.objects.filter(user_id=user.pk, procedure_code=procedure_code).first()


def draft_save(
    *, user: AbstractBaseUser, procedure_code: str, data: dict[str, Any], now: dt.datetime
) -> SubmissionDraft:
    kept = {k: str(data.get(k, ""))[:500] for k in DRAFT_FIELDS}
    draft, _created = SubmissionDraft.objects.update_or_create(
        user_id=user.pk,
        procedure_code=procedure_code,
        defaults={"data": kept, "updated_at": now},
    )
    return draft


def draft_delete(*, user: AbstractBaseUser, procedure_code: str) -> None:
    SubmissionDraft.objects.filter(user_id=user.pk, procedure_code=procedure_code).delete()


def draft_list(*, user: AbstractBaseUser) -> list[SubmissionDraft]:
    return list(SubmissionDraft.objects.filter(user_id=user.pk).order_by("-updated_at")[:20])
