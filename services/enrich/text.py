"""Word-level text helpers shared by keywords and topics: tokens, a light stemmer, stop words (pure)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")

GENERIC_WORDS = frozenset(
    {
        "said", "says", "say", "told", "including", "include", "includes", "related", "relating", "issue",
        "issues", "activity", "activities", "etc", "other", "general", "matters", "matter", "news", "form",
        "forms", "various", "concerning", "people", "person", "group", "groups", "thing", "things", "way",
        "ways", "year", "years", "time", "times", "day", "days", "week", "weeks", "month", "months", "mr",
        "mrs", "ms", "also", "according", "new", "like", "just"
    }
)
"""Words common to every story or every vocabulary definition: no evidence for a topic or keyword."""

STOP = frozenset(STOP_WORDS) | GENERIC_WORDS


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Fold plurals and possessives so 'troops', 'troop' and "troop's" meet ('forces' -> 'force'); cached."""
    word = word.casefold().replace("’", "'")
    word = word.removesuffix("'s").rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` as written."""
    return _TOKEN.findall(text)


@functools.lru_cache(maxsize=1 << 16)
def _content_stem(token: str) -> str | None:
    low = token.casefold()
    return stem(low) if len(low) > 2 and low not in STOP else None


def content_stems(text: str) -> list[str]:
    """Stems of the non-stop words of ``text``, in order."""
    return stems_of(tokens(text))


def stems_of(words: Iterable[str]) -> list[str]:
    """Stems of the non-stop words among already tokenized ``words``, in order."""
    return [s for s in map(_content_stem, words) if s is not None]


_BODY_WORD = re.compile(r"\w+(?:['’]\w+)*")
"""A word of any script; a contraction is one word."""


@functools.lru_cache(maxsize=32)
def body_words(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a body, scanned once per story (word count and near-duplicate shingles share it)."""
    return tuple(_BODY_WORD.findall("\n".join(paragraphs)))
