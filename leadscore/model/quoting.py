r"""How a regex pattern survives TOML's quotes, and what to tell a user whose pattern did not.

Inside double quotes TOML reads escapes: ``"\bmanager\b"`` holds two backspaces, not the word
boundaries it says, and ``"\d+"`` is not TOML at all. Single quotes keep the text as written.
"""

from __future__ import annotations

import json
import re
import unicodedata

# The control characters TOML's short escapes write, by what a person calls them
_NAMED = {"\b": ("a backspace", r"\b"), "\t": ("a tab", r"\t"), "\n": ("a line break", r"\n"),
          "\f": ("a form feed", r"\f"), "\r": ("a carriage return", r"\r")}  # fmt: skip


def control_characters(text: str) -> list[str]:
    """The distinct control characters in ``text``, in the order they first appear."""
    return list(dict.fromkeys(ch for ch in text if unicodedata.category(ch) == "Cc"))


def _escape(ch: str) -> str:
    # \uXXXX is both the TOML escape that writes such a character and a regex escape matching it
    return _NAMED[ch][1] if ch in _NAMED else f"\\u{ord(ch):04X}"


def unescaped(pattern: str) -> str:
    r"""``pattern`` with each control character written back as the escape that made it.

    >>> print(unescaped("(?i)\bmanager\b\t\x1b"))
    (?i)\bmanager\b\t\u001B
    """
    return "".join(_escape(ch) if unicodedata.category(ch) == "Cc" else ch for ch in pattern)


def basic_string(text: str) -> str:
    """``text`` as a TOML basic string, in double quotes (JSON's escapes are all TOML's).

    >>> print(basic_string('say "hi"'))
    "say \\"hi\\""
    """
    return json.dumps(text, ensure_ascii=False)


def toml_string(text: str) -> str:
    """``text`` as a TOML string that reads back as ``text``: in single quotes when it can be."""
    if "'" not in text:
        return f"'{text}'"
    if "'''" not in text:
        return f"'''{text}'''"
    return basic_string(text)


def control_character_problem(key: str, pattern: str) -> str | None:
    r"""Why ``pattern`` cannot be the one meant, and the line to write instead; None when it is fine.

    >>> print(control_character_problem("matches", "(?i)\bmanager\b"))
    holds a backspace, which \b becomes inside double quotes; write patterns in single quotes: matches = '(?i)\bmanager\b'
    """
    found = control_characters(pattern)
    if not found:
        return None
    names = [_NAMED[ch][0] if ch in _NAMED else f"a control character (U+{ord(ch):04X})" for ch in found]
    escapes = [_escape(ch) for ch in found]
    verb = "becomes" if len(found) == 1 else "become"
    return (
        f"holds {_and(names)}, which {_and(escapes)} {verb} inside double quotes; "
        f"write patterns in single quotes: {key} = {toml_string(unescaped(pattern))}"
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
# TOML strings and comments on one line; a basic string's escapes are kept whole
_TOKENS = re.compile(r"""'''.*?'''|\"\"\".*?\"\"\"|'[^']*'|"((?:[^"\\]|\\.)*)"|\#.*""")
_KEY_BEFORE = re.compile(r"([A-Za-z0-9_-]+)\s*=\s*$")
BAD_ESCAPES = ("Unescaped '\\' in a string", "Invalid hex value")


def backslash_hint(message: str, text: str) -> str:
    r"""How to fix a TOML error about a backslash in double quotes (``message``, from tomllib, on
    the file ``text``), showing the line's own pattern in single quotes when that is sure to
    mean what was written; "" for any other error.

    >>> print(backslash_hint("Unescaped '\\' in a string (at line 1, column 14)", 'matches = "\\d+"'))
    write patterns that hold backslashes in single quotes: matches = '\d+'
    """
    if not message.startswith(BAD_ESCAPES):
        return ""
    generic = "write patterns that hold backslashes in single quotes ('...'), e.g. matches = '\\d+'"
    at = _AT.search(message)
    lines = text.splitlines()
    if at is None or not 1 <= int(at.group(1)) <= len(lines):
        return generic
    line, column = lines[int(at.group(1)) - 1], int(at.group(2)) - 1  # column: just past the escape
    for token in _TOKENS.finditer(line):
        if token.group(1) is None or not token.start() < column <= token.end():
            continue
        content, key = token.group(1), _KEY_BEFORE.search(line[: token.start()])
        # \\ and \" mean one character in double quotes and two in single: the text would change
        if key is None or "\\\\" in content or '\\"' in content or "'" in content:
            return generic
        return f"write patterns that hold backslashes in single quotes: {key.group(1)} = '{content}'"
    return generic
