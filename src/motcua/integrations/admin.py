from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from motcua.adminkit import ReadOnlyAdmin

from . import delivery
from .models import PENDING, ApiToken, IdempotencyRecord, OutboxMessage, SentNotice


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here or with `motcua api-token create`; the secret is shown once,
    on creation, and only its hash is kept. A token is never edited into another: revoke
    it and issue a new one."""

    list_display = [
        "name",
        "user",
        "key_prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_prefix", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        always = ["key_prefix", "created_at", "last_used_at", "revoked_at"]
        if obj is None:
            return always
        return [*always, "name", "user", "scopes"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = ApiToken.objects.issue(
            user=obj.user,
            name=obj.name,
            scopes=obj.scope_set,
            expires_at=obj.expires_at,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("The token's secret, shown only now: %(secret)s") % {"secret": secret},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, _("%(count)d token(s) revoked.") % {"count": count})


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """Read-only: what each retried POST was answered."""

    list_display = ["created_at", "user", "method", "path", "status_code", "key"]
    list_filter = ["status_code", "method"]
    search_fields = ["key", "path", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [
            ("pending", pgettext_lazy("outbox", "Pending")),
            ("failed", pgettext_lazy("outbox", "Given up")),
            ("delivered", pgettext_lazy("outbox", "Delivered")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "pending":
            return queryset.filter(PENDING)
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        if self.value() == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only, but for sending again what was given up (after the receiving system is
    mended) or what a receiver lost. Messages are found by their exact key."""

    list_display = [
        "id",
        "topic",
        "key",
        "created_at",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "failed_at",
        "last_error",
    ]
    list_filter = [OutboxStateFilter]
    search_fields = ["=key"]
    ordering = ["-id"]
    show_full_result_count = False
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("integrations.change_outboxmessage")

    @admin.action(description=_("Send the selected messages again"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: Any) -> None:
        finished = queryset.exclude(PENDING)
        count = delivery.send_again(finished, now=timezone.now())
        skipped = queryset.count() - count
        messages.success(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
        )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d message still pending was left as it is.",
                    "%(count)d messages still pending were left as they are.",
                    skipped,
                )
                % {"count": skipped},
            )


@admin.register(SentNotice)
class SentNoticeAdmin(ReadOnlyAdmin):
    """The notices people were sent, as a record: nothing here is added, edited or deleted."""

    list_display = ["sent_at", "channel", "recipient", "key"]
    list_filter = ["channel"]
    search_fields = ["key"]
    date_hierarchy = "sent_at"
