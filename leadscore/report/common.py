"""Consoles, shared formatting and small renderables used by every report. Nothing here prints."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from rich import box
from rich.console import Console, Group, RenderableType
from rich.status import Status
from rich.table import Table
from rich.text import Text

from leadscore.errors import one_line
from leadscore.stop import stop_writing

TIER_STYLES = {"hot": "bold red", "warm": "yellow", "cold": "blue"}
BAR = "█"
BAR_WIDTH = 30
NEUTRAL_STYLE = "bold"
SPINNER_DELAY = 1.0  # seconds of work before the spinner appears


def make_console(stderr: bool = False, quiet: bool = False, width: int | None = None) -> Console:
    """The console the command line prints to.

    Rich drops colour and cursor movement when the output is not a terminal (a pipe, a log
    file) and when ``NO_COLOR`` is set; tables use simple boxes, which read well in a log too.

    Parameters
    ----------
    stderr
        Print to standard error (use it when the data itself goes to standard output).
    quiet
        Print nothing at all.
    width
        Columns to lay the report out in; by default the terminal's width, or 80.
    """
    return _Console(stderr=stderr, quiet=quiet, width=width, highlight=False, emoji=False)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader closed the pipe (``leadscore explain L1 | head``): exit 141 as the other
        commands do (Rich's own way is exit 1)."""
        stop_writing()


def error_text(message: str) -> Text:
    """An error message as the command line shows it.

    Examples
    --------
    >>> error_text("model.toml: file not found").plain
    'Error: model.toml: file not found'
    """
    return Text(f"Error: {message}", style="bold red")


def written_text(path: str) -> Text:
    """The line saying where a file went."""
    return Text.assemble(("Written to ", "dim"), (path, "bold"))


def warnings_renderable(warnings: Sequence[str]) -> RenderableType | None:
    """A yellow "Warnings" list, one warning a line, or None when there are none."""
    if not warnings:
        return None
    items = Table.grid(padding=(0, 1))
    items.add_column(no_wrap=True)
    items.add_column()
    for warning in warnings:
        items.add_row("-", Text(warning), style="yellow")
    return Group(Text("Warnings", style="bold yellow"), items)


MESSAGE_STYLES = {"warning": "bold yellow", "note": "cyan"}


def message_lines(notices: Sequence[str] = (), warnings: Sequence[str] = ()) -> list[Text]:
    """Notes then warnings, one ``note: ...`` or ``warning: ...`` line each.

    Print them with ``soft_wrap=True``, so that each stays on one line in a log or a pipe,
    where one line per message is what ``grep`` and mail filters expect.

    Examples
    --------
    >>> [t.plain for t in message_lines(["read as Windows-1252"], ["2 leads have no lead_id"])]
    ['note: read as Windows-1252', 'warning: 2 leads have no lead_id']
    """
    lines = [("note", n) for n in notices] + [("warning", w) for w in warnings]
    return [Text.assemble((f"{kind}: ", MESSAGE_STYLES[kind]), one_line(text)) for kind, text in lines]


@contextmanager
def progress_spinner(console: Console, description: str, delay: float = SPINNER_DELAY) -> Iterator[None]:
    """Show a transient spinner while the block runs, if it runs longer than ``delay`` seconds.

    Nothing is shown when the console is not a terminal or is quiet, so logs and pipes stay
    clean. Pass the standard-error console, so that the spinner never mixes with data written
    to standard output.
    """
    if not console.is_terminal or console.quiet:
        yield
        return
    status = Status(Text(description), console=console)
    lock = threading.Lock()
    state = {"done": False, "started": False}

    def start() -> None:
        with lock:
            if not state["done"]:
                status.start()
                state["started"] = True

    timer = threading.Timer(delay, start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["started"]:
                status.stop()


def tier_text(label: str) -> Text:
    """A tier name in its colour: hot red, warm yellow, cold blue, any other name neutral."""
    return Text(label, style=TIER_STYLES.get(label.lower(), NEUTRAL_STYLE))


def plain_table(title: str | Text, footer: bool = False) -> Table:
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE,
        show_edge=False,
        collapse_padding=True,
        show_footer=footer,
        header_style="bold",
    )


def spaced(parts: Iterable[RenderableType]) -> Iterator[RenderableType]:
    for i, part in enumerate(parts):
        if i:
            yield Text("")
        yield part


def fmt_count(n: int) -> str:
    return f"{n:,}"


def fmt_share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def fmt_number(x: float) -> str:
    """12 -> '12', 1234.5 -> '1,234.5', 2.25 -> '2.25'."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def fmt_range(low: float, high: float) -> str:
    """A range of numbers: '56 to 89', '-15 to -0.01', or '40' when it is one number."""
    return fmt_number(low) if low == high else f"{fmt_number(low)} to {fmt_number(high)}"


def fmt_points(x: float, *, mean: bool = False) -> str:
    """Signed points: '+225', '-50', '+12.5'; a mean always has one decimal ('+6.0')."""
    if mean:
        return f"{x:+,.1f}" if round(x, 1) else "0.0"
    if float(x).is_integer():
        return f"{int(x):+,}" if x else "0"
    return f"{x:+,.2f}".rstrip("0").rstrip(".")


def fmt_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def bar(value: float, biggest: float, width: int = BAR_WIDTH) -> str:
    """Up to ``width`` blocks for ``value`` against ``biggest``; any positive value gets one.

    Examples
    --------
    >>> bar(5, 10, width=10), bar(0.1, 10, width=10), bar(0, 10)
    ('█████', '█', '')
    """
    if value <= 0 or biggest <= 0:
        return ""
    return BAR * max(1, round(width * value / biggest))
