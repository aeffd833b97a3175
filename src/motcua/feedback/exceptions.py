"""Errors of ratings and complaints. Each has a stable `code` (for the API), an HTTP status,
and a message in the active language (Vietnamese by default) for people; `details` carries
what a client needs to recover (the current state, the allowed actions, the field at fault)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class FeedbackError(Exception):
    code = "feedback_error"
    http_status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidFeedback(FeedbackError):
    """Input a person must correct; `field` names the field at fault."""

    code = "invalid_input"
    http_status = 422

    def __init__(self, message: str, *, field: str = "", **details: Any) -> None:
        super().__init__(message, field=field, **details)


class InvalidAttachment(InvalidFeedback):
    code = "invalid_attachment"


class RatingDossierNotFound(FeedbackError):
    """No dossier has this code, or the caller is neither its applicant nor holds its lookup
    token: the two are not told apart."""

    code = "dossier_not_found"
    http_status = 404

    def __init__(self) -> None:
        super().__init__(_("No dossier has this code, or you may not rate it."))


class RatingNotOpen(FeedbackError):
    code = "rating_not_open"
    http_status = 409

    def __init__(self, status: str) -> None:
        super().__init__(
            _("A dossier can be rated only after its result has been returned."), status=status
        )


class RatingFinal(FeedbackError):
    code = "rating_final"
    http_status = 409

    def __init__(self, days: int) -> None:
        super().__init__(
            _("This dossier was already rated; a rating can be changed only within %(days)s days.")
            % {"days": days},
            days=days,
        )


class ComplaintNotFound(FeedbackError):
    code = "complaint_not_found"
    http_status = 404

    def __init__(self) -> None:
        super().__init__(_("No complaint or recommendation has this code, or you may not see it."))


class ComplaintNotAllowed(FeedbackError):
    code = "not_allowed"
    http_status = 403

    def __init__(self, action: str) -> None:
        super().__init__(
            _("You may not take this action on this complaint or recommendation."), action=action
        )


class IllegalComplaintAction(FeedbackError):
    """The action is not allowed in the complaint's current state."""

    code = "illegal_transition"
    http_status = 409

    def __init__(self, state: str, action: str, allowed: list[str]) -> None:
        from .models import ComplaintAction, ComplaintState

        super().__init__(
            _(
                "The action “%(action)s” is not allowed while the complaint or recommendation "
                "is “%(state)s”. Allowed now: %(allowed)s."
            )
            % {
                "action": ComplaintAction(action).label,
                "state": ComplaintState(state).label,
                "allowed": ", ".join(str(ComplaintAction(a).label) for a in allowed) or _("none"),
            },
            state=state,
            action=action,
            allowed_actions=allowed,
        )
