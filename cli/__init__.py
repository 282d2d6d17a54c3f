"""The ``diplograph`` command line: one Click group, thin commands over library functions.

Each module imported below adds its commands to :data:`diplograph.cli.base.cli` (import a new
one here).
"""

from __future__ import annotations

from diplograph.cli import (  # noqa: F401 - imported for the commands they register
    contents,
    datasets,
    export,
    extract,
    link,
    query,
    review,
    serve,
    store,
)
from diplograph.cli.base import cli


def main() -> None:
    """Entry point of the ``diplograph`` script."""
    cli(prog_name="diplograph")


__all__ = ["cli", "main"]
