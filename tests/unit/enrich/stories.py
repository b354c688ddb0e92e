"""Wire stories written for these tests (fictional events, real public figures and places)."""

from __future__ import annotations

import hashlib

from shared.contracts import Dateline, NormalizedStory

SUMMIT = (
    "NATO allies pledge more air defence for Ukraine at Vilnius talks",
    (
        "VILNIUS, Lithuania (NWS) — NATO defence ministers pledged on Tuesday to send more air defence "
        "systems to Ukraine, as Russian missile strikes on power plants intensified ahead of winter.",
        "U.S. Defense Secretary Lloyd Austin told reporters that the alliance would not let Kyiv "
        "face the winter alone. “We will deliver what we promised, and we will do it quickly,” Austin said.",
        "German Chancellor Olaf Scholz said Germany would send two more Patriot batteries. Britain and "
        "the Netherlands offered to pay for ammunition, while Ivory Coast observers attended the meeting.",
        "“Our troops need this shield now, not next year,” Ukrainian President Volodymyr Zelenskyy said "
        "by video link from Kiev. “Every day without it costs lives,” he added.",
        "Scholz later met Austin and Zelenskyy's envoy. Officials from the European Union and the "
        "United Nations attended as observers.",
    ),
)

MATCH = (
    "Late goal sends Arsenal into cup final",
    (
        "LONDON (NWS) — Arsenal reached the cup final on Saturday after a stoppage-time goal "
        "from Bukayo Saka beat Chelsea 2-1 at Wembley Stadium.",
        "Saka's shot deflected off a defender in the 93rd minute. “It was a scrappy goal but we will "
        "take it,” coach Mikel Arteta said after the match.",
        "Chelsea had equalised through a penalty early in the second half, and the tournament's "
        "defending champions pressed for a winner until the final whistle.",
    ),
)


def story(headline: str, paragraphs: tuple[str, ...], *, story_id: str = "s-1", city: str | None = None,
          language: str | None = "en") -> NormalizedStory:
    """A normalized story built from parts."""
    return NormalizedStory(
        story_id=story_id,
        item_id=f"item-{story_id}",
        source="test",
        content_hash=hashlib.sha256("\n".join((headline, *paragraphs)).encode()).hexdigest(),
        headline=headline,
        body_paragraphs=paragraphs,
        dateline=Dateline(city=city) if city else None,
        language=language,
    )
