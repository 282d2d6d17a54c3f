"""The Click group and what every command shares: the store option, the settings, opening the
graph, and mapping diplograph's errors to messages and exit codes (never a traceback for a user
mistake).

``--store URL`` (and ``--store-token``) is taken before the subcommand (``diplograph --store X
ingest f.yaml``) and after it (``diplograph ingest --store X f.yaml``); either way it is the
``store`` setting of :mod:`diplograph.settings`, the one source of the store URL
(``$DIPLOGRAPH_STORE``, else its default). The settings are resolved once per run, when a
command first needs them.

Exit codes are those of :mod:`diplograph.errors` (the group's ``--help`` lists them). Files a
command writes (``export -o``, ``dump -o``, ``extract -o``) go through :func:`atomic_output`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from rdflib import URIRef

from diplograph import __version__, settings
from diplograph.errors import EXIT_CODES, DiplographError, StoreError

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph

F = TypeVar("F", bound=Callable[..., Any])


#: Settings every command takes as an option, before or after its name.
SHARED = ("store", "store_token")


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None and param.name is not None:
        explicit(ctx)[param.name] = value


def _shared_options() -> list[click.Option]:
    out = []
    for name in SHARED:
        s = settings.BY_NAME[name]
        extra = f" [env {s.env}; default: {'unset' if s.default is None else s.default}]"
        if s.secret:
            extra += " Prefer the environment variable: options show in the process list."
        out.append(
            click.Option(
                [s.option, name],
                metavar="URL" if name == "store" else "TOKEN",
                default=None,
                expose_value=False,
                callback=_remember,
                help=s.help + extra,
            )
        )
    return out


class Group(click.Group):
    """A group that turns :class:`DiplographError` into a clear message and an exit code, and
    gives every command under it a ``--store`` option."""

    group_class = type  # subgroups are of this class too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(p.name in SHARED for p in cmd.params):
            cmd.params.extend(_shared_options())
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiplographError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


_EXIT_HELP = "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="diplograph: a knowledge graph of diplomatic relations, with sources.\n\n\b\n"
    f"Exit codes:\n{_EXIT_HELP}",
)
@click.version_option(__version__, "--version", prog_name="diplograph")
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.ensure_object(dict)


cli.params.extend(_shared_options())


def explicit(ctx: click.Context) -> dict[str, Any]:
    """The settings given on the command line so far (by name)."""
    root = ctx.find_root()
    root.ensure_object(dict)
    found: dict[str, Any] = root.obj.setdefault("explicit", {})
    return found


def resolved(ctx: click.Context) -> settings.Resolved:
    """Every setting's value for this run, resolved the first time it is asked for."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "settings" not in root.obj:
        root.obj["settings"] = settings.resolve(explicit(ctx))
    values: settings.Resolved = root.obj["settings"]
    return values


def store_url(ctx: click.Context) -> str:
    """The store URL of this run (the ``store`` setting)."""
    url: str = resolved(ctx)["store"]
    return url


def open_store(ctx: click.Context, *, read_only: bool = False) -> DiploGraph:
    """Open the store of this run (the ``store`` and ``store_token`` settings)."""
    from diplograph.graph.store import open_graph

    values = resolved(ctx)
    return open_graph(values["store"], read_only=read_only, token=values["store_token"])


def with_graph(*, read_only: bool = False) -> Callable[[F], F]:
    """Decorate a command to receive the opened graph as its first argument ``graph``."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        @click.pass_context
        def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
            with open_store(ctx, read_only=read_only) as graph:
                return fn(graph, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def open_store_or_none(ctx: click.Context, purpose: str) -> DiploGraph | None:
    """The store of this run opened read-only, or ``None`` (with a warning saying what is done
    without it, ``purpose``) when it cannot be opened."""
    try:
        return open_store(ctx, read_only=True)
    except StoreError as exc:
        click.echo(f"Warning: {exc} {purpose}", err=True)
        return None


def with_progress(title: str, *, quiet: str | None = None) -> Callable[[F], F]:
    """Decorate a long command to show its steps on stderr (see
    :mod:`diplograph.graph.load.progress`): always on a terminal, elsewhere with ``--progress``;
    never when its flag named ``quiet`` (a ``-q``) is set."""

    def decorate(fn: F) -> F:
        @click.option(
            "--progress",
            "progress",
            is_flag=True,
            help="Show progress on stderr even when it is not a terminal (on a terminal it "
            "always is).",
        )
        @functools.wraps(fn)
        def wrapper(*args: Any, progress: bool, **kwargs: Any) -> Any:
            from diplograph.graph.load.progress import reporting

            shown = (progress or sys.stderr.isatty()) and not (quiet and kwargs.get(quiet))
            with reporting(title, enabled=shown):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _umask() -> int:
    """The process's umask, read without changing it where Linux shows it (``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)  # elsewhere: set and restore at once (the CLI runs one thread)
    os.umask(old)
    return old


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file to write ``path`` through: a temporary file beside it, flushed to disk and
    renamed over ``path`` when the block ends without an exception, removed otherwise; never a
    half-written ``path``. The file gets the mode a plain ``open(path, "wb")`` would give: the
    existing file's mode when it is replaced, else ``0666`` less the user's umask (``mkstemp``
    alone would leave ``0600``)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def text_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A plain aligned text table (numbers right-aligned)."""
    cells = [[str(c) for c in header], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(isinstance(r[i], int) for r in rows) and bool(rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.rjust(w) if numeric[i] else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def named_graph(text: str) -> URIRef:
    """The named graph ``--graph`` names (:func:`diplograph.iri.named_graph`)."""
    from diplograph.iri import named_graph as read

    return read(text)
