"""HTML article extraction on selectolax (lexbor): precision-first, paragraphs and subheadings in order."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.normalize import dates, html_meta, wire_meta
from services.normalize.draft import DraftStory
from services.normalize.html_container import best_container
from services.normalize.html_furniture import strip_furniture
from services.normalize.html_nodes import MAX_LINK_DENSITY, MIN_PARAGRAPH_CHARS, BlockIndex, clean, link_density

_INLINE = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "u", "small", "sup", "sub", "abbr", "cite", "q", "mark",
     "time", "code", "s", "del", "ins", "var", "kbd", "label", "bdi", "bdo", "wbr", "nobr", "tt", "big"}
)  # fmt: skip
_RELATED_LINKS = '[class*="related"] a, [id*="related"] a'
_LISTS = frozenset({"table", "ul", "ol"})
_MAX_DEPTH = 200  # deeper markup is read flat rather than recursed into
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# A short block ending a sentence is a paragraph; CJK sentences are short in characters.
_SENTENCE_ENDS = (".", "?", "!", "”", '"', "。", "！", "？", "」", "』")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·»]\s+")


def extract_html(html: str) -> DraftStory:
    """Extract the article of an HTML page into a draft story (empty when there is none)."""
    tree = LexborHTMLParser(html)
    meta = html_meta.read_meta(tree)
    draft = DraftStory(site_name=meta.site_name, canonical_url=meta.canonical_url, language=meta.language)
    draft.published_at, draft.updated_at = html_meta.meta_dates(meta)
    draft.byline, draft.agency = html_meta.byline_from_meta(meta)
    h1 = tree.css_first("h1")
    h1_text = clean(h1.text(deep=True)) if h1 is not None else ""
    title = tree.css_first("title")
    draft.headline = meta.headline or h1_text or _trim_title(title.text() if title is not None else "")
    body = tree.body
    if body is None:
        return draft
    # Bylines, dates, captions and related links are metadata: read them before the furniture is dropped.
    if draft.published_at is None:
        draft.published_at, updated = html_meta.visible_dates(body)
        draft.updated_at = draft.updated_at or updated
    if not draft.byline:
        draft.byline, agency = html_meta.visible_byline(body)
        draft.agency = draft.agency or agency
    draft.captions = [clean(n.text(deep=True)) for n in body.css("figcaption")]
    draft.related_headlines = [
        clean(a.text(deep=True)) for a in body.css(_RELATED_LINKS) if len(a.text(deep=True).split()) >= 3
    ]
    strip_furniture(body)
    blocks = BlockIndex(body)
    containers = best_container(body, blocks)
    if not containers:
        return draft
    paragraphs, subheadings = _blocks_of(containers, blocks)
    draft.paragraphs = paragraphs
    draft.subheadings = subheadings
    _wire_lines(draft)
    return draft


def _blocks_of(containers: list[LexborNode], blocks: BlockIndex) -> tuple[list[str], list[str]]:
    """Paragraphs and subheadings of the containers in document order."""
    walk = _Walk(blocks)
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

    def __init__(self, blocks: BlockIndex) -> None:
        self._blocks = blocks
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
            elif tag in _INLINE and not self._blocks.holds_blocks(child):
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
            text = clean(node.text(deep=True))
            if text and len(text) <= 150 and not text.endswith(":") and link_density(node) <= MAX_LINK_DENSITY:
                self.subheadings.append(text)
                self.paragraphs.append(text)
        elif node.tag == "h1" or (node.tag in _LISTS and link_density(node) > MAX_LINK_DENSITY):
            return  # the headline is read from metadata; link lists are navigation
        elif depth < _MAX_DEPTH and self._blocks.holds_blocks(node):
            self.container(node, depth)
            self.flush()
        else:
            text = node.text(deep=True)
            self._text.append(text)
            self._linked += sum(len(a.text().strip()) for a in node.css("a"))
            self.flush()

    def flush(self) -> None:
        text = clean("".join(self._text))
        linked, self._text, self._linked = self._linked, [], 0
        if not text or linked > MAX_LINK_DENSITY * len(text):
            return
        if len(text) < MIN_PARAGRAPH_CHARS and not text.endswith(_SENTENCE_ENDS):
            return
        if self.paragraphs and text == self.paragraphs[-1]:
            return
        self.paragraphs.append(text)


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


def _trim_title(title: str) -> str:
    parts = _TITLE_SEPARATORS.split(clean(title))
    return max(parts, key=len) if parts else ""
