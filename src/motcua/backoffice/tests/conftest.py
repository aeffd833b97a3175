from __future__ import annotations

import pytest
from django.core.cache import cache

from motcua.dossiers.tests.factories import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # The sign-in limiter counts in the cache; each test starts with a clean slate.
    cache.clear()
