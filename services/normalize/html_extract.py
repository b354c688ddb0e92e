"""HTML article extraction on selectolax (lexbor): precision-first, paragraphs and subheadings in order."""

from __future__ import annotations

import functools
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.normalize import dates, html_meta, wire_meta
from services.normalize.draft import DraftStory

# Elements that never hold article text.
_DROP_TAGS = "script,style,noscript,iframe,svg,button,template,select,input,textarea,object,link"
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
_INLINE = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "u", "small", "sup", "sub", "abbr", "cite", "q", "mark",
     "time", "code", "s", "del", "ins", "var", "kbd", "label", "bdi", "bdo", "wbr", "nobr", "tt", "big"}
)  # fmt: skip
_BYLINE_NODES = '[class~="byline"], [class~="author"], [rel="author"], [itemprop="author"]'
_RELATED_LINKS = '[class*="related"] a, [id*="related"] a'
_BLOCK_SELECTOR = "p, div, h2, h3, h4, ul, ol, blockquote, pre, table, section"
_BLOCK_TAGS = frozenset(_BLOCK_SELECTOR.split(", "))
_LISTS = frozenset({"table", "ul", "ol"})
_MAX_DEPTH = 200  # deeper markup is read flat rather than recursed into
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "td", "body", "span"})
_POSITIVE = re.compile(r"article|story|body|content|entry|post|text|main|blog|news", re.I)
_NEGATIVE = re.compile(r"comment|footer|sidebar|widget|promo|related|teaser|card|list|feed|rail|aside", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·»]\s+")
# Below this a block is a label, not a paragraph ("Advertisement", "Share").
_MIN_PARAGRAPH_CHARS = 25
_MAX_LINK_DENSITY = 0.5
_MAX_FURNITURE_SHARE = 0.3
_SIBLING_PROSE_SHARE = 0.6  # of a sibling's text in prose paragraphs, to continue the story
_STORY_PARAGRAPH = 80  # characters of a paragraph that counts towards "holds the story"


def extract_html(html: str) -> DraftStory:
    """Extract the article of an HTML page into a draft story (empty when there is none)."""
    tree = LexborHTMLParser(html)
    meta = html_meta.read_meta(tree)
    draft = DraftStory(site_name=meta.site_name, canonical_url=meta.canonical_url, language=meta.language)
    draft.published_at, draft.updated_at = html_meta.meta_dates(meta)
    draft.byline, draft.agency = html_meta.byline_from_meta(meta)
    h1 = tree.css_first("h1")
    h1_text = _clean(h1.text(deep=True)) if h1 is not None else ""
    title = tree.css_first("title")
    draft.headline = meta.headline or h1_text or _trim_title(title.text() if title is not None else "")
    body = tree.body
    if body is None:
        return draft
    # Bylines, captions and related links are metadata: read them before the furniture is dropped.
    if not draft.byline:
        draft.byline, agency = _visible_byline(body)
        draft.agency = draft.agency or agency
    draft.captions = [_clean(n.text(deep=True)) for n in body.css("figcaption")]
    draft.related_headlines = [
        _clean(a.text(deep=True)) for a in body.css(_RELATED_LINKS) if len(a.text(deep=True).split()) >= 3
    ]
    _strip_furniture(body)
    containers = _best_container(body)
    if not containers:
        return draft
    paragraphs, subheadings = _blocks_of(containers)
    draft.paragraphs = paragraphs
    draft.subheadings = subheadings
    _wire_lines(draft)
    return draft


def _visible_byline(body: LexborNode) -> tuple[list[str], str | None]:
    """Names and agency from the page's first byline element ("By Ines Carvalho" in a byline-classed tag)."""
    for node in body.css(_BYLINE_NODES):
        text = _clean(node.text(deep=True))
        if not text or len(text) > 120:
            continue
        parsed = wire_meta.parse_byline(text if text.lower().startswith("by ") else f"By {text}")
        if parsed and parsed[0]:
            return parsed
    return [], None


