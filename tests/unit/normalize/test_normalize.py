from __future__ import annotations

import codecs

import pytest

from services.normalize.core import InputFormat, normalize
from shared.errors import ErrorCode, PermanentError
from shared.ids import story_id_for_content
from tests.unit.normalize.helpers import DATA, NOW, raw_item, thai_hybrid_mojibake

MAX = 1_000_000


def _story(name: str, *, mojibake: bool = False, **kwargs: object):  # type: ignore[no-untyped-def]
    text = (DATA / name).read_text(encoding="utf-8")
    if mojibake:
        text = thai_hybrid_mojibake(text)
    return normalize(raw_item(text.encode("utf-8"), **kwargs), now=NOW, max_bytes=MAX)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "headline", "byline", "agency", "city", "published"),
    [
        ("ap_scrape.txt", "Lighthouse keepers return to remote island as storm season ends",
         ("Maren Holt", "Tobias Quill"), "AP", "REYKJAVIK", "2024-09-30"),
        ("reuters_scrape.txt", "Grain exporters brace for slower shipments after canal drought",
         ("Priya Raman", "Felix Ortega"), "Reuters", "LONDON", "2024-06-11T16:15"),
        ("afp_scrape.txt", "Vineyards count the cost of a late spring frost",
         ("Claire Dumont",), "AFP", "Bordeaux", "2024-04-12"),
        ("news_page.html", "Rail strike halts trains across the north",
         ("Odile Brennan",), "Reuters", "MANCHESTER", "2024-05-20T07:30:00+01:00"),
    ],
)  # fmt: skip
def test_wire_metadata(
    name: str, headline: str, byline: tuple[str, ...], agency: str, city: str, published: str
) -> None:
    story = _story(name)
    assert story.headline == headline
    assert story.byline == byline
    assert story.agency == agency
    assert story.dateline is not None
    assert story.dateline.city == city
    assert story.published_at is not None
    assert story.published_at.isoformat().startswith(published)
    assert story.body_paragraphs[0].startswith(story.dateline.text or "")


@pytest.mark.parametrize("mojibake", [False, True])
def test_ap_scrape_is_cleaned(mojibake: bool) -> None:
    story = _story("ap_scrape.txt", mojibake=mojibake)
    body = "\n".join(story.body_paragraphs)
    for chrome in (
        "Harbor City Ledger",
        "Today:",
        "Related Articles",
        "Share This",
        "Popular",
        "Harbor festival",
        "Island Lighthouse Restoration",
        "Keepers Walk",
        "___",
        "contributed to this report",
        "โ",
        "€",
    ):
        assert chrome not in body
    assert story.headline not in body
    assert "“It’s not glamorous work,” said Jūratė Šimkutė" in body
    assert story.subheadings == ("Repairs ahead", "What comes next for the station?")
    assert story.captions == ("Island Lighthouse Restoration", "Keepers Walk The Shore")
    assert (
        story.contributors == "Associated Press writer Lena Frost in Oslo, Norway contributed to this report."
    )
    assert story.related_headlines == (
        "Coastal trust raises money for fog signals",
        "Ferry service to northern islands cut for winter",
    )
    assert story.site_name == "The Harbor City Ledger"
    assert story.language == "en"
    assert len(story.body_paragraphs) == 10
    assert bool(story.fixes) is mojibake


def test_html_page_drops_furniture_and_keeps_order() -> None:
    story = _story("news_page.html", content_type="text/html")
    body = "\n".join(story.body_paragraphs)
    for chrome in (
        "Share on",
        "Advertisement",
        "Ferry fares",
        "third strike",
        "Copyright",
        "Empty platforms",
        "Home",
    ):
        assert chrome not in body
    assert story.subheadings == ("Commuters turn to buses", "Talks set for Thursday")
    assert story.body_paragraphs.index("Commuters turn to buses") == 2
    assert story.captions == ("Empty platforms at the central station on Monday morning. Photo: Staff",)
    assert story.related_headlines == ("Ferry fares to rise in autumn", "New tram line opens next year")
    assert story.canonical_url == "https://northern-wire.example/rail-strike-halts-trains"
    assert story.site_name == "The Northern Wire"
    assert story.updated_at is not None
    assert story.input_format == "html"


def test_story_fields_copied_and_ids() -> None:
    text = (DATA / "afp_scrape.txt").read_bytes()
    raw = raw_item(text, url=None).model_copy(update={"urgency": 3})
    story = normalize(raw, now=NOW, max_bytes=MAX)
    assert story.urgency == 3
    assert story.trace.normalized == NOW
    assert story.story_id == story_id_for_content("test", story.headline, "2024-04-12")
    kept = normalize(raw_item(text), now=NOW, max_bytes=MAX)
    assert kept.story_id == "test:1"
    assert kept.content_hash == story.content_hash


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            (DATA / "reuters_scrape.txt").read_text(encoding="utf-8").encode("cp1252", "replace"),
            "text/plain; charset=windows-1252",
        ),
        (
            codecs.BOM_UTF16_LE
            + (DATA / "reuters_scrape.txt").read_text(encoding="utf-8").encode("utf-16-le"),
            "text/plain",
        ),
        ((DATA / "afp_scrape.txt").read_text(encoding="utf-8").encode("latin-1"), "text/plain"),
    ],
)
def test_charsets(body: bytes, content_type: str) -> None:
    story = normalize(raw_item(body, content_type=content_type), now=NOW, max_bytes=MAX)
    assert "\ufffd" not in story.headline
    assert story.dateline is not None


def test_forced_format_reads_html_as_text() -> None:
    html = (DATA / "news_page.html").read_bytes()
    assert normalize(raw_item(html), now=NOW, max_bytes=MAX).input_format == "html"
    with pytest.raises(PermanentError):
        normalize(raw_item(b"<p>x</p>" * 3), now=NOW, max_bytes=MAX, force_format=InputFormat.HTML)


@pytest.mark.parametrize(
    ("body", "max_bytes", "code"),
    [
        (b"", MAX, ErrorCode.EMPTY_INPUT),
        (b"   \n\t  ", MAX, ErrorCode.EMPTY_INPUT),
        (b"%PDF-1.7 binary stuff", MAX, ErrorCode.BINARY_INPUT),
        (bytes(range(256)) * 40, MAX, ErrorCode.BINARY_INPUT),
        (b"\x89PNG\r\n\x1a\n....", MAX, ErrorCode.BINARY_INPUT),
        (b"a" * 2000, 1000, ErrorCode.INPUT_TOO_LARGE),
        (b"Just one line of text", MAX, ErrorCode.NO_ARTICLE),
        (b"<html><body><nav>Home</nav></body></html>", MAX, ErrorCode.NO_ARTICLE),
        ((DATA / "ap_scrape.txt").read_bytes()[:150], MAX, ErrorCode.NO_ARTICLE),
    ],
)
def test_bad_input_is_a_typed_permanent_error(body: bytes, max_bytes: int, code: ErrorCode) -> None:
    with pytest.raises(PermanentError) as caught:
        normalize(raw_item(body), now=NOW, max_bytes=max_bytes)
    assert caught.value.code == code
