"""Versioning: which stories become which versions and actions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.publish.core import LatestVersion, decide, embargoed, source_action, summary_line, version_hash
from shared.contracts import Action, PubStatus
from tests.support.factories import NOW
from tests.support.publishing import later, rich_story

LATER = datetime(2026, 5, 4, 13, 0, tzinfo=UTC)


def test_first_sight_is_version_one_publish_with_ninjs() -> None:
    event = decide(None, rich_story(1), now=NOW)
    assert event is not None
    assert (event.version, event.action, event.pubstatus) == (1, Action.PUBLISH, PubStatus.USABLE)
    assert event.ninjs is not None
    assert event.ninjs["uri"] == f"urn:newswire:story:{event.story_id}"
    assert summary_line(event) == f"published {event.story_id} v1 {event.headline}"


def test_same_content_again_is_a_no_op() -> None:
    story = rich_story(1)
    assert decide(LatestVersion(3, version_hash(story)), story, now=NOW) is None


def test_new_content_is_the_next_version_and_keeps_firstcreated() -> None:
    latest = LatestVersion(2, "old-hash", firstcreated=NOW)
    event = decide(latest, rich_story(1), now=LATER)
    assert event is not None
    assert (event.version, event.action) == (3, Action.UPDATE)
    assert event.ninjs is not None
    assert event.ninjs["firstcreated"] == "2026-05-04T12:00:00Z"
    assert event.ninjs["versioncreated"] == "2026-05-04T13:00:00Z"


@pytest.mark.parametrize(
    ("headline", "action", "pubstatus"),
    [
        ("CORRECTED: Council approves budget", Action.CORRECT, PubStatus.USABLE),
        ("Correction - Council approves budget", Action.CORRECT, PubStatus.USABLE),
        ("KILL: Council approves budget", Action.KILL, PubStatus.CANCELED),
        ("Mandatory kill — Council approves budget", Action.KILL, PubStatus.CANCELED),
        ("WITHHOLD: Council approves budget", Action.WITHHOLD, PubStatus.WITHHELD),
        ("Killer whale sighted off Tampere", Action.UPDATE, PubStatus.USABLE),
    ],
)
def test_source_markers_set_the_action_of_a_later_version(
    headline: str, action: Action, pubstatus: PubStatus
) -> None:
    event = decide(LatestVersion(1, "old"), rich_story(1, headline=headline), now=NOW)
    assert event is not None
    assert (event.action, event.pubstatus) == (action, pubstatus)
    assert event.ninjs is not None
    assert event.ninjs["pubstatus"] == str(pubstatus)


def test_reuters_style_correction_in_the_lead() -> None:
    story = rich_story(1, body_paragraphs=("(Corrects spelling of name in paragraph 2)", "Body."))
    assert source_action(story.story) == Action.CORRECT


def test_kill_of_a_story_never_published_is_nothing_to_deliver() -> None:
    assert decide(None, rich_story(1, headline="KILL: Council approves budget"), now=NOW) is None


def test_embargo_holds_until_its_time() -> None:
    event = decide(None, rich_story(1, embargo_until=later(NOW, 60)), now=NOW)
    assert event is not None
    assert embargoed(event, now=NOW)
    assert not embargoed(event, now=later(NOW, 60))
    assert event.ninjs is not None
    assert event.ninjs["embargoed"] == "2026-05-04T12:01:00Z"


@pytest.mark.parametrize(
    ("changes", "action"),
    [
        ({"source_signals": ("update",)}, Action.UPDATE),
        ({"source_signals": ("correction",)}, Action.CORRECT),
        ({"source_signals": ("update", "kill")}, Action.KILL),  # the strongest signal wins
        ({"source_pubstatus": PubStatus.WITHHELD}, Action.WITHHOLD),
        ({"source_pubstatus": PubStatus.CANCELED}, Action.KILL),
        ({"source_signals": ("correction",), "headline": "KILL: x"}, Action.CORRECT),  # structured data wins
    ],
)
def test_agency_signals_and_pubstatus_set_the_action(changes: dict[str, object], action: Action) -> None:
    story = rich_story(1, **changes)
    assert source_action(story.story) == action