def _strip_furniture(body: LexborNode) -> None:
    for node in body.css(_DROP_TAGS):
        node.decompose()
    # A wrapper named "page-ad-margins" or "overflow-hidden" may hold the whole story: never drop
    # a node that carries a large share of the page's paragraph text.
    total = _paragraph_chars(body)
    doomed = [node for node in body.css(_FURNITURE_TAGS) if not _holds_story(node, total)]
    for node in body.css("[class],[id],[role],[aria-hidden],[hidden]"):
        attrs = node.attributes
        furniture = (
            "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
            or attrs.get("role") in ("navigation", "complementary", "banner")
            or (node.tag not in ("body", "html", "main", "article") and _is_boiler(attrs.get("class"), attrs.get("id")))
        )
        if furniture and not _holds_story(node, total):
            doomed.append(node)
    for node in doomed:
        node.decompose()


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
    story = sum(len(t) >= _STORY_PARAGRAPH and not _is_teaser(t) for t in texts)
    return story >= 3 and sum(map(len, texts)) > _MAX_FURNITURE_SHARE * total


def _is_teaser(text: str) -> bool:
    """Tell a truncated teaser ("... cut mid-sentence...") of a link list from a paragraph."""
    return text.rstrip().endswith(("...", "…"))


def _best_container(body: LexborNode) -> list[LexborNode]:
    """Readability-style scoring; returns the best container and the siblings that continue it.

    Each paragraph's text counts for its parent, half for its grandparent and a quarter above;
    a story split over several sibling columns (NYT-style) is gathered back together.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p in body.css("p, pre, blockquote, h2, h3, div, td"):
        # A div or cell scores for the text it holds directly (text split by <br>, no <p>).
        # A div of inline markup only (<div><span>text</span></div>) is a paragraph.
        direct = p.tag in ("div", "td")
        text = p.text(deep=not direct or not _has_block_child(p))
        length = len(text.strip())
        if length < _MIN_PARAGRAPH_CHARS or _is_teaser(text) or (not direct and _link_density(p) > _MAX_LINK_DENSITY):
            continue
        score = 1 + min(length / 100, 3) + text.count(",")
        parent = p if direct else p.parent
        for weight in (1.0, 0.5, 0.25):
            if parent is None:
                break
            key = parent.mem_id
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + score * weight
            parent = parent.parent
    if not scores:
        return []
    final = {k: scores[k] * (1 - _link_density(nodes[k])) * _class_weight(nodes[k]) for k in scores}
    best = max(final, key=final.__getitem__)
    top = nodes[best]
    # Wrappers with nothing else in them (div > div > div.text) stand for their content: the
    # story's other parts are siblings of the outermost one.
    while top.tag != "body" and top.parent is not None and top.parent.tag != "body" and _sole_child(top):
        top = top.parent
    parent = top.parent
    if parent is None or top.tag == "body":
        return [top]
    threshold = max(10.0, 0.2 * final[best])
    chosen = []
    for sibling in parent.iter(include_text=False):
        if (
            sibling.mem_id == top.mem_id
            or final.get(sibling.mem_id, 0.0) >= threshold
            or ((_is_leaf(sibling) or _same_kind(sibling, top)) and _continues_story(sibling))
        ):
            chosen.append(sibling)
    return chosen


def _same_kind(node: LexborNode, other: LexborNode) -> bool:
    # A story cut into parts by embeds repeats its part's markup: same tag, same first class.
    if node.tag != other.tag:
        return False
    mine, theirs = (node.attributes.get("class") or "").split(), (other.attributes.get("class") or "").split()
    return mine[:1] == theirs[:1]


def _is_leaf(node: LexborNode) -> bool:
    # A paragraph, or a div used as one (CNN's "zn-body__paragraph").
    return node.tag == "p" or (node.tag == "div" and not _has_block_child(node))


def _sole_child(node: LexborNode) -> bool:
    parent = node.parent
    return parent is not None and sum(1 for _ in parent.iter(include_text=False)) == 1


def _continues_story(node: LexborNode) -> bool:
    """Tell whether a sibling of the story's container is prose: paragraphs, not a list of teasers."""
    paragraphs = [node] if _is_leaf(node) else node.css("p")
    prose = 0
    for p in paragraphs:
        text = p.text(deep=True)
        if len(text) > _STORY_PARAGRAPH and len(text.split()) >= 8 and not _is_teaser(text) and _link_density(p) < 0.25:
            prose += len(text)
    return prose > 0 and prose >= _SIBLING_PROSE_SHARE * len(node.text(deep=True).strip())


