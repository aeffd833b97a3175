"""The process of a procedure version as the dossier lifecycle reads it on every reception
and hand-over: its channel options and its steps (with their agencies); and which version of
a procedure is in force on a day, read on every intake.

Read once and kept per process: an edit made in this process is seen at once (the rows'
save and delete signals forget the version), one made by another process within
`MOTCUA_CATALOGUE_RECHECK_SECONDS` (default 5). The rows handed out are shared: read them,
never change them."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

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


_cache: dict[int, tuple[float, VersionProcess]] = {}


def _recheck_seconds() -> float:
    return float(getattr(settings, "MOTCUA_CATALOGUE_RECHECK_SECONDS", 5))


def version_process(version_id: int) -> VersionProcess:
    cached = _cache.get(version_id)
    if cached is not None and 0 <= time.monotonic() - cached[0] < _recheck_seconds():
        return cached[1]
    process = VersionProcess(
        channels=tuple(ChannelOption.objects.filter(version_id=version_id).order_by("position")),
        steps=tuple(
            ProcessStep.objects.filter(version_id=version_id)
            .select_related("agency")
            .order_by("position")
        ),
    )
    _cache[version_id] = (time.monotonic(), process)
    return process


_in_force: dict[tuple[str, dt.date], tuple[float, ProcedureVersion]] = {}


def version_in_force(procedure_code: str, day: dt.date) -> ProcedureVersion | None:
    """The version of the active procedure `procedure_code` in force on `day` (the latest
    to take effect), with its procedure and competent agency; None if there is none (not
    remembered, so a version added since is found at once)."""
    key = (procedure_code, day)
    cached = _in_force.get(key)
    if cached is not None and 0 <= time.monotonic() - cached[0] < _recheck_seconds():
        return cached[1]
    version = (
        ProcedureVersion.objects.effective_on(day)
        .filter(procedure__code=procedure_code, procedure__is_active=True)
        .select_related("procedure", "competent_agency")
        .order_by("-effective_from")
        .first()
    )
    if version is not None:
        if len(_in_force) > 10_000:  # a day's worth of procedures many times over
            _in_force.clear()
        _in_force[key] = (time.monotonic(), version)
    return version


def forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a version's channel options or steps changed in this process."""
    version_id = getattr(instance, "version_id", None) or getattr(instance, "pk", None)
    if version_id is not None:
        _cache.pop(int(version_id), None)


def forget_in_force(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a procedure or a version changed in this process."""
    _in_force.clear()
