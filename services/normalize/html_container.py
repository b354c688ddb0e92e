"""Where the article is: readability-style scoring of containers, and the siblings that continue it."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from services.normalize.html_nodes import (
    MAX_LINK_DENSITY,
    MIN_PARAGRAPH_CHARS,
    STORY_PARAGRAPH,
    BlockIndex,
    is_teaser,
    link_density,
)

_POSITIVE = re.compile(r"article|story|body|content|entry|post|text|main|blog|news", re.I)
_NEGATIVE = re.compile(r"comment|footer|sidebar|widget|promo|related|teaser|card|list|feed|rail|aside", re.I)
_MAX_CLASS_WEIGHT = 1.25  # of a container whose class/id says "article", "story", "content"...
_SIBLING_PROSE_SHARE = 0.6  # of a sibling's text in prose paragraphs, to continue the story


def best_container(body: LexborNode, blocks: BlockIndex) -> list[LexborNode]:
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
        text = p.text(deep=not direct or not blocks.holds_blocks(p))
        length = len(text.strip())
        if length < MIN_PARAGRAPH_CHARS or is_teaser(text) or (not direct and link_density(p) > MAX_LINK_DENSITY):
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
    final: dict[int, float] = {}

    def final_score(key: int) -> float:
        # Link density costs a walk of the node: computed only for nodes that can still win.
        if key not in final:
            final[key] = scores[key] * (1 - link_density(nodes[key])) * _class_weight(nodes[key])
        return final[key]

    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = ranked[0]
    for key in ranked:
        if scores[key] * _MAX_CLASS_WEIGHT < final_score(best):
            break
        if final_score(key) > final_score(best):
            best = key
    top = nodes[best]
    # Wrappers with nothing else in them (div > div > div.text) stand for their content: the
    # story's other parts are siblings of the outermost one.
    while top.tag != "body" and top.parent is not None and top.parent.tag != "body" and _sole_child(top):
        top = top.parent
    parent = top.parent
    if parent is None or top.tag == "body":
        return [top]
    threshold = max(10.0, 0.2 * final_score(best))
    chosen = []
    for sibling in parent.iter(include_text=False):
        if (
            sibling.mem_id == top.mem_id
            or (
                scores.get(sibling.mem_id, 0.0) * _MAX_CLASS_WEIGHT >= threshold
                and final_score(sibling.mem_id) >= threshold
            )
            or ((_is_leaf(sibling, blocks) or _same_kind(sibling, top)) and _continues_story(sibling, blocks))
        ):
            chosen.append(sibling)
    return chosen


def _same_kind(node: LexborNode, other: LexborNode) -> bool:
    # A story cut into parts by embeds repeats its part's markup: same tag, same first class.
    if node.tag != other.tag:
        return False
    mine, theirs = (node.attributes.get("class") or "").split(), (other.attributes.get("class") or "").split()
    return mine[:1] == theirs[:1]


def _is_leaf(node: LexborNode, blocks: BlockIndex) -> bool:
    # A paragraph, or a div used as one (CNN's "zn-body__paragraph").
    return node.tag == "p" or (node.tag == "div" and not blocks.holds_blocks(node))


def _sole_child(node: LexborNode) -> bool:
    parent = node.parent
    return parent is not None and sum(1 for _ in parent.iter(include_text=False)) == 1


def _continues_story(node: LexborNode, blocks: BlockIndex) -> bool:
    """Tell whether a sibling of the story's container is prose: paragraphs, not a list of teasers."""
    paragraphs = [node] if _is_leaf(node, blocks) else node.css("p")
    prose = 0
    for p in paragraphs:
        text = p.text(deep=True)
        if len(text) > STORY_PARAGRAPH and len(text.split()) >= 8 and not is_teaser(text) and link_density(p) < 0.25:
            prose += len(text)
    return prose > 0 and prose >= _SIBLING_PROSE_SHARE * len(node.text(deep=True).strip())


def _class_weight(node: LexborNode) -> float:
    label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    if _POSITIVE.search(label):
        return _MAX_CLASS_WEIGHT
    return 0.75 if _NEGATIVE.search(label) else 1.0
