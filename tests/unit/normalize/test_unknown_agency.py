"""Agencies the normalizer has no table entry for: bylines and datelines read by their shape."""

from __future__ import annotations

import pytest

from services.normalize.core import normalize
from services.normalize.wire_meta import parse_byline, parse_dateline, story_agency
from tests.unit.normalize.helpers import DATA, NOW, raw_item

MAX = 1_000_000


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By MARTA LINDQVIST - Nordic Wire Service", (["Marta Lindqvist"], "Nordic Wire Service")),
        ("ANNA BERG — Baltic News Agency", (["Anna Berg"], "Baltic News Agency")),
        ("By Jo Ames, Danube Press Service", (["Jo Ames"], "Danube Press Service")),
        ("By JO AMES - NWS", (["Jo Ames"], "NWS")),
        ("JO AMES - NWS", None),  # a bare abbreviation needs the "By" to read as a byline
        ("Fresh snow closes roads - Weather Service", None),
    ],
)
def test_bylines_of_unknown_agencies(line: str, expected: tuple[list[str], str] | None) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("paragraph", "city", "agency"),
    [
        ("GOTHENBURG, Sweden (NWS) — Dockworkers returned to work.", "GOTHENBURG", "NWS"),
        ("LISBON (NWS) — The first train passed.", "LISBON", "NWS"),
        ("KRAKOW (NWS) - The orchestra cancelled.", "KRAKOW", "NWS"),
        ("ST. JOHN'S, N.L. (CP) -- Fog delayed flights.", "ST. JOHN'S", "CP"),
        ("The European Union (EU) - said it would act.", None, None),
        ("Apple (AAPL) - shares rose on Monday.", None, None),
    ],
)
def test_datelines_of_unknown_agencies(paragraph: str, city: str | None, agency: str | None) -> None:
    dateline = parse_dateline(paragraph)
    assert (dateline.city if dateline else None) == city
    assert (dateline.agency if dateline else None) == agency


def test_agency_name_follows_the_dateline_abbreviation() -> None:
    assert story_agency("Nordic Wire Service", "NWS") == "NWS"
    assert story_agency("Nordic Wire Service", None) == "Nordic Wire Service"
    assert story_agency("Reuters", "AP") == "Reuters"
    assert story_agency(None, "NWS") == "NWS"


def test_text_scrape_of_an_unknown_agency() -> None:
    body = (DATA / "unknown_agency_scrape.txt").read_bytes()
    story = normalize(raw_item(body), now=NOW, max_bytes=MAX)
    assert story.headline == "Ferry operator adds night crossings to the outer islands"
    assert story.byline == ("Helka Vaaranen", "Piet Jonker")
    assert story.agency == "BNA"
    assert story.dateline is not None
    assert (story.dateline.city, story.dateline.agency) == ("TALLINN", "BNA")
    assert story.published_at is not None
    assert story.published_at.date().isoformat() == "2025-03-03"
    assert len(story.body_paragraphs) == 3
    assert story.related_headlines == ("Island school wins robotics prize",)


def test_html_page_of_an_unknown_agency() -> None:
    body = (DATA / "unknown_agency_page.html").read_bytes()
    story = normalize(raw_item(body, content_type="text/html"), now=NOW, max_bytes=MAX)
    assert story.byline == ("Anneli Koskinen",)
    assert story.agency == "NWS"
    assert story.dateline is not None
    assert (story.dateline.city, story.dateline.agency) == ("OSLO", "NWS")
    assert story.site_name == "Riverside Courier"
    assert story.body_paragraphs[-1].startswith("The restoration cost twice")
    assert "City library" not in " ".join(story.body_paragraphs)
    assert story.related_headlines == ("City library extends its opening hours",)
