"""Entitlements and subscriber filters."""

from __future__ import annotations

import pytest

from services.publish.filters import SubscriberFilter, entitled, facts_of, matches, query_matches
from tests.support.publishing import rich_story

FACTS = facts_of(rich_story(1, urgency=3, agency="AP"))


@pytest.mark.parametrize(
    ("entitlements", "expected"),
    [(("*",), True), (("test",), True), (("ap",), True), (("reuters", "afp"), False), ((), False)],
)
def test_entitlements_cover_source_or_agency(entitlements: tuple[str, ...], expected: bool) -> None:
    assert entitled(entitlements, FACTS) is expected


@pytest.mark.parametrize(
    ("subscriber_filter", "expected"),
    [
        (SubscriberFilter(), True),
        (SubscriberFilter(subjects=("11000000",)), True),
        (SubscriberFilter(subjects=("Politics",)), True),
        (SubscriberFilter(subjects=("15000000",)), False),
        (SubscriberFilter(places=("FI",)), True),
        (SubscriberFilter(places=("Brussels",)), False),
        (SubscriberFilter(people=("anna virtanen",)), True),
        (SubscriberFilter(organisations=("Tampere City Council",)), True),
        (SubscriberFilter(organisations=("NATO",)), False),
        (SubscriberFilter(keywords=("tram",)), True),
        (SubscriberFilter(keywords=("hospital",)), True),  # found in the body
        (SubscriberFilter(keywords=("volcano",)), False),
        (SubscriberFilter(languages=("en",)), True),
        (SubscriberFilter(languages=("fi",)), False),
        (SubscriberFilter(max_urgency=3), True),
        (SubscriberFilter(max_urgency=2), False),
        (SubscriberFilter(subjects=("11000000",), places=("Brussels",)), False),  # every criterion must hold
    ],
)
def test_filter_criteria(subscriber_filter: SubscriberFilter, expected: bool) -> None:
    assert matches(subscriber_filter, FACTS) is expected


def test_free_text_query_needs_every_word() -> None:
    assert query_matches("tram budget", FACTS)
    assert not query_matches("tram volcano", FACTS)
    assert query_matches(None, FACTS)
