"""Errors of the dossier lifecycle. Each has a stable `code` (for the API) and a message in
the active language (Vietnamese by default) for people; `details` carries what a client
needs to recover (the current status and the allowed actions, the field at fault)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from motcua.domain.lifecycle import Action, Status


class DossierError(Exception):
    code = "dossier_error"
    http_status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class IllegalAction(DossierError):
    """The law does not allow this action in the dossier's current status."""

    code = "illegal_transition"
    http_status = 409

    def __init__(self, status: Status | None, action: Action, allowed: tuple[Action, ...]):
        from .models import Action as ActionChoice
        from .models import Status as StatusChoice

        status_label = StatusChoice(status.value).label if status else _("new")
        super().__init__(
            _(
                "The action “%(action)s” is not allowed while the dossier is “%(status)s”. "
                "Allowed now: %(allowed)s."
            )
            % {
                "action": ActionChoice(action.value).label,
                "status": status_label,
                "allowed": ", ".join(str(ActionChoice(a.value).label) for a in allowed)
                or _("none"),
            },
            status=status.value if status else None,
            action=action.value,
            allowed_actions=[a.value for a in allowed],
        )


class NotAllowed(DossierError):
    """The officer may not take this action on this dossier."""

    code = "not_allowed"
    http_status = 403

    def __init__(self, action: Action, reason: str = "") -> None:
        super().__init__(
            reason or _("You may not take this action on this dossier."), action=action.value
        )


class InvalidInput(DossierError):
    code = "invalid_input"
    http_status = 422

    def __init__(self, message: str, *, field: str = "", **details: Any) -> None:
        super().__init__(message, field=field, **details)


class DossierNotFound(DossierError):
    code = "dossier_not_found"
    http_status = 404

    def __init__(self) -> None:
        super().__init__(_("No dossier has this code, or you may not see it."))
