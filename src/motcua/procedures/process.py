"""The process of a procedure version as the dossier lifecycle reads it on every reception
and hand-over: its channel options and its steps (with their agencies); and which version of
a procedure is in force on a day, read on every intake.

Read once and kept per process (`motcua.caching`): an edit made in this process is seen
at once (the rows' save and delete signals forget the version), one made by another process
within `MOTCUA_CATALOGUE_RECHECK_SECONDS` (default 5). The rows handed out are shared: read
them, never change them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from motcua.caching import ProcessCache

from .models import Channel, ChannelOption, ProcedureVersion, ProcessStep


@dataclass(frozen=True)
class VersionProcess:
    channels: tuple[ChannelOption, ...]  # by position
    steps: tuple[ProcessStep, ...]  # by position

    def channel_option(self, channel: str) -> ChannelOption | None:
        """The option of `channel`, else the counter's (the law's default)."""
        return next((o for o in self.channels if o.channel == channel), None) or next(
            (o for o in self.channels if o.channel == Channel.COUNTER), None
        )


# Far more versions than a catalogue holds; past it the cache starts again rather than grow.
_processes: ProcessCache[int, VersionProcess] = ProcessCache(
    recheck_setting="MOTCUA_CATALOGUE_RECHECK_SECONDS", max_entries=20_000
)


def _read_process(version_id: int) -> VersionProcess:
    return VersionProcess(
        channels=tuple(ChannelOption.objects.filter(version_id=version_id).order_by("position")),
        steps=tuple(
            ProcessStep.objects.filter(version_id=version_id)
            .select_related("agency")
            .order_by("position")
        ),
    )


def version_process(version_id: int) -> VersionProcess:
    return _processes.get(version_id, _read_process)


# A day's worth of procedures many times over.
_in_force: ProcessCache[tuple[str, dt.date], ProcedureVersion] = ProcessCache(
    recheck_setting="MOTCUA_CATALOGUE_RECHECK_SECONDS", max_entries=10_000
)


def _read_in_force(key: tuple[str, dt.date]) -> ProcedureVersion | None:
    procedure_code, day = key
    return (
        ProcedureVersion.objects.effective_on(day)
        .filter(procedure__code=procedure_code, procedure__is_active=True)
        .select_related("procedure", "competent_agency")
        .order_by("-effective_from")
        .first()
    )


def version_in_force(procedure_code: str, day: dt.date) -> ProcedureVersion | None:
    """The version of the active procedure `procedure_code` in force on `day` (the latest
    to take effect), with its procedure and competent agency; None if there is none (not
    remembered, so a version added since is found at once)."""
    return _in_force.get((procedure_code, day), _read_in_force)


def forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a version's channel options or steps changed in this process."""
    version_id = getattr(instance, "version_id", None) or getattr(instance, "pk", None)
    if version_id is not None:
        _processes.forget(int(version_id))


def forget_in_force(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a procedure or a version changed in this process."""
    _in_force.clear()
