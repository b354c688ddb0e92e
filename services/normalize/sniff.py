"""Input format: HTML or plain text, decided by content sniffing (the content type is only a hint)."""

from __future__ import annotations

import re
from enum import StrEnum


class InputFormat(StrEnum):
    """How a document is read."""

    HTML = "html"
    TEXT = "text"


# Markup that only an HTML document opens with, or that a scrape would never contain.
_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|h[1-6]|article|section|script|style|li|ul|table|img)\b[^>]*>", re.I
)
# A text that is mostly tags is HTML even without a doctype (fragments, CMS exports).
_MIN_TAGS = 3


def sniff_format(text: str) -> InputFormat:
    """Return HTML when the text is markup, else TEXT; scanning only the first 8 KiB."""
    head = text[:8192]
    if _HTML_START.match(head):
        return InputFormat.HTML
    tags = len(_HTML_TAG.findall(head))
    return InputFormat.HTML if tags >= _MIN_TAGS else InputFormat.TEXT
