"""The bytes of a CSV file as text: which encoding it is in, and what the user is told.

A file is UTF-8 unless a byte-order mark says UTF-16 or ``--encoding`` says otherwise. A
UTF-8 file with bytes that are not UTF-8 has those read as Windows-1252 (see
:mod:`leadscore.io.mixed_utf8`); a file without a single UTF-8 character is Windows-1252
throughout, or Latin-1 when it holds one of the five bytes Windows-1252 lacks. A file whose
lines end in a carriage return alone (Excel for Mac's "CSV (Macintosh)") and that is not
UTF-8 is in Mac Roman.
"""

from __future__ import annotations

import codecs
from typing import NoReturn

from leadscore.errors import InputError, UsageError, counted
from leadscore.io.files import ZIP_SIGNATURE
from leadscore.io.mixed_utf8 import decode_mixed

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx
MAC_ROMAN = "mac-roman"  # the encoding of Excel for Mac's "CSV (Macintosh)"
_CODEC_LABELS = {"cp1252": "Windows-1252", "iso8859-1": "Latin-1", "utf-16": "UTF-16", MAC_ROMAN: "Mac Roman"}


def codec_named(encoding: str) -> str:
    """The codec an ``--encoding`` value names, by its canonical name (``latin-1``: ``iso8859-1``)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UsageError(
            f"unknown encoding '{encoding}'; use one such as utf-8, cp1252, latin-1 or utf-16"
        ) from None


def sniff_codec(head: bytes) -> str:
    """UTF-16 when the file starts with its byte-order mark, else UTF-8 (to be checked)."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    return "utf-8"


def is_utf8(head: bytes, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=final)
    except UnicodeDecodeError:
        return False
    return True


def decode_head(head: bytes, codec: str, *, final: bool) -> str:
    """The text of the head (or the tail) of a file, read as :func:`decode` reads the whole."""
    if codec == "utf-8":
        mixed = decode_mixed(head, final=final)
        if mixed is not None:
            return mixed.text.removeprefix("\ufeff")
        codec = "cp1252"
    if codec == "cp1252":
        codec = _cp1252_or_latin1(head)
    text = codecs.getincrementaldecoder(codec)(errors="replace").decode(head, final=final)
    return text.removeprefix("\ufeff")


def _cp1252_or_latin1(data: bytes) -> str:
    # Five bytes have no Windows-1252 character; a file using them is Latin-1.
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "iso8859-1"
    return "cp1252"


def decode(name: str, data: bytes, codec: str, *, forced: bool) -> tuple[str, str, list[int]]:
    """Decode the whole file; return the text (without BOM), the codec that worked, and the
    lines of a UTF-8 file that were read as Windows-1252 (see :mod:`leadscore.io.mixed_utf8`)."""
    if codec == "utf-8":
        try:
            return data.decode("utf-8-sig"), "utf-8", []
        except UnicodeDecodeError:
            if forced:
                raise_undecodable(name, data, codec)
        mixed = decode_mixed(data)
        if mixed is not None:
            return mixed.text.removeprefix("\ufeff"), "utf-8", mixed.legacy_lines
        codec = _cp1252_or_latin1(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise_undecodable(name, data, codec)
    return text.removeprefix("\ufeff"), codec, []


def decoding_notice(name: str, used: str, legacy_lines: list[int], *, forced: bool) -> str | None:
    """What to tell the user about a file :func:`decode` did not read as plain UTF-8."""
    if legacy_lines:
        return _legacy_lines_notice(name, legacy_lines)
    if used == "utf-8" or forced:
        return None
    if used == "utf-16":
        return f"{name}: read as UTF-16 (Excel's 'Unicode text')"
    label = _CODEC_LABELS.get(used, used)
    return f"{name}: read as {label} (not UTF-8); use --encoding to force another"


def _legacy_lines_notice(name: str, lines: list[int]) -> str:
    """Worded as the note on a file read as Windows-1252 whole, which a log may be searched for."""
    which, its = f"line {lines[0]}", "its"
    if len(lines) > 1:
        which, its = f"{counted(len(lines), 'line')} (the first is line {lines[0]})", "their"
    return (
        f"{name}: {which} read as Windows-1252 (not UTF-8), the rest of the file as UTF-8; "
        f"if {its} accents look wrong, use --encoding with the file's encoding"
    )


def raise_undecodable(name: str, data: bytes, codec: str) -> NoReturn:
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{name} line {line} is not valid {codec} (byte 0x{data[exc.start]:02x}); "
            "use --encoding with the file's real encoding, such as cp1252 or latin-1"
        ) from None
    raise InputError(f"{name} is not valid {codec}; use --encoding with the file's real encoding")


def refuse_binary(name: str, head: bytes, codec: str) -> None:
    if head.startswith(ZIP_SIGNATURE):
        raise InputError(f"{name} is not a text CSV: it looks like an Excel file; rename it to .xlsx")
    if head.startswith(_OLE_SIGNATURE):
        raise InputError(
            f"{name} is not a text CSV: it looks like an old Excel .xls file; "
            "open it in Excel and save it as .xlsx or CSV"
        )
    if b"\x00" in head[:1024] and not codec.startswith(("utf-16", "utf-32")):
        raise InputError(f"{name} is not a text CSV (it holds binary data); export the leads as CSV again")
