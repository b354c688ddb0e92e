"""Measures of HTML nodes shared by the extractor's stages: block children, link density, teasers."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

BLOCK_SELECTOR = "p, div, h2, h3, h4, ul, ol, blockquote, pre, table, section"
_BLOCK_TAGS = frozenset(BLOCK_SELECTOR.split(", "))
# Below this a block is a label, not a paragraph ("Advertisement", "Share").
MIN_PARAGRAPH_CHARS = 25
MAX_LINK_DENSITY = 0.5
STORY_PARAGRAPH = 80  # characters of a paragraph that counts as story prose


class BlockIndex:
    """Which nodes hold block elements (paragraphs, divs, lists...) below them, found in one pass.

    Asking each node would search its subtree, again for every ancestor; the index walks up
    from each block instead, through inline wrappers only, so each node is visited about once.
    The tree must not change while the index is used.
    """

    def __init__(self, root: LexborNode) -> None:
        """Index the blocks under ``root``."""
        holders: set[int] = set()
        for block in root.css(BLOCK_SELECTOR):
            node = block.parent
            while node is not None and node.mem_id not in holders:
                holders.add(node.mem_id)
                if node.tag in _BLOCK_TAGS:
                    break  # its own ancestors are reached from it, as it is a block too
                node = node.parent
        self._holders = holders

    def holds_blocks(self, node: LexborNode) -> bool:
        """Tell whether block elements sit anywhere below ``node``."""
        return node.mem_id in self._holders


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
