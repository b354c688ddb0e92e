"""Mojibake repair: ftfy for the common cases, plus Windows-874/1252 hybrids and lost bytes.

Text that was UTF-8, decoded as Thai Windows-874 (with Windows-1252 filling 0x80-0x9F)
and saved again as UTF-8 turns ``’`` into ``โ€™`` and ``ū`` into ``ลซ``; bytes no code
page maps (0x81, 0x8D, 0x8F, 0x90, 0x9D) are lost, so a closing ``”`` becomes a dangling
``โ€``. ftfy has no Windows-874 table, so this module rebuilds the bytes itself.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Character -> original byte, for every byte 0x80-0xFF that Windows-874 or Windows-1252 maps.
_HYBRID: dict[str, int] = {}
for _byte in range(0x80, 0x100):
    # Windows-1252 only fills the holes Windows-874 leaves in 0x80-0x9F.
    for _codec in ("cp874", "cp1252") if _byte < 0xA0 else ("cp874",):
        try:
            _HYBRID.setdefault(bytes([_byte]).decode(_codec), _byte)
            break
        except UnicodeDecodeError:
            continue
# A run of characters that all have a hybrid byte, starting with a would-be UTF-8 lead byte.
_RUN = re.compile("[" + re.escape("".join(sorted(_HYBRID))) + "]{2,}")
_THAI = re.compile("[\u0e00-\u0e7f]")
# "โ€" is bytes E2 80: the lead of U+2000-U+203F (dashes, quotes, ellipsis). Real Thai text
# never puts a euro sign after a Thai vowel, so this pair is proof of the hybrid mojibake.
_HYBRID_MARK = "โ€"
# Windows-1252 form of the same lost byte: "â€" then a space or the end of a line is a ”.
_LOST_9D_1252 = re.compile(r"â€(?=[\s)\]]|$)", re.MULTILINE)
# Other quotes/dashes mis-decoded the same way: proof that a bare "â€" is mojibake too.
_EVIDENCE_1252 = re.compile("â€[™œ˜“”¦¢¡ž]")


def _ftfy_followers() -> dict[str, frozenset[str]]:
    """For each character that can stand for a UTF-8 lead byte, the characters that make it mojibake.

    UTF-8 mojibake always shows a lead byte (0xC0-0xFF) followed by a continuation byte
    (0x80-0xBF) in one of ftfy's single-byte code pages, or, with a lost byte, by a space,
    "?", U+001A or U+FFFD. Text without such a pair gives ftfy's encoding fixes nothing to do.
    """
    follow: dict[str, set[str]] = {}
    for codec in ftfy.chardata.CHARMAP_ENCODINGS:
        # ftfy reads a space as a lost 0xA0 in every code page but macroman.
        lost = "?\x1a\ufffd" + ("" if codec == "macroman" else " ")
        followers = bytes(range(0x80, 0xC0)).decode(codec, errors="ignore") + lost
        for lead in bytes(range(0xC0, 0x100)).decode(codec, errors="ignore"):
            follow.setdefault(lead, set()).update(followers)
    clues = ftfy.chardata.UTF8_CLUES
    for lead in clues["utf8_first_of_2"] + clues["utf8_first_of_3"] + clues["utf8_first_of_4"]:
        follow.setdefault(lead, set()).update(clues["utf8_continuation"])
    return {lead: frozenset(chars) for lead, chars in follow.items()}


_FOLLOWERS = _ftfy_followers()
# Lead characters, and the characters ftfy's other steps remove or change on their own
# (C1 controls, surrogates, control characters); NFC is checked apart.
_FTFY_SUSPECTS = re.compile(
    "["
    + re.escape("".join(_FOLLOWERS))
    + "]|[\x80-\x9f\ud800-\udfff"
    + re.escape("".join(chr(c) for c in ftfy.chardata.CONTROL_CHARS))
    + "]"
)


def _ftfy_may_change(text: str) -> bool:
    """Tell whether ftfy (as configured here) could change ``text``; a cheap scan that skips most pages."""
    if not unicodedata.is_normalized("NFC", text):
        return True
    end = len(text)
    for match in _FTFY_SUSPECTS.finditer(text):
        followers = _FOLLOWERS.get(match.group())
        if followers is None:
            return True  # a control character, C1 control or surrogate
        after = match.end()
        if after < end and text[after] in followers:
            return True
    return False


# ftfy defaults also straighten quotes, widen/narrow CJK and expand ligatures: all of that
# changes correct text, which repair must never do.
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    remove_terminal_escapes=False,
    unescape_html=False,
    normalization="NFC",
    explain=True,
)


def repair_text(text: str) -> tuple[str, list[str]]:
    """Repair mojibake in ``text``; return the text and the names of the fixes applied.

    Correct text in any script is left alone: each step only rewrites byte sequences that
    decode to valid UTF-8 and carry a mojibake signature.
    """
    fixes: list[str] = []
    text = _repair_hybrid(text, fixes)
    if _LOST_9D_1252.search(text) and _EVIDENCE_1252.search(text):
        text = _LOST_9D_1252.sub("\u201d", text)
        fixes.append("restore_lost_byte_0x9d:windows-1252")
    if not text.isascii() and _ftfy_may_change(text):
        fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY)
        if fixed != text:
            text = fixed
            fixes.extend(f"ftfy:{step[0]}:{step[1]}" for step in explanation or [])
    return text, fixes


def _repair_hybrid(text: str, fixes: list[str]) -> str:
    if not _THAI.search(text):
        return text
    evidence = _HYBRID_MARK in text
    count = 0
    lost = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal count, lost
        run = match.group(0)
        start, end = match.span()
        if not evidence and not _latin_neighbour(text, start, end):
            return run
        decoded, restored = _decode_run(bytes(_HYBRID[c] for c in run), at_boundary=_boundary(text, end))
        if decoded is None or not _plausible(decoded):
            return run
        count += 1
        lost += restored
        return decoded

    out = _RUN.sub(fix, text)
    if count:
        fixes.append("mojibake:utf-8_as_windows-874+1252")
    if lost:
        fixes.append("restore_lost_byte_0x9d:windows-874")
    return out


def _latin_neighbour(text: str, start: int, end: int) -> bool:
    # A Thai-looking pair inside a Latin word ("Sprลซds") is mojibake; a Thai word is not.
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def _boundary(text: str, end: int) -> bool:
    return end >= len(text) or not text[end].isalnum()


def _decode_run(data: bytes, *, at_boundary: bool) -> tuple[str | None, int]:
    """Decode hybrid bytes as UTF-8, restoring a lost 0x9D after E2 80; None if not UTF-8."""
    out: list[str] = []
    restored = 0
    i = 0
    while i < len(data):
        lead = data[i]
        size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
        if size == 0:
            return None, 0
        chunk = data[i : i + size]
        if len(chunk) == size:
            try:
                out.append(chunk.decode("utf-8"))
            except UnicodeDecodeError:
                chunk = data[i : i + 2]
            else:
                i += size
                continue
        # Only E2 80 + lost byte is restored: of the five lost bytes, 0x9D (”) is the only
        # one that yields visible text, and it is by far the most common.
        if chunk[:2] == b"\xe2\x80" and ((i + 2 == len(data) and at_boundary) or _not_continuation(data, i + 2)):
            out.append("\u201d")
            restored += 1
            i += 2
            continue
        return None, 0
    return "".join(out), restored


def _not_continuation(data: bytes, index: int) -> bool:
    return index < len(data) and not 0x80 <= data[index] <= 0xBF


def _plausible(decoded: str) -> bool:
    # The repaired text must be printable and not itself Thai (that would be a Thai word).
    return all(unicodedata.category(c)[0] in "LNPSZ" and not _THAI.match(c) for c in decoded)
