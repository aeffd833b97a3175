"""Reads of payment requests and collecting accounts."""

from __future__ import annotations

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier

from .exceptions import NoCollectingAccount
from .models import CollectingAccount, PaymentRequest, PaymentState


def collecting_account_for(agency: Agency) -> CollectingAccount:
    """The active account of `agency` or of its nearest ancestor; NoCollectingAccount."""
    ids = [int(part) for part in agency.path.strip("/").split("/") if part] or [agency.pk]
    accounts = {
        a.agency_id: a for a in CollectingAccount.objects.filter(agency_id__in=ids, is_active=True)
    }
    for agency_id in reversed(ids):
        if agency_id in accounts:
            return accounts[agency_id]
    raise NoCollectingAccount


def payment_list_for_dossier(dossier: Dossier) -> list[PaymentRequest]:
    """The dossier's payment requests, newest first. The caller has already obtained the
    dossier through a permission-aware selector (or the public lookup's second factor)."""
    return list(PaymentRequest.objects.filter(dossier=dossier).order_by("-created_at", "-pk"))


def payment_pending_exists(dossier: Dossier) -> bool:
    """Whether the dossier has a request awaiting payment (same caller contract as above)."""
    return PaymentRequest.objects.filter(dossier=dossier, state=PaymentState.PENDING).exists()
