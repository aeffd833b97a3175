"""Catalogue filters the portal needs beyond `procedures.selectors.procedure_list`: the
handling agency and the online service level, both properties of the version in force.

They belong in `procedures/selectors.py` (owned by another team); kept here, small and
pure reads, until they move there."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Subquery

from motcua.agencies.models import Agency
from motcua.procedures import selectors
from motcua.procedures.models import (
    ImplementingLevel,
    OnlineLevel,
    ProcedureQuerySet,
    ProcedureVersion,
)


def procedure_search(
    *,
    query: str,
    field_id: int | None,
    level: ImplementingLevel | None,
    agency_id: int | None,
    online_level: OnlineLevel | None,
    on: dt.date,
) -> ProcedureQuerySet:
    """Active procedures matching the accent-insensitive `query` and the filters, each
    annotated with the online level of its version in force on `on` (`online_now`)."""
    qs = selectors.procedure_list(query=query, field_id=field_id, level=level)
    in_force = ProcedureVersion.objects.effective_on(on).filter(procedure=OuterRef("pk"))
    if agency_id is not None:
        qs = qs.filter(Exists(in_force.filter(competent_agency_id=agency_id)))
    if online_level is not None:
        qs = qs.filter(Exists(in_force.filter(online_level=online_level)))
    return qs.annotate(
        online_now=Subquery(in_force.order_by("-effective_from").values("online_level")[:1])
    )


def handling_agencies(*, on: dt.date) -> list[Agency]:
    """Agencies that handle at least one procedure version in force on `on`."""
    in_force = ProcedureVersion.objects.effective_on(on).filter(competent_agency=OuterRef("pk"))
    return list(Agency.objects.filter(Exists(in_force)).order_by("name"))
