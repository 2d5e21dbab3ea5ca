"""The Typer application, and the one place where errors become one-line messages.

Commands live in their own modules and register themselves on ``app``. Heavy libraries
(Polars, openpyxl) are imported inside the commands, so ``leadscore --help`` starts fast.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from leadscore import __version__
from leadscore.cli.usage import from_framework, is_usage_error, usage_line
from leadscore.errors import EXIT_ERROR, EXIT_USAGE, LeadscoreError, one_line
from leadscore.stop import Terminated, stop_on_sigterm, stop_requested, stop_writing

EXIT_TERMINATED = 128 + signal.SIGTERM


def fail(lines: list[str], code: int) -> None:
    """Print an error (one line per problem) to stderr and exit with ``code``."""
    first, *rest = [one_line(line) for line in lines]
    typer.echo(f"Error: {first}", err=True)
    for line in rest:
        typer.echo(line, err=True)
    raise typer.Exit(code)


class LeadscoreGroup(TyperGroup):
    """Turns every error into a short message and an exit code: never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
        except Terminated:
            _terminated()
        except LeadscoreError as exc:
            if stop_requested.is_set():
                _terminated()
            fail(exc.lines, exc.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:
            if is_usage_error(exc):
                fail([usage_line(exc, _command(ctx))], EXIT_USAGE)
            if _reader_gone(exc):
                stop_writing()
            if _failed_os_call(exc, errno.ENOSPC, "No space left on device"):
                from leadscore.io.atomic import DISK_FULL

                fail([f"cannot write to standard output: {DISK_FULL}"], EXIT_USAGE)
            if from_framework(exc) or os.environ.get("LEADSCORE_DEBUG"):  # exits, help: Typer's handling
                raise
            if stop_requested.is_set():
                _terminated()
            fail(
                [
                    f"unexpected problem ({type(exc).__name__}: {_first_line(exc)}); "
                    "set LEADSCORE_DEBUG=1 for details and report it"
                ],
                EXIT_ERROR,
            )
        if stop_requested.is_set():  # SIGTERM came, but something on the way lost its exception
            _terminated()
        return result

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Parse the top-level options, with a mistake among them as one line too."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except Exception as exc:
            if is_usage_error(exc):
                fail([usage_line(exc, info_name or "leadscore")], EXIT_USAGE)
            raise


def _failed_os_call(exc: BaseException, code: int, text: str) -> bool:
    """Whether ``exc`` is the OS error ``code``: Python's own, or Polars' (``... (os error 32)``)."""
    return getattr(exc, "errno", None) == code or f"{text} (os error {code})" in str(exc)


def _reader_gone(exc: BaseException) -> bool:
    """Whether the program reading our standard output closed it (``leadscore ... -o - | head``)."""
    return isinstance(exc, BrokenPipeError) or _failed_os_call(exc, errno.EPIPE, "Broken pipe")


def _command(ctx: Any) -> str:
    """The command being run, e.g. 'leadscore score' (once the group has chosen it)."""
    sub = getattr(ctx, "invoked_subcommand", None)
    return f"{ctx.command_path} {sub}" if sub else str(ctx.command_path)


def _terminated() -> NoReturn:
    typer.echo("Terminated.", err=True)
    raise typer.Exit(EXIT_TERMINATED)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else "no details"


app = typer.Typer(
    cls=LeadscoreGroup,
    name="leadscore",
    help="Score sales leads with a readable points model, explain every score, or learn a model "
    "from won/lost history.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # lead rows are personal data: never in a traceback
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leadscore {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Score sales leads with a readable points model."""


def main() -> None:
    """Entry point of the ``leadscore`` command."""
    # SIGTERM (a scheduler's timeout, a shutdown) becomes an exception, so that a file being
    # written is abandoned cleanly and the previous output stays whole.
    stop_on_sigterm()
    app(prog_name="leadscore")
    sys.exit(0)
