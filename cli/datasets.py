"""Dataset commands: ``datasets`` (list the importers), ``import`` (one dataset into its named
graph, from the bundled copy or from files given) and ``reconcile-report``. Thin over
:mod:`diplograph.graph.datasets`.
"""

from __future__ import annotations

from pathlib import Path

import click

from diplograph.cli.base import cli, open_store
from diplograph.cli.served import write
from diplograph.errors import StoreError
from diplograph.graph.store import DiploGraph

#: How many skipped rows ``import`` prints before saying how many more there are.
SHOW_PROBLEMS = 20


@cli.command("datasets")
def datasets_command() -> None:
    """List the dataset importers, their input files and whether the default build loads them."""
    from diplograph.graph.datasets import IMPORTERS

    for name, importer in IMPORTERS.items():
        d = importer.dataset
        click.echo(f"{name}  ({'default build' if d.bundled else 'not bundled'})  {d.title}")
        for role, path in d.files.items():
            where = path.name if d.bundled else "(give it with --file)"
            click.echo(f"    {role}: {where}")


@cli.command("import")
@click.argument("dataset", metavar="DATASET")
@click.option(
    "--file",
    "files",
    multiple=True,
    metavar="[ROLE=]PATH",
    help="Read this file instead of the bundled copy (repeat for several inputs; "
    "ROLE=PATH when the file name does not say which input it is). Required for "
    "icews.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on the first import with any bad row (exit 2, nothing written) instead "
    "of skipping and counting bad rows.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def import_command(
    ctx: click.Context, dataset: str, files: tuple[str, ...], strict: bool, quiet: bool
) -> None:
    """Import one DATASET into its named graph graph/dataset/NAME, replacing it.

    DATASET is one of: cow-state-system, cow-igo, atop, us-missions, us-chiefs-of-mission,
    archigos, rivalries, icews (see `diplograph datasets`). Bad rows (unknown codes, impossible
    dates) are printed as FILE:LINE and skipped, and counted in the graph's provenance;
    with --strict any bad row fails the import and nothing is written.
    """
    from diplograph.graph.datasets import get_importer, resolve_files

    given = resolve_files(get_importer(dataset), files) if files else {}
    args = {"dataset": dataset, "files": {k: str(v) for k, v in given.items()}, "strict": strict}
    done = write(ctx, "import", args)
    if quiet:
        return
    skipped = done["skipped"]
    for problem in skipped[:SHOW_PROBLEMS]:
        click.echo(f"skipped {problem}", err=True)
    if len(skipped) > SHOW_PROBLEMS:
        click.echo(f"... and {len(skipped) - SHOW_PROBLEMS} more skipped rows", err=True)
    click.echo(
        f"{done['dataset']}: {done['triples']} triples into <{done['graph']}>; "
        f"{done['rows_read']} rows read, {done['rows_skipped']} skipped."
    )


@cli.command("reconcile-report")
@click.option(
    "--icews",
    "icews_files",
    multiple=True,
    metavar="PATH",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also report the ICEWS actors of this file that do not reconcile.",
)
@click.option(
    "--limit", default=50, show_default=True, metavar="N", help="Lines to show per section."
)
@click.pass_context
def reconcile_report_command(ctx: click.Context, icews_files: tuple[Path, ...], limit: int) -> None:
    """Report what could not be reconciled: bad dataset rows, POCOM territories and GW states
    without a COW code, leaders without a curated person, ICEWS actors, and the states, persons
    and organisations the articles in the store name that no dataset describes."""
    from diplograph.graph.datasets.report import reconcile_report

    try:
        graph: DiploGraph | None = open_store(ctx, read_only=True)
    except StoreError as exc:
        click.echo(f"(not comparing with the store: {exc})", err=True)
        graph = None
    try:
        report = reconcile_report(graph, icews_files=icews_files)
    finally:
        if graph is not None:
            graph.close()
    click.echo(report.render(limit=limit))
