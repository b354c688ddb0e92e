"""Bytes to text: BOM, declared charset (HTTP header, HTML meta), detection, and binary rejection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from shared.errors import ErrorCode, PermanentError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Magic numbers of formats that are never a news page, so we fail fast with a clear code.
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"%PDF-",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\x7fELF",
    b"MZ",
    b"OggS",
    b"RIFF",
    b"ID3",
    b"\x00\x00\x01\x00",
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# C0 controls other than tab, newline, form feed and carriage return: real text has none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
# Latin-1 and its look-alikes are what servers claim by default; valid UTF-8 beats that claim.
_DEFAULTED_CHARSETS = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"})
# Tolerated share of control characters in decoded text before we call it binary.
_MAX_CONTROL_RATIO = 0.01
# Detection only needs a sample; scanning megabytes makes arbitrary input slow.
_DETECTION_SAMPLE = 64 * 1024


def check_size(data: bytes, max_bytes: int) -> None:
    """Reject empty or oversized input before any work is done.

    Raises:
        PermanentError: EMPTY_INPUT or INPUT_TOO_LARGE.

    """
    if len(data) > max_bytes:
        raise PermanentError(f"{len(data)} bytes > limit {max_bytes}", code=ErrorCode.INPUT_TOO_LARGE)
    if not data.strip(b" \t\r\n\f\v\x00"):
        raise PermanentError("the item is empty", code=ErrorCode.EMPTY_INPUT)


def charset_from_content_type(content_type: str | None) -> str | None:
    """Return the charset parameter of a MIME type, lower-cased, if it names a known codec."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _known_codec(match.group(1).decode("ascii", "ignore")) if match else None


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    head = data[:4096]
    # NUL bytes never occur in 8-bit or UTF-8 text; UTF-16/32 without a BOM is the one excuse,
    # rare enough in news feeds that we treat it as binary rather than guess.
    return 0 in head


def decode_bytes(data: bytes, *, declared: str | None) -> tuple[str, list[str]]:
    """Decode raw bytes to text, returning the text and the names of decoding decisions taken.

    Order: byte-order mark, declared charset (HTTP header, then HTML meta), strict UTF-8,
    then charset detection. A declared Latin-1/Windows-1252 loses to bytes that are valid
    UTF-8, because servers announce Latin-1 by default far more often than they send it.

    Raises:
        PermanentError: BINARY_INPUT or UNDECODABLE_TEXT.

    """
    fixes: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data[len(bom) :], codec), fixes)
    if _looks_binary(data):
        raise PermanentError("the item looks like binary data", code=ErrorCode.BINARY_INPUT)
    utf8 = _decode(data, "utf-8")
    for charset in (declared, _meta_charset(data)):
        if charset is None:
            continue
        if charset in _DEFAULTED_CHARSETS and utf8 is not None and not data.isascii():
            fixes.append(f"charset_overridden:{charset}->utf-8")
            return _checked(utf8, fixes, data)
        if utf8 is not None and _codec_name(charset) == "utf-8":  # the usual case: decoded already
            return _checked(utf8, fixes, data)
        text = _decode(data, charset)
        if text is not None:
            return _checked(text, fixes)
        fixes.append(f"charset_declared_wrong:{charset}")
    if utf8 is not None:
        return _checked(utf8, fixes, data)
    best = from_bytes(data[:_DETECTION_SAMPLE]).best()
    if best is None or best.encoding is None:
        raise PermanentError("no character set decodes the item", code=ErrorCode.UNDECODABLE_TEXT)
    fixes.append(f"charset_detected:{best.encoding}")
    # The sample may end mid-character; decode the whole input leniently with the detected codec.
    return _checked(data.decode(best.encoding, errors="replace"), fixes)


def _codec_name(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _checked(text: str | None, fixes: list[str], utf8: bytes | None = None) -> tuple[str, list[str]]:
    if text is None:
        raise PermanentError("the byte-order mark does not match the bytes", code=ErrorCode.UNDECODABLE_TEXT)
    replacements = text.count("\ufffd", 0, 65536)
    if replacements > max(8, 0.05 * min(len(text), 65536)):
        raise PermanentError("the text is mostly undecodable bytes", code=ErrorCode.UNDECODABLE_TEXT)
    if utf8 is not None:
        # UTF-8 keeps control characters as the same single bytes, and bytes.translate is ten
        # times faster than a regex over the text.
        cleaned = utf8.translate(None, _CONTROL_BYTES)
        if len(cleaned) == len(utf8):
            return text, fixes
        head = utf8[:65536]
        if len(head) - len(head.translate(None, _CONTROL_BYTES)) > max(2, _MAX_CONTROL_RATIO * len(head)):
            raise PermanentError("the decoded text is mostly control characters", code=ErrorCode.BINARY_INPUT)
        return cleaned.decode("utf-8"), fixes
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(2, _MAX_CONTROL_RATIO * min(len(text), 65536)):
        raise PermanentError("the decoded text is mostly control characters", code=ErrorCode.BINARY_INPUT)
    return _CONTROL.sub("", text), fixes
