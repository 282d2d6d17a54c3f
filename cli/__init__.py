"""The ``diplograph`` command line: one Click group, thin commands over library functions.

Each module below adds its commands to :data:`diplograph.cli.base.cli`; list a new module in
:data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import importlib

from diplograph.cli.base import cli

#: Modules that register commands on the group, in the order they appear in --help.
COMMAND_MODULES: tuple[str, ...] = (
    "diplograph.cli.store",
    "diplograph.cli.serve",
    "diplograph.cli.export",
    "diplograph.cli.datasets",
    "diplograph.cli.query",
    "diplograph.cli.link",
    "diplograph.cli.extract",
    "diplograph.cli.review",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name)


def main() -> None:
    """Entry point of the ``diplograph`` script."""
    cli(prog_name="diplograph")


__all__ = ["cli", "main"]