def _class_weight(node: LexborNode) -> float:
    label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    if _POSITIVE.search(label):
        return 1.25
    return 0.75 if _NEGATIVE.search(label) else 1.0


def _blocks_of(containers: list[LexborNode]) -> tuple[list[str], list[str]]:
    """Paragraphs and subheadings of the containers in document order."""
    walk = _Walk()
    for top in containers:
        walk.block(top, 0)
    walk.flush()
    paragraphs, subheadings = walk.paragraphs, walk.subheadings
    # Trailing subheadings with nothing under them are tail labels ("Related", "Most read").
    while paragraphs and subheadings and paragraphs[-1] == subheadings[-1]:
        paragraphs.pop()
        subheadings.pop()
    return paragraphs, [s for s in subheadings if s in paragraphs]


class _Walk:
    """Collects blocks; inline runs between block elements (text split by <br>) count as paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.subheadings: list[str] = []
        self._text: list[str] = []
        self._linked = 0

    def container(self, node: LexborNode, depth: int) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                self._text.append(child.text_content or "")
            elif tag == "br" or tag == "hr":
                self.flush()
            elif tag in _INLINE and not _has_block_child(child):
                text = child.text(deep=True)
                self._text.append(text)
                self._linked += len(text.strip()) if tag == "a" else sum(len(a.text().strip()) for a in child.css("a"))
            elif tag.startswith("-"):
                continue
            else:
                self.flush()
                self.block(child, depth + 1)

    def block(self, node: LexborNode, depth: int) -> None:
        if node.tag in _HEADINGS:
            text = _clean(node.text(deep=True))
            if text and len(text) <= 150 and not text.endswith(":") and _link_density(node) <= _MAX_LINK_DENSITY:
                self.subheadings.append(text)
                self.paragraphs.append(text)
        elif node.tag == "h1" or (node.tag in _LISTS and _link_density(node) > _MAX_LINK_DENSITY):
            return  # the headline is read from metadata; link lists are navigation
        elif depth < _MAX_DEPTH and _has_block_child(node):
            self.container(node, depth)
            self.flush()
        else:
            text = node.text(deep=True)
            self._text.append(text)
            self._linked += sum(len(a.text().strip()) for a in node.css("a"))
            self.flush()

    def flush(self) -> None:
        text = _clean("".join(self._text))
        linked, self._text, self._linked = self._linked, [], 0
        if not text or linked > _MAX_LINK_DENSITY * len(text):
            return
        if len(text) < _MIN_PARAGRAPH_CHARS and not text.endswith((".", "?", "!", "”", '"')):
            return
        if self.paragraphs and text == self.paragraphs[-1]:
            return
        self.paragraphs.append(text)


def _has_block_child(node: LexborNode) -> bool:
    # A node's css() includes the node itself: a block node is asked about its children's subtrees.
    if node.tag not in _BLOCK_TAGS:
        return node.css_first(_BLOCK_SELECTOR) is not None
    return any(child.css_first(_BLOCK_SELECTOR) is not None for child in node.iter(include_text=False))


def _link_density(node: LexborNode) -> float:
    total = len(node.text(deep=True).strip())
    if not total:
        return 0.0
    linked = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
    return linked / total


def _wire_lines(draft: DraftStory) -> None:
    """Pull a leading byline/date line and a trailing contributors note out of the paragraphs."""
    while draft.paragraphs:
        first = draft.paragraphs[0]
        byline = wire_meta.parse_byline(first) if len(first) < 120 else None
        if byline is not None:
            draft.byline = draft.byline or byline[0]
            draft.agency = draft.agency or byline[1]
        elif not dates.is_date_line(first):
            break
        draft.paragraphs.pop(0)
    while draft.paragraphs and wire_meta.is_contributors_note(draft.paragraphs[-1]):
        note = draft.paragraphs.pop()
        draft.contributors = f"{note} {draft.contributors}" if draft.contributors else note


def _clean(text: str) -> str:
    return " ".join(text.split())


def _trim_title(title: str) -> str:
    parts = _TITLE_SEPARATORS.split(_clean(title))
    return max(parts, key=len) if parts else ""
