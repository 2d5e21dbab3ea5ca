"""UTF-8 text with a few lines in Windows-1252: each byte read as what it most likely is.

A CRM export is UTF-8, but a line pasted into it from an older tool may keep its Windows-1252
bytes (é as the one byte 0xe9, which is not UTF-8). Reading the whole file as Windows-1252
would spoil every correct character around that line (Zoë would read ZoÃ«), so the valid
UTF-8 is read as UTF-8 and only the bytes that are not are read as Windows-1252 (as Latin-1
for the five bytes Windows-1252 leaves undefined). A file without a single multi-byte UTF-8
character gives no sign of being UTF-8: it is the caller's to read as Windows-1252 whole.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

# The ``surrogateescape`` error handler reads byte 0x80 + n that is not UTF-8 as U+DC80 + n.
_ESCAPED = re.compile(r"[\udc80-\udcff]+")
_MULTIBYTE = re.compile(r"[^\x00-\x7f\udc80-\udcff]")  # a character UTF-8 writes in several bytes


def _windows_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # undefined in Windows-1252: Latin-1


_AS_WINDOWS_1252 = {0xDC00 + byte: _windows_1252(byte) for byte in range(0x80, 0x100)}


class MixedText(NamedTuple):
    text: str
    legacy_lines: list[int]  # the lines (1-based) holding bytes read as Windows-1252


def decode_mixed(data: bytes, *, final: bool = True) -> MixedText | None:
    """``data`` read as UTF-8 where it is UTF-8, and as Windows-1252 where it is not.

    ``None`` when ``data`` holds bytes that are not UTF-8 and no multi-byte UTF-8 character.
    ``final=False`` leaves a character cut off at the end unread (the head of a file). A BOM
    stays at the start of the text.

    >>> decode_mixed("Zoë\\n".encode() + "José\\n".encode("cp1252"))
    MixedText(text='Zoë\\nJosé\\n', legacy_lines=[2])
    >>> decode_mixed("José\\n".encode("cp1252")) is None
    True
    """
    text = codecs.utf_8_decode(data, "surrogateescape", final)[0]
    if _ESCAPED.search(text) is None:
        return MixedText(text, [])
    if _MULTIBYTE.search(text) is None:
        return None
    pieces: list[str] = []
    lines: list[int] = []
    line, done = 1, 0
    for escaped in _ESCAPED.finditer(text):
        line += text.count("\n", done, escaped.start())
        if not lines or lines[-1] != line:
            lines.append(line)
        pieces += [text[done : escaped.start()], escaped.group().translate(_AS_WINDOWS_1252)]
        done = escaped.end()
    pieces.append(text[done:])
    return MixedText("".join(pieces), lines)
