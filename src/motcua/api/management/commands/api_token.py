"""`motcua api-token`: issue, list and revoke API tokens.

    motcua api-token create --user svc.portal --name "Cổng DVC" --scopes read,write
    motcua api-token list [--user U]
    motcua api-token revoke ID

`create` prints the secret once; only its SHA-256 is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.integrations.models import API_SCOPES, ApiToken


class Command(BaseCommand):
    help = "Issue, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="issue a token and print its secret once")
        create.add_argument("--user", required=True, help="username the token acts as")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument(
            "--scopes",
            default="read",
            help=f"comma-separated among {', '.join(API_SCOPES)} (default: read)",
        )
        create.add_argument("--expires-in-days", type=int, help="default: never expires")
        listing = actions.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--user", help="only this user's tokens")
        revoke = actions.add_parser("revoke", help="revoke a token at once")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_create(self, options: dict[str, Any]) -> None:
        try:
            user = get_user_model()._default_manager.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {options['user']!r}.") from None
        days = options["expires_in_days"]
        if days is not None and days <= 0:
            raise CommandError("--expires-in-days must be positive.")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            token, secret = ApiToken.objects.issue(
                user=user,
                name=options["name"],
                scopes=options["scopes"].split(","),
                expires_at=expires_at,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"Token {token.pk} ({token.name}) for {user.username}, scopes {token.scopes}"
            + (f", expires {timezone.localtime(expires_at):%Y-%m-%d %H:%M}" if expires_at else "")
            + ". The secret is shown only now:"
        )
        self.stdout.write(secret)

    def handle_list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        now = timezone.now()
        for token in tokens:
            state = "active" if token.is_usable(now) else "revoked/expired"
            used = (
                f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "never"
            )
            self.stdout.write(
                f"{token.pk}\t{token.key_prefix}…\t{token.user.username}\t{token.scopes}\t"
                f"{state}\tlast used {used}\t{token.name}"
            )

    def handle_revoke(self, options: dict[str, Any]) -> None:
        updated = ApiToken.objects.filter(pk=options["id"], revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise CommandError(f"No active token has the id {options['id']}.")
        self.stdout.write(f"Token {options['id']} revoked.")
