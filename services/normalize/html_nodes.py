"""Measures of HTML nodes shared by the extractor's stages: block children, link density, teasers."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

BLOCK_SELECTOR = "p, div, h2, h3, h4, ul, ol, blockquote, pre, table, section"
_BLOCK_TAGS = frozenset(BLOCK_SELECTOR.split(", "))
# Below this a block is a label, not a paragraph ("Advertisement", "Share").
MIN_PARAGRAPH_CHARS = 25
MAX_LINK_DENSITY = 0.5
STORY_PARAGRAPH = 80  # characters of a paragraph that counts as story prose


def has_block_child(node: LexborNode) -> bool:
    """Tell whether a node holds block elements (paragraphs, divs, lists...) below it."""
    # A node's css() includes the node itself: a block node is asked about its children's subtrees.
    if node.tag not in _BLOCK_TAGS:
        return node.css_first(BLOCK_SELECTOR) is not None
    return any(child.css_first(BLOCK_SELECTOR) is not None for child in node.iter(include_text=False))


def link_density(node: LexborNode) -> float:
    """Share of a node's text that sits inside links."""
    total = len(node.text(deep=True).strip())
    if not total:
        return 0.0
    linked = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
    return linked / total


def is_teaser(text: str) -> bool:
    """Tell a truncated teaser ("... cut mid-sentence...") of a link list from a paragraph."""
    return text.rstrip().endswith(("...", "…"))


def clean(text: str) -> str:
    """Collapse runs of whitespace to single spaces."""
    return " ".join(text.split())
