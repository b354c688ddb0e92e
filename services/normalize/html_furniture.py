"""Page furniture: what is removed from an HTML page before its article is looked for."""

from __future__ import annotations

import functools
import re

from selectolax.lexbor import LexborNode

from services.normalize.html_nodes import STORY_PARAGRAPH, is_teaser

# Elements that never hold article text.
_DROP_TAGS = "script,style,noscript,iframe,svg,button,template,select,input,textarea,object,link"
# Attribute marking nodes to remove once all are found.
_DOOMED = "data-newswire-drop"
_NESTED_DOOMED = f"[{_DOOMED}] [{_DOOMED}]"
# Elements that are furniture by their tag (captions included: they are metadata, not body), unless
# a page wraps its whole story in one (ASP.NET pages put everything in a <form>).
_FURNITURE_TAGS = "nav,footer,aside,form,figure,figcaption,header,dialog,menu"
# class/id words of page furniture; matched on whole words of the attribute value.
_BOILER = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|recommend\w*|comments?|disqus|newsletter|promo\w*|"
    r"advert\w*|ads?|adslot|sponsor\w*|sidebar|footer|breadcrumbs?|caption|credit|tags?|menu|nav\w*|"
    r"subscri\w*|paywall|popup|modal|cookie\w*|consent|gdpr|banner|masthead|toolbar|author-bio|bio|outbrain|taboola|"
    r"most-?read|most-?popular|popular|trending|read-?more|more-?stories|signup|hidden|visually-hidden|"
    r"sr-only|print-only|byline|timestamp|dateline-meta|meta-?data|video-?player|gallery|slideshow)"
    r"(?:$|[\s_-])",
    re.I,
)
_MAX_FURNITURE_SHARE = 0.3
_HIDDEN = '[hidden], [aria-hidden="true"], [role="navigation"], [role="complementary"], [role="banner"]'
# Tags never dropped for their class: the page itself, the story's own wrappers, and inline links
# and images, which are judged with the block around them (pages have thousands).
_JUDGED_WITH_BLOCK = frozenset({"html", "body", "main", "article", "a", "img", "i"})


def strip_furniture(body: LexborNode) -> None:
    """Remove scripts, navigation, share bars, ads, banners and the like from the page body."""
    for node in body.css(_DROP_TAGS):
        node.attrs[_DOOMED] = ""
    _drop_doomed(body)
    # A wrapper named "page-ad-margins" or "overflow-hidden" may hold the whole story: never drop
    # a node that carries a large share of the page's paragraph text.
    total = _paragraph_chars(body)
    for node in body.css(_FURNITURE_TAGS):
        node.attrs[_DOOMED] = ""
    for node in body.css(_HIDDEN):
        node.attrs[_DOOMED] = ""
    for node in body.css("[class],[id]"):
        if node.tag in _JUDGED_WITH_BLOCK:
            continue
        attrs = node.attrs
        if _is_boiler(attrs.get("class"), attrs.get("id")):
            node.attrs[_DOOMED] = ""
    # Outermost first: a dropped node takes its insides along unread; a kept wrapper (it holds
    # the story) loses its mark, and the furniture inside it is judged in the next round.
    while True:
        outermost = _outermost_doomed(body)
        if not outermost:
            return
        for node in outermost:
            if _holds_story(node, total):
                del node.attrs[_DOOMED]
            else:
                node.decompose()


def _drop_doomed(body: LexborNode) -> None:
    """Remove the marked nodes; only the outermost, as removing a node frees everything inside it."""
    for node in _outermost_doomed(body):
        node.decompose()


def _outermost_doomed(body: LexborNode) -> list[LexborNode]:
    nested = {node.mem_id for node in body.css(_NESTED_DOOMED)}
    return [node for node in body.css(f"[{_DOOMED}]") if node.mem_id not in nested]


@functools.lru_cache(maxsize=16384)
def _is_boiler(css_class: str | None, css_id: str | None) -> bool:
    # Pages repeat a few class names on thousands of nodes: the regex runs once per distinct label.
    return _BOILER.search(f"{css_class or ''} {css_id or ''}") is not None


def _paragraph_chars(node: LexborNode) -> int:
    return sum(len(p.text(deep=True)) for p in node.css("p"))


def _holds_story(node: LexborNode, total: int) -> bool:
    """Tell whether a node carries much of the page's paragraph text in several real paragraphs.

    A cookie banner of two long paragraphs can outweigh a short story's text; it has not the
    several paragraphs of a story.
    """
    if node.css_first("p") is None:  # most furniture (icons, buttons, link bars) has no paragraph
        return False
    texts = [p.text(deep=True) for p in node.css("p")]
    story = sum(len(t) >= STORY_PARAGRAPH and not is_teaser(t) for t in texts)
    return story >= 3 and sum(map(len, texts)) > _MAX_FURNITURE_SHARE * total
