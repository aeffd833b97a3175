"""Read paths of the procedure catalogue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Subquery

from motcua.agencies.models import Agency

from .models import (
    ChannelOption,
    Field,
    ImplementingLevel,
    OnlineLevel,
    Procedure,
    ProcedureQuerySet,
    ProcedureVersion,
)


def procedure_list(
    *,
    query: str = "",
    field_id: int | None = None,
    level: ImplementingLevel | None = None,
) -> ProcedureQuerySet:
    """Active procedures matching an accent-insensitive query and the filters, by code."""
    qs = Procedure.objects.filter(is_active=True).select_related("field")
    if query.strip():
        qs = qs.search(query)
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    if level is not None:
        qs = qs.at_level(level)
    return qs.order_by("code")


def procedure_search(
    *,
    query: str,
    field_id: int | None,
    level: ImplementingLevel | None,
    agency_id: int | None,
    online_level: OnlineLevel | None,
    on: dt.date,
) -> ProcedureQuerySet:
    """The portal's catalogue: `procedure_list` narrowed by the handling agency and the
    online service level of the version in force on `on` (both properties of the version,
    not of the procedure), each annotated with that version's online level (`online_now`)."""
    qs = procedure_list(query=query, field_id=field_id, level=level)
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


def field_list_with_procedures() -> list[Field]:
    return list(Field.objects.filter(procedures__is_active=True).distinct().order_by("name"))


def procedure_get_with_version(
    *, code: str, on: dt.date
) -> tuple[Procedure, ProcedureVersion | None]:
    """The procedure by national code and its version in force on `on`, with channels,
    documents and process steps loaded. Raises Procedure.DoesNotExist."""
    procedure = Procedure.objects.select_related("field").get(code=code, is_active=True)
    version = (
        ProcedureVersion.objects.effective_on(on)
        .filter(procedure=procedure)
        .select_related("competent_agency")
        .prefetch_related(
            Prefetch(
                "channel_options",
                queryset=ChannelOption.objects.order_by("channel", "position"),
            ),
            "documents",
            "steps__agency",
        )
        .order_by("-effective_from")
        .first()
    )
    return procedure, version
