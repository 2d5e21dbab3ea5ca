"""A mistake on the command line as one line: what is wrong, and how to put it right.

Typer (after Click) prints a usage error as the command's usage, a "Try ... -h" line and
``Error: Invalid value for '--as-of': Value error, 'yesterday' does not match the formats
'%Y-%m-%d'.``, whose wording comes from the validation library underneath. Here the same error
reads ``leadscore score: --as-of 'yesterday' is not a date; write it as YYYY-MM-DD, e.g.
2026-11-01``. The exceptions are read by their Click names and attributes, not imported, so the
wording does not depend on where Typer keeps them.
"""

from __future__ import annotations

import re
from typing import Any

# The wording of a bad value, as the validation underneath gives it -> ours. {option} is the
# option's flag; named groups fill in the rest.
_BAD_VALUES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(?:Value error, )?'(?P<value>.*)' does not match the formats? '%Y-%m-%d'"),
        "{option} '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01",
    ),
    (
        re.compile(r"^(?:Value error, )?'(?P<value>.*)' is not one of (?P<choices>.*?)\.?$"),
        "{option} '{value}' is not one of {choices}",
    ),
    (re.compile(r"^Input should be a valid integer"), "{option} takes a whole number"),
    (re.compile(r"^Input should be a (?:valid|finite) number"), "{option} takes a number"),
    (
        re.compile(r"^Input should be greater than or equal to (?P<bound>\S+)"),
        "{option} must be {bound} or more",
    ),
    (re.compile(r"^Input should be greater than (?P<bound>\S+)"), "{option} must be more than {bound}"),
    (
        re.compile(r"^Input should be less than or equal to (?P<bound>\S+)"),
        "{option} must be {bound} or less",
    ),
    (re.compile(r"^Input should be less than (?P<bound>\S+)"), "{option} must be less than {bound}"),
]
_NO_COMMAND = re.compile(r"^No such command '(?P<name>.*?)'\.(?: Did you mean '(?P<close>.*?)'\?)?")


def is_usage_error(exc: BaseException) -> bool:
    """A mistake in the command line, as Typer (or Click) reports it; not ``leadscore`` alone,
    which shows the help."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return from_framework(exc) and "UsageError" in names and "NoArgsIsHelpError" not in names


def from_framework(exc: BaseException) -> bool:
    """Raised by Typer (or the Click it builds on): a usage error, an exit, the help."""
    return type(exc).__module__.split(".")[0] in ("typer", "click")


def usage_line(exc: Any, command: str = "leadscore") -> str:
    """The usage error ``exc`` as one line: the command, what is wrong, and the fix or the help.

    ``command`` names the command when the error does not (a parser error has no context).
    """
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else command
    help_hint = f"'{command} -h' shows how to use it"
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        close = sorted(getattr(exc, "possibilities", None) or [])
        maybe = f" (did you mean {' or '.join(close)}?)" if close else ""
        return f"{command} has no option {exc.option_name}{maybe}; '{command} -h' lists its options"
    if kind == "MissingParameter" and getattr(exc, "param", None) is not None:
        param = exc.param
        what = f"{param.param_type_name} {_flags(param)}"
        about = _first_sentence(getattr(param, "help", None))
        return f"{command}: missing {what}" + (f" ({about})" if about else "") + f"; {help_hint}"
    message = str(exc.message).strip()
    if kind == "BadParameter" and getattr(exc, "param", None) is not None:
        option = _flags(exc.param, quoted=False)
        for pattern, wording in _BAD_VALUES:
            if found := pattern.match(message):
                return f"{command}: {wording.format(option=option, **found.groupdict())}; {help_hint}"
        return f"{command}: {option}: {_plain(message)}; {help_hint}"
    if found := _NO_COMMAND.match(message):
        maybe = f" (did you mean '{found['close']}'?)" if found["close"] else ""
        return f"{command} has no command '{found['name']}'{maybe}; '{command} -h' lists the commands"
    return f"{command}: {_plain(message)}; {help_hint}"


def _flags(param: Any, quoted: bool = True) -> str:
    """An option as its longest flag (``--as-of``), an argument as its name (``'inputs'``)."""
    flags: list[str] = [str(o) for o in getattr(param, "opts", []) if str(o).startswith("-")]
    if flags:
        return max(flags, key=len)
    return f"'{param.name}'" if quoted else str(param.name)


def _first_sentence(text: str | None) -> str:
    """The help text's first sentence, without its full stop."""
    if not text:
        return ""
    first = re.split(r"(?<![ei]\.[ge]\.)(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]
    return first.rstrip(".")


def _plain(message: str) -> str:
    """A message from underneath, without its 'Value error, ' prefix and its full stop, in
    lower case at the start as the middle of a line reads."""
    text = re.sub(r"^Value error, ", "", message).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
