"""Translate a model's ``matches`` pattern into each warehouse's regex dialect.

Models are written for the file engine's regex syntax (Rust's ``regex`` crate, the one Polars
runs). Each warehouse has its own flavour: DuckDB and BigQuery run RE2 (nearly the same
syntax), Spark runs Java's ``java.util.regex``, PostgreSQL its ARE engine (``\\y`` for a word
boundary, options only at the start), and Snowflake POSIX ERE with a few Perl escapes (no
inline options, no non-capturing groups, no lazy quantifiers). The pattern is read token by
token; what a dialect spells differently is rewritten, and what it cannot express raises a
:class:`UsageError` naming the rule, the construct and the dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadscore.errors import UsageError
from leadscore.sql.dialects import Dialect


@dataclass(frozen=True)
class Translated:
    pattern: str
    ignore_case: bool = False  # for dialects that take case-insensitivity as a parameter


# Escapes with the same meaning everywhere they are allowed, per dialect family.
_CLASS_ESCAPES = set("dDwWsS")
_CONTROL_ESCAPES = set("ntrfv")


def translate(pattern: str, dialect: Dialect, where: str) -> Translated:
    """The pattern in ``dialect``'s syntax. ``where`` names the rule, for the error message."""
    return _Translator(pattern, dialect, where).run()


class _Translator:
    def __init__(self, pattern: str, dialect: Dialect, where: str) -> None:
        self.src = pattern
        self.dialect = dialect
        self.where = where
        self.out: list[str] = []
        self.i = 0
        self.ignore_case = False

    def fail(self, construct: str) -> UsageError:
        return UsageError(
            f"{self.where}: the pattern '{self.src}' uses {construct}, which {self.dialect.label} regular "
            "expressions cannot express; rewrite the pattern without it to compile this model for "
            f"{self.dialect.label}"
        )

    def run(self) -> Translated:
        d = self.dialect
        if d in (Dialect.snowflake, Dialect.postgres) and self.src.startswith("(?i)"):
            # the one inline option these two accept (PostgreSQL only at the very start)
            self.i = 4
            if d is Dialect.snowflake:
                self.ignore_case = True
            else:
                self.out.append("(?i)")
        while self.i < len(self.src):
            ch = self.src[self.i]
            if ch == "\\":
                self.escape(in_class=False)
            elif ch == "[":
                self.char_class()
            elif ch == "(":
                self.group()
            elif ch in "*+?}" and self.src[self.i + 1 : self.i + 2] == "?":
                if d is Dialect.snowflake:
                    raise self.fail(f"the lazy quantifier '{ch}?'")
                self.out.append(ch + "?")
                self.i += 2
            else:
                self.out.append(ch)
                self.i += 1
        pattern = "".join(self.out)
        if d is Dialect.spark:
            # Java's \w, \d, \s, \b and (?i) are ASCII-only unless UNICODE_CHARACTER_CLASS is on;
            # Rust's are Unicode-aware
            pattern = "(?U)" + pattern
        return Translated(pattern, self.ignore_case)

    def escape(self, in_class: bool) -> None:
        d = self.dialect
        nxt = self.src[self.i + 1 : self.i + 2]
        if not nxt:
            raise self.fail("a trailing backslash")
        self.i += 2
        if nxt in _CLASS_ESCAPES:
            self.out.append("\\" + nxt)
            if d is Dialect.postgres and in_class and nxt.isupper():
                raise self.fail(f"'\\{nxt}' inside brackets")
            return
        if nxt in ("b", "B"):
            if in_class:
                raise self.fail(f"'\\{nxt}' inside brackets")
            if self.src[self.i : self.i + 1] == "{":
                raise self.fail(f"the word-boundary form '\\{nxt}{{...}}'")
            self.out.append({"b": "\\y", "B": "\\Y"}[nxt] if d is Dialect.postgres else "\\" + nxt)
            return
        if nxt in ("A", "z"):
            if d is Dialect.snowflake:
                raise self.fail(f"the anchor '\\{nxt}'")
            self.out.append("\\Z" if (d is Dialect.postgres and nxt == "z") else "\\" + nxt)
            return
        if nxt in ("p", "P"):
            if d in (Dialect.postgres, Dialect.snowflake):
                raise self.fail(f"the Unicode class '\\{nxt}'")
            self.out.append("\\" + nxt)
            return
        if nxt in _CONTROL_ESCAPES:
            self.out.append("\\" + nxt)
            return
        if nxt == "x":
            self.hex_escape()
            return
        if not nxt.isalnum() and nxt.isascii():
            self.out.append("\\" + nxt)  # escaped punctuation is a literal in every dialect
            return
        raise self.fail(f"the escape '\\{nxt}'")

    def hex_escape(self) -> None:
        m = re.match(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2})", self.src[self.i :])
        if not m:
            raise self.fail("an incomplete '\\x' escape")
        self.i += m.end()
        char = chr(int(m.group(1) or m.group(2), 16))
        if char.isascii() and not char.isprintable():
            raise self.fail("a '\\x' escape of a control character")
        # written out as the character itself, escaped when it is punctuation
        self.out.append("\\" + char if (char.isascii() and not char.isalnum() and char != " ") else char)

    def char_class(self) -> None:
        self.out.append("[")
        self.i += 1
        if self.src[self.i : self.i + 1] == "^":
            self.out.append("^")
            self.i += 1
        if self.src[self.i : self.i + 1] == "]":
            self.out.append("\\]" if self.dialect not in (Dialect.postgres, Dialect.snowflake) else "]")
            self.i += 1
        while self.i < len(self.src):
            ch = self.src[self.i]
            two = self.src[self.i : self.i + 2]
            if ch == "]":
                self.out.append("]")
                self.i += 1
                return
            if two in ("&&", "--", "~~"):
                raise self.fail(f"the class operation '{two}'")
            if two == "[:":
                end = self.src.find(":]", self.i)
                if end < 0:
                    raise self.fail("an unclosed '[:' class")
                self.out.append(self.src[self.i : end + 2])
                self.i = end + 2
                continue
            if ch == "[":
                raise self.fail("a nested character class")
            if ch == "\\":
                self.escape(in_class=True)
                continue
            self.out.append(ch)
            self.i += 1
        raise self.fail("an unclosed '['")

    def group(self) -> None:
        d = self.dialect
        rest = self.src[self.i :]
        named = re.match(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", rest)
        if named:
            # a name changes nothing about what matches
            self.out.append("(")
            self.i += named.end()
            return
        if rest.startswith("(?:"):
            if d is Dialect.snowflake:
                self.out.append("(")
            else:
                self.out.append("(?:")
            self.i += 3
            return
        flags = re.match(r"\(\?([a-zA-Z-]*)(:|\))", rest)
        if flags:
            letters = flags.group(1).replace("-", "")
            if d in (Dialect.postgres, Dialect.snowflake):
                raise self.fail(f"the inline flags '{flags.group(0)}' (only a leading '(?i)' is supported)")
            allowed = set("imsU") if d in (Dialect.duckdb, Dialect.bigquery) else set("ims")
            bad = sorted(set(letters) - allowed)
            if bad:
                raise self.fail(f"the flag '{bad[0]}' in '{flags.group(0)}'")
            self.out.append(flags.group(0))
            self.i += flags.end()
            return
        if rest.startswith("(?"):
            raise self.fail(f"the group syntax '{rest[:3]}'")
        self.out.append("(")
        self.i += 1
