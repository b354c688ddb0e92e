"""Plain-text scrapes: find the article span, drop site chrome, repeated blocks and the related tail."""

from __future__ import annotations

import re
from collections import Counter

from services.normalize import dates, wire_meta
from services.normalize.draft import DraftStory, unique
from shared.ids import fold

# A short line that opens the page's tail: everything after it is not the article.
_TAIL_MARKER = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|news|content|coverage|posts|links))?|share(?:\s+(?:this|on\b.*))?"
    r"|popular(?:\s+(?:now|stories|posts|articles))?|most\s+(?:read|popular|viewed|shared)"
    r"|trending(?:\s+now)?|read\s+(?:more|next)|more\s+(?:from|on|stories|news)\b.*|recommended(?:\s+for\s+you)?"
    r"|you\s+(?:may|might)\s+also\s+like|comments?(?:\s*\(\d+\))?|leave\s+a\s+(?:comment|reply)"
    r"|tags?:.*|topics?:.*|see\s+also)\s*:?$",
    re.I,
)
_RELATED_MARKER = re.compile(r"^(?:related|see\s+also|more\s+(?:from|on|stories|news)\b)", re.I)
# Lines that sit inside article text on scraped pages but are never part of it.
_INLINE_CHROME = re.compile(
    r"^(?:advertisement|story continues below(?: advertisement)?|click here\b.*|subscribe\b.*"
    r"|sign up\b.*newsletter.*|(?:[-_*=~·•]\s*){3,})$",
    re.I,
)
_PHOTO_CREDIT = re.compile(r"\((?:AP|AFP|Reuters|Getty|EPA)[^)]*Photo[^)]*\)\s*$|Photo:\s*\S", re.I)
_SENTENCE_END = re.compile(r"[.!?…\"”’')\]]$")
_WORD = re.compile(r"\w+")
# A paragraph must read as prose: this many words, or a sentence end.
_PROSE_WORDS = 20
_SHORT_LINE_WORDS = 12
# Average characters per line above which each line is its own paragraph (no hard wrapping).
_UNWRAPPED_LINE_CHARS = 100


def extract_text(text: str) -> DraftStory:
    """Segment a plain-text scrape into a draft story; an empty draft means no article found."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if not dates.TODAY_LINE.match(line) or not dates.is_date_line(line)]
    start = _article_start(lines)
    draft = DraftStory()
    if start is None:
        return draft
    header = [line for line in lines[:start] if line]
    _read_header(header, draft)
    end, related = _tail(lines, start)
    draft.related_headlines = related
    _read_body(_blocks(lines[start:end]), draft)
    return draft


def _article_start(lines: list[str]) -> int | None:
    """Index of the first body line: the dateline, else the line after a byline, else the first prose."""
    for i, line in enumerate(lines):
        if wire_meta.parse_dateline(line) is not None and _words(line) >= 8:
            return i
    for i, line in enumerate(lines):
        if line and _words(line) <= _SHORT_LINE_WORDS and wire_meta.parse_byline(line):
            following = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
            return following
    for i, line in enumerate(lines):
        if _is_prose(line) and any(lines[:i]):
            return i
    return None


def _read_header(header: list[str], draft: DraftStory) -> None:
    """Headline, byline, dates, photo slugs and site name from the lines above the body."""
    rest: list[str] = []
    for line in header:
        byline = wire_meta.parse_byline(line) if _words(line) <= _SHORT_LINE_WORDS else None
        if byline is not None:
            draft.byline, draft.agency = byline[0], byline[1] or draft.agency
        elif dates.UPDATED_LINE.match(line) and dates.is_date_line(line):
            draft.updated_at = dates.parse_visible_date(line)
        elif dates.is_date_line(line):
            draft.published_at = draft.published_at or dates.parse_visible_date(line)
        else:
            rest.append(line)
    if not rest:
        return
    # Headlines are written in sentence case and are the longest line up there; nav bars, site
    # names and photo slugs are short runs of capitalised words.
    best = max(range(len(rest)), key=lambda i: (_has_lowercase_word(rest[i]), _words(rest[i]), i))
    draft.headline = rest[best]
    draft.captions = [line for line in rest[best + 1 :] if _words(line) <= _SHORT_LINE_WORDS]
    if best > 0 and _words(rest[0]) <= 6:
        draft.site_name = rest[0]


def _tail(lines: list[str], start: int) -> tuple[int, list[str]]:
    """Where the article ends, and the related headlines listed after it."""
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if _TAIL_MARKER.match(lines[i]):
            end = i
            break
    related: list[str] = []
    if end < len(lines) and _RELATED_MARKER.match(lines[end]):
        for line in lines[end + 1 :]:
            if not line:
                continue
            if _TAIL_MARKER.match(line):
                break
            related.append(line)
    return end, related


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _read_body(blocks: list[list[str]], draft: DraftStory) -> None:
    """Paragraphs and subheadings in order, without repeated headline/caption blocks or chrome."""
    headline = fold(draft.headline) if draft.headline else None
    repeats = Counter(fold(line) for block in blocks for line in block if _words(line) <= _SHORT_LINE_WORDS)
    captions = list(draft.captions)
    paragraphs: list[str] = []
    for block in blocks:
        kept: list[str] = []
        had_headline = any(fold(line) == headline for line in block)
        for line in block:
            key = fold(line)
            if key == headline or _INLINE_CHROME.match(line):
                continue
            short = _words(line) <= _SHORT_LINE_WORDS and not _SENTENCE_END.search(line)
            if _PHOTO_CREDIT.search(line) or (
                short and (had_headline or (repeats[key] > 1 and len(block) > 1))
            ):
                captions.append(line)
            elif short and repeats[key] > 1 and key in {fold(c) for c in captions}:
                continue
            else:
                kept.append(line)
        paragraphs.extend(_paragraphs(kept))
    body: list[str] = []
    for para in paragraphs:
        if wire_meta.is_contributors_note(para):
            draft.contributors = f"{draft.contributors} {para}" if draft.contributors else para
        else:
            body.append(para)
    draft.paragraphs = body
    draft.captions = unique(captions)
    draft.subheadings = [p for i, p in enumerate(body) if i and _is_subheading(p)]


def _paragraphs(lines: list[str]) -> list[str]:
    if not lines:
        return []
    if sum(len(line) for line in lines) / len(lines) > _UNWRAPPED_LINE_CHARS:
        return lines
    return [" ".join(lines)]


def _is_subheading(text: str) -> bool:
    return (
        _words(text) <= _SHORT_LINE_WORDS
        and text[:1].isupper()
        and not re.search(r"[.,;:\"”’']$", text)
        and not re.search(r"[a-z]{2}\. [A-Z]", text)  # one sentence, not two ("U.S. lays" is one)
    )


def _is_prose(line: str) -> bool:
    return _words(line) >= _PROSE_WORDS and bool(re.search(r"[.!?][\"”’]?(\s|$)", line))


def _has_lowercase_word(line: str) -> bool:
    return any(w[0].islower() for w in _WORD.findall(line) if w.isalpha())


def _words(line: str) -> int:
    return len(_WORD.findall(line))
