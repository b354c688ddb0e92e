"""Publish measurements (printed, not asserted): ninjs rendering, archive writes, filtered cursor paging."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from services.publish.core import decide
from services.publish.feed import page
from services.publish.filters import SubscriberFilter, facts_of
from services.publish.subscribers import add_subscriber
from tests.support.factories import NOW
from tests.support.publishing import database_settings, ninjs_validator, open_test_archive, rich_story

N = 500


@pytest.mark.bench
def test_render_and_validate_rate() -> None:
    stories = [rich_story(n) for n in range(N)]
    started = time.perf_counter()
    events = [decide(None, s, now=NOW) for s in stories]
    render_s = time.perf_counter() - started
    validator = ninjs_validator()
    started = time.perf_counter()
    for event in events:
        assert event is not None
        assert event.ninjs is not None
        validator.validate(event.ninjs)
    validate_s = time.perf_counter() - started
    print(f"\npublish: decide+render {N / render_s:,.0f} versions/s; jsonschema validation {N / validate_s:,.0f}/s "
          f"(validation costs {validate_s / render_s:.1f}x rendering)")


@pytest.mark.bench
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_archive_write_and_paging_rate(kind: str, tmp_path: Path) -> None:
    async for archive in open_test_archive(database_settings(kind, tmp_path)):
        stories = [rich_story(n, **({"source": "other"} if n % 2 else {})) for n in range(N)]
        started = time.perf_counter()
        for story in stories:
            event = decide(None, story, now=NOW)
            assert event is not None
            await archive.record(event, facts_of(story), release=True, now=NOW)
        write_s = time.perf_counter() - started
        sub, _key = await add_subscriber(archive, "half", entitlements=("test",), subscriber_filter=SubscriberFilter())
        started = time.perf_counter()
        cursor, seen = 0, 0
        while True:
            result = await page(archive, sub, cursor, limit=100)
            if not result.items:
                break
            seen += len(result.items)
            cursor = result.next_cursor
        read_s = time.perf_counter() - started
        assert seen == N // 2
        print(f"\npublish[{kind}]: archive+feed writes {N / write_s:,.0f} versions/s; "
              f"entitled paging {N / read_s:,.0f} feed rows scanned/s ({seen} of {N} delivered)")
