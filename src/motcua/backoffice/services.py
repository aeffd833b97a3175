"""The one back-office write that is not a single lifecycle service: a walk-in whose
papers the desk checks and does not accept (form 02) or refuses (form 03). The dossier is
recorded as handed in at the counter, with no applicant account, then the desk's outcome
is applied, both in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import transaction

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.procedures.models import Channel


@transaction.atomic
def counter_dossier_turn_away(
    *,
    actor: AuthUser,
    procedure_code: str,
    applicant: services.Applicant,
    return_channel: str,
    documents: Sequence[int],
    refuse: bool,
    reasons: str,
    items: Sequence[str] = (),
) -> Dossier:
    """Record the walk-in (channel counter, submitted by nobody with an account) and
    request a supplement at reception, or refuse it when `refuse`. Locks what the two
    services lock; nothing is left behind if the second fails."""
    submitted = services.dossier_submit(
        actor=AnonymousUser(),
        procedure_code=procedure_code,
        applicant=applicant,
        channel=Channel.COUNTER,
        return_channel=return_channel,
        documents=documents,
    )
    reference = str(submitted.pk)
    if refuse:
        return services.dossier_refuse_reception(actor=actor, reference=reference, reasons=reasons)
    return services.dossier_request_supplement_at_reception(
        actor=actor, reference=reference, reasons=reasons, items=items
    )
