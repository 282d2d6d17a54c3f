"""The ``diplograph`` command line: one Click group, thin commands over library functions."""

from __future__ import annotations

import click

from diplograph import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="diplograph")
@click.option("--store", "store_url", envvar="DIPLOGRAPH_STORE", default=None,
              help="Store URL: oxigraph:PATH (default oxigraph:data/store), memory: or "
                   "sparql+http(s)://HOST/PATH. Env: DIPLOGRAPH_STORE.")
@click.pass_context
def cli(ctx: click.Context, store_url: str | None) -> None:
    """diplograph: a knowledge graph of diplomatic relations."""
    ctx.obj = {"store_url": store_url}


def main() -> None:
    cli(prog_name="diplograph")
