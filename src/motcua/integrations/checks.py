"""`motcua check --deploy` warns when people would not be told: the notification backend is
the console (development's), so sign-in codes, the applicants' notices and the officers'
reminders are printed, not sent."""

from __future__ import annotations

from typing import Any

from django.core import checks

from motcua.conf import setting


@checks.register(checks.Tags.security, deploy=True)
def notification_backend_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if setting("MOTCUA_NOTIFY_BACKEND", "console").strip().lower() != "console":
        return []
    return [
        checks.Warning(
            "Notifications are printed on the console, not sent: applicants get no sign-in "
            "code and no notice (reception, supplement request, apology, result), officers "
            "no reminder.",
            hint="Set MOTCUA_NOTIFY_BACKEND=http with MOTCUA_SMS_GATEWAY_URL, "
            "MOTCUA_SMS_GATEWAY_SECRET and the EMAIL_* settings (docs/notices.md).",
            id="integrations.W001",
        )
    ]
