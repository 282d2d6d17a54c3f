"""The Click group and what every command shares: the store option, opening the graph, and
mapping diplograph's errors to messages and exit codes (never a traceback for a user mistake).

Exit codes: 0 success; 1 other user error; 2 invalid input (validation, unknown query or format,
bad parameter; nothing was written); 3 store unavailable; 4 query timed out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from diplograph import __version__
from diplograph.errors import DiplographError

F = TypeVar("F", bound=Callable[..., Any])


class Group(click.Group):
    """A group that turns :class:`DiplographError` into a clear message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiplographError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="diplograph")
@click.option(
    "--store",
    "store_url",
    envvar="DIPLOGRAPH_STORE",
    default=None,
    metavar="URL",
    help="Store URL: oxigraph:PATH (default oxigraph:data/store), memory: or "
    "sparql+http(s)://HOST/PATH. Env: DIPLOGRAPH_STORE.",
)
@click.pass_context
def cli(ctx: click.Context, store_url: str | None) -> None:
    """diplograph: a knowledge graph of diplomatic relations, with sources.

    \b
    Exit codes:
      0  success
      1  other user error
      2  invalid input: validation problems, unknown format or query, bad option
         (nothing was written)
      3  store unavailable: bad store URL, store locked or missing, server unreachable
      4  query timed out
    """
    ctx.ensure_object(dict)
    ctx.obj["store_url"] = store_url


def store_url(ctx: click.Context) -> str | None:
    """The store URL given to the group (or None for the default)."""
    root = ctx.find_root()
    return (root.obj or {}).get("store_url")


def with_graph(*, read_only: bool = False) -> Callable[[F], F]:
    """Decorate a command to receive the opened graph as its first argument ``graph``."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        @click.pass_context
        def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
            from diplograph.graph.store import open_graph

            with open_graph(store_url(ctx), read_only=read_only) as graph:
                return fn(graph, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
