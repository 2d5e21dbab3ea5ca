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
from contextvars import ContextVar
from typing import NamedTuple

_HANDLER = "leadscore-cp1252"  # a codecs error handler, registered below
_FOUND: ContextVar[list[int]] = ContextVar(_HANDLER)  # where the handler met bytes, for the caller


def _windows_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # undefined in Windows-1252: Latin-1


_CHARACTERS = {byte: _windows_1252(byte) for byte in range(0x80, 0x100)}  # never an ASCII byte


def _as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Read the bytes UTF-8 cannot as Windows-1252, one character a byte, and note where they are."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _FOUND.get([]).append(error.start)
    bad = error.object[error.start : error.end]
    return "".join(_CHARACTERS[byte] for byte in bad), error.end


codecs.register_error(_HANDLER, _as_windows_1252)


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
    # Each byte that is not UTF-8 reads as one character, so as many characters as bytes means
    # no multi-byte one. surrogateescape tells it at C speed, even in a file full of accents.
    escaped, consumed = codecs.utf_8_decode(data, "surrogateescape", final)
    if len(escaped) == consumed:
        return MixedText(escaped, []) if escaped.isascii() else None
    del escaped
    found: list[int] = []
    token = _FOUND.set(found)
    try:
        text = codecs.utf_8_decode(data, _HANDLER, final)[0]
    finally:
        _FOUND.reset(token)
    lines: list[int] = []
    line, done = 1, 0
    for place in found:
        line += data.count(b"\n", done, place)
        if not lines or lines[-1] != line:
            lines.append(line)
        done = place
    return MixedText(text, lines)
