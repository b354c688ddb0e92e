"""Page metadata from HTML: JSON-LD NewsArticle, Open Graph / article meta tags, canonical link, lang."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.normalize import dates, wire_meta

_ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle", "webpage",
     "opinionnewsarticle", "backgroundnewsarticle", "livebloggingposting", "techarticle", "report"}
)  # fmt: skip


@dataclass(slots=True)
class PageMeta:
    """Metadata a page declares about its article."""

    headline: str | None = None
    article_body: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None


def read_meta(tree: LexborHTMLParser) -> PageMeta:
    """Collect metadata; JSON-LD wins over meta tags because it is what publishers feed to search."""
    meta = PageMeta()
    for node in tree.css('script[type="application/ld+json"]'):
        for item in _ld_items(node.text(deep=True)):
            _apply_ld(item, meta)
    tags = {}
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").lower()
        value = node.attributes.get("content")
        if key and value and key not in tags:
            tags[key] = value.strip()
    meta.headline = meta.headline or tags.get("og:title") or tags.get("twitter:title")
    meta.published = meta.published or tags.get("article:published_time") or tags.get("pubdate")
    meta.published = meta.published or tags.get("publish-date") or tags.get("date") or tags.get("dc.date")
    meta.modified = meta.modified or tags.get("article:modified_time") or tags.get("og:updated_time")
    meta.site_name = meta.site_name or tags.get("og:site_name") or tags.get("application-name")
    if not meta.authors and tags.get("author") and not tags["author"].startswith("http"):
        meta.authors = [tags["author"]]
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical is not None else None
    meta.canonical_url = meta.canonical_url or href or tags.get("og:url")
    html = tree.css_first("html")
    lang = html.attributes.get("lang") if html is not None else None
    locale = lang or meta.language or tags.get("og:locale") or tags.get("content-language")
    meta.language = locale.replace("_", "-").split("-")[0].lower() if locale else None
    return meta


def _ld_items(source: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(source)
    except ValueError:
        return []
    stack: list[Any] = [data]
    items: list[dict[str, Any]] = []
    while stack and len(items) < 50:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(reversed(current))
        elif isinstance(current, dict):
            items.append(current)
            if isinstance(current.get("@graph"), list):
                stack.extend(reversed(current["@graph"]))
    return items


def _apply_ld(item: dict[str, Any], meta: PageMeta) -> None:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if not any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
        return
    article = any(isinstance(k, str) and k.lower() != "webpage" for k in kinds)
    if article or not meta.headline:
        meta.headline = _text(item.get("headline")) or meta.headline
    if article:
        meta.article_body = meta.article_body or _text(item.get("articleBody"))
        meta.authors = meta.authors or _names(item.get("author"))
        publisher = item.get("publisher")
        meta.site_name = meta.site_name or (_text(publisher.get("name")) if isinstance(publisher, dict) else None)
    meta.published = meta.published or _text(item.get("datePublished"))
    meta.modified = meta.modified or _text(item.get("dateModified"))
    meta.language = meta.language or _text(item.get("inLanguage"))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for v in values:
        name = _text(v.get("name")) if isinstance(v, dict) else _text(v)
        if name and not name.startswith("http"):
            names.append(name)
    return names


def byline_from_meta(meta: PageMeta) -> tuple[list[str], str | None]:
    """Return author names and agency from declared authors ("Lorne Cook, Associated Press" is both)."""
    names: list[str] = []
    agency = None
    for author in meta.authors:
        if wire_meta.agency_of(author):
            agency = agency or wire_meta.agency_of(author)
            continue
        parsed = wire_meta.parse_byline(author if author.lower().startswith("by ") else f"By {author}")
        if parsed:
            names.extend(parsed[0])
            agency = agency or parsed[1]
    return names, agency


def meta_dates(meta: PageMeta) -> tuple[datetime | None, datetime | None]:
    """Return published and modified datetimes from declared ISO strings (None when absent)."""
    published = dates.parse_iso(meta.published) if meta.published else None
    modified = dates.parse_iso(meta.modified) if meta.modified else None
    return published, modified


_DATE_NODES = '[itemprop="datePublished"], [itemprop="dateModified"], time[datetime]'
_BYLINE_NODES = '[class~="byline"], [class~="author"], [rel="author"], [itemprop="author"]'


def visible_dates(body: LexborNode) -> tuple[datetime | None, datetime | None]:
    """Published and updated times the page shows in markup (schema.org itemprops, then <time datetime>)."""
    published = updated = first_time = None
    for node in body.css(_DATE_NODES):
        attrs = node.attributes
        when = dates.parse_iso(attrs.get("datetime") or attrs.get("content") or node.text(deep=True))
        prop = attrs.get("itemprop")
        if when is None:
            continue
        if prop == "dateModified":
            updated = updated or when
        elif prop == "datePublished":
            published = published or when
        else:
            first_time = first_time or when  # the page's first <time> is its story's
    return published or first_time, updated


def visible_byline(body: LexborNode) -> tuple[list[str], str | None]:
    """Names and agency from the page's first byline element ("By Ines Carvalho" in a byline-classed tag)."""
    for node in body.css(_BYLINE_NODES):
        text = " ".join(node.text(deep=True).split())
        if not text or len(text) > 120:
            continue
        parsed = wire_meta.parse_byline(text if text.lower().startswith("by ") else f"By {text}")
        if parsed and parsed[0]:
            return parsed
    return [], None
