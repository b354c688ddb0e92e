"""Page layouts the HTML extractor must read: each test page is written here, small and synthetic."""

from __future__ import annotations

from services.normalize.core import normalize
from shared.contracts import NormalizedStory
from tests.unit.normalize.helpers import NOW, raw_item

STORY = [
    "Council members voted on Tuesday to keep the old swimming pool open for another two summers, "
    "reversing a plan to close it this autumn.",
    "The pool, built in 1962, needs a new roof and pumps, and the repairs will cost about 1.2 million, "
    "according to the city's own estimate.",
    "Swimmers, many of them pensioners who use the pool every morning, had filled the public gallery "
    "for the vote and applauded when the result was read out.",
    "The council said it would look for a private partner to run the pool from 2028.",
]


def _page(body: str, title: str = "Council keeps old pool open for two more summers") -> NormalizedStory:
    html = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1>{body}</body></html>"
    )
    return normalize(raw_item(html.encode("utf-8"), content_type="text/html"), now=NOW, max_bytes=1_000_000)


def _paragraphs(texts: list[str], tag: str = "p") -> str:
    return "".join(f"<{tag}>{t}</{tag}>" for t in texts)


def test_a_cookie_banner_longer_than_a_short_story_is_dropped() -> None:
    banner = (
        "<div class='m-privacy-consent'><p>We use cookies, pixels, local storage and similar technologies to "
        "improve your browsing experience, remember your settings, show personalised content, measure and "
        "target ads, analyse site traffic, and understand where our audience is coming from, as our partners, "
        "advertisers and analytics providers do too.</p><p>By choosing I Accept, you consent to our use of "
        "cookies, pixels and other tracking technologies, on this site, its apps, and its partners' sites.</p></div>"
    )
    story = _page(banner + "<div>" + _paragraphs(STORY[:2]) + "</div>")
    assert story.body_paragraphs == tuple(STORY[:2])


def test_a_sidebar_of_teasers_does_not_outweigh_the_story() -> None:
    teasers = "".join(
        f"<article><h3><a href='/t{i}'>Deal of the day number {i}</a></h3><p>Shoppers can save on laptops, "
        f"phones, headphones, tablets, watches and more this week, with prices cut by up to a third at "
        f"several big retailers, and some bundles now cost less than the...</p></article>"
        for i in range(10)
    )
    story = _page(
        f"<div class='main'><article class='post'>{_paragraphs(STORY)}</article></div><aside>{teasers}</aside>"
    )
    assert story.body_paragraphs == tuple(STORY)


def test_paragraphs_written_as_divs_of_spans_are_read() -> None:
    body = "".join(f"<div><span style='font-size: small'>{t}</span></div><div>&nbsp;</div>" for t in STORY)
    story = _page(f"<div class='post-body'>{body}</div>")
    assert story.body_paragraphs == tuple(STORY)


def test_a_story_cut_by_an_embed_is_gathered_in_order() -> None:
    part = "<div class='body-text section'><div class='component'><div class='inner'>{}</div></div></div>"
    embed = "<div class='html-embed section'><div><iframe src='https://player.example/1'></iframe></div></div>"
    listing = (
        "<div class='more-from'><ul>"
        + "".join(
            f"<li><a href='/x{i}'>Another story headline number {i} from the same site</a></li>" for i in range(6)
        )
        + "</ul></div>"
    )
    story = _page(
        "<article>"
        + part.format(_paragraphs(STORY[:2]))
        + embed
        + part.format(_paragraphs(STORY[2:]))
        + listing
        + "</article>"
    )
    assert story.body_paragraphs == tuple(STORY)


def test_div_paragraphs_after_a_read_more_break_are_kept() -> None:
    first = _paragraphs(STORY[:2], tag="div class='body__paragraph'")
    rest = _paragraphs(STORY[2:], tag="div class='body__paragraph'")
    story = _page(
        f"<section class='body'>{first}<div class='read-more-button'>Read More</div>"
        f"<div class='body__read-all'>{rest}</div></section>"
    )
    assert story.body_paragraphs == tuple(STORY)


def test_a_url_line_next_to_the_story_is_not_a_paragraph() -> None:
    url = "https://www.example-news.example/news/article/Council-keeps-old-pool-open-for-two-more-summers-1234567.php"
    story = _page(f"<div class='wrap'><div>{url}</div><div class='story'>{_paragraphs(STORY)}</div></div>")
    assert story.body_paragraphs == tuple(STORY)


def test_dates_shown_in_markup_when_the_page_declares_none() -> None:
    story = _page(
        "<div class='meta'><time class='timestamp' datetime='2025-03-04T08:15:00+01:00'>4 March</time>"
        "<span itemprop='dateModified' content='2025-03-04T10:00:00+01:00'>updated</span></div>"
        f"<div class='story'>{_paragraphs(STORY)}</div>"
        "<aside><time datetime='2020-01-01T00:00:00Z'>old</time></aside>"
    )
    assert story.published_at is not None
    assert story.published_at.isoformat() == "2025-03-04T08:15:00+01:00"
    assert story.updated_at is not None
    assert story.updated_at.isoformat() == "2025-03-04T10:00:00+01:00"
    assert "4 March" not in " ".join(story.body_paragraphs)


RU = [
    "Городской совет во вторник проголосовал за то, чтобы старый бассейн работал ещё два лета подряд.",
    "Ремонт крыши и насосов обойдётся примерно в 1,2 миллиона, говорится в оценке самого города.",
]


def test_charset_from_the_meta_tag() -> None:
    html = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>"
        "<title>Бассейн остаётся открытым</title></head><body><h1>Бассейн остаётся открытым</h1>"
        f"<div class='story'>{_paragraphs(RU)}</div></body></html>"
    )
    raw = raw_item(html.encode("cp1251"), content_type="text/html")
    story = normalize(raw, now=NOW, max_bytes=1_000_000)
    assert story.body_paragraphs == tuple(RU)
    assert story.headline == "Бассейн остаётся открытым"


def test_charset_from_the_http_header() -> None:
    greek = ["Το δημοτικό συμβούλιο αποφάσισε την Τρίτη να μείνει ανοιχτή η παλιά πισίνα για δύο ακόμη καλοκαίρια."]
    html = f"<html><head><title>Η πισίνα μένει ανοιχτή</title></head><body><p>{greek[0]}</p></body></html>"
    raw = raw_item(html.encode("iso-8859-7"), content_type="text/html; charset=iso-8859-7")
    story = normalize(raw, now=NOW, max_bytes=1_000_000)
    assert story.body_paragraphs == tuple(greek)


def test_short_cjk_sentences_are_paragraphs() -> None:
    ja = [
        "市議会は火曜日、古いプールをあと二年間開けておくことを決めた。",
        "修理には約百二十万かかる。",
        "利用者は喜んだ。",
    ]
    story = _page(f"<div class='story'>{_paragraphs(ja)}</div>", title="古いプール、あと二年営業へ")
    assert story.body_paragraphs == tuple(ja)
