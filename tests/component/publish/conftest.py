"""An archive on each real database: a SQLite file and a unique schema in the local PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.publish.archive import Archive
from tests.support.publishing import database_settings, open_test_archive


@pytest.fixture(params=["sqlite", "postgresql"])
async def archive(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Archive]:
    """A migrated, empty archive."""
    async for opened in open_test_archive(database_settings(request.param, tmp_path)):
        yield opened
