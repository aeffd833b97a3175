"""The local fake of the HTTP systems we post to (`fakes.gateway`), and the database at a
migration, for the migration tests."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .fakes import FakeGateway, gateway

__all__ = ["FakeGateway", "apps_at", "gateway", "migrate_to_latest"]


def apps_at(target: list[tuple[str, str]]) -> Any:
    """Migrate the test database to `target`; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
