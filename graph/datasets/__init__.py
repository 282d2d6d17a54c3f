"""Importers of public datasets, each writing its own named graph ``graph/dataset/<name>`` with
its provenance (dataset, version, citation, licence, sha256 of the input files, rows read and
skipped) in the metadata graph.

====================  ===========================================================  ========
name                  dataset                                                      default
====================  ===========================================================  ========
cow-state-system      COW State System v2024, major powers, capitals               yes
cow-igo               COW Intergovernmental Organizations v3                       yes
atop                  ATOP 4.01 alliances (member- and alliance-level)             yes
us-missions           US diplomatic mission status v0.1 (Kenkel)                   yes
us-chiefs-of-mission  POCOM chiefs of mission and principal officers               yes
archigos              Archigos 4.1 leaders                                         yes
rivalries             Thompson-Sakuwa-Suhas strategic rivalries                    yes
supplement            Backbone supplement: sourced facts after the datasets end    yes
icews                 ICEWS coded events as claims (CC BY-NC-SA: non-commercial)   no
====================  ===========================================================  ========

>>> sorted(IMPORTERS)[:3]
['archigos', 'atop', 'cow-igo']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from diplograph import iri
from diplograph.errors import Problem, SourceError, UsageError
from diplograph.graph.datasets.common import Dataset, Import
from diplograph.provenance import Source, Triple


@dataclass(frozen=True)
class Importer:
    """A registered importer: its module holds ``DATASET`` and ``convert(imp)``."""

    name: str
    module: str

    def _mod(self) -> object:
        return importlib.import_module(f"diplograph.graph.datasets.{self.module}")

    @property
    def dataset(self) -> Dataset:
        return self._mod().DATASET  # type: ignore[attr-defined]

    @property
    def convert(self) -> Callable[[Import], None]:
        return self._mod().convert  # type: ignore[attr-defined]


#: Every importer by dataset name, in build order (states first: the others point at them; the
#: supplement last: it extends them and reuses their IRIs).
IMPORTERS: dict[str, Importer] = {
    i.name: i
    for i in (
        Importer("cow-state-system", "cow_states"),
        Importer("cow-igo", "cow_igo"),
        Importer("atop", "atop"),
        Importer("us-missions", "us_missions"),
        Importer("us-chiefs-of-mission", "pocom"),
        Importer("archigos", "archigos"),
        Importer("rivalries", "rivalries"),
        Importer("supplement", "supplement"),
        Importer("icews", "icews"),
    )
}


def get_importer(name: str) -> Importer:
    """The importer of a dataset by name (``cow_igo`` and ``COW-IGO`` work too)."""
    key = iri.slug(name)
    if key not in IMPORTERS:
        raise UsageError(f"Unknown dataset {name!r}; choose one of: {', '.join(IMPORTERS)}.")
    return IMPORTERS[key]


def resolve_files(importer: Importer, given: Iterable[str | Path] = ()) -> dict[str, Path]:
    """The input files of an import: the bundled defaults, replaced by the files given.

    A given file is ``ROLE=PATH`` or a bare ``PATH``; a bare path is matched to the role whose
    default file has the same name, or to the only role when the dataset has one file.
    """
    dataset = importer.dataset
    files = dict(dataset.files)
    roles = list(files)
    for item in given:
        text = str(item)
        role, sep, path = text.partition("=")
        if sep and role in files:
            files[role] = Path(path)
            continue
        p = Path(text)
        by_name = [r for r in roles if dataset.files[r].name == p.name]
        if len(roles) == 1:
            files[roles[0]] = p
        elif len(by_name) == 1:
            files[by_name[0]] = p
        else:
            raise UsageError(
                f"Cannot tell which input of {dataset.name} the file {text!r} is; give it as "
                f"ROLE=PATH with ROLE one of: "
                + ", ".join(f"{r} (default {dataset.files[r].name})" for r in roles)
                + "."
            )
    return files


def import_dataset(
    name: str,
    *,
    files: Mapping[str, Path] | Iterable[str | Path] | None = None,
    strict: bool = False,
) -> tuple[Source, list[Triple]]:
    """Run one importer: its ``(Source, triples)``, ready for ``DiploGraph.replace_graph``.

    ``files`` maps roles to paths (or is a list of ``ROLE=PATH``/``PATH``); missing roles use the
    bundled files. In ``strict`` mode a bad row raises :class:`SourceError` (nothing written);
    otherwise bad rows are skipped and counted in the Source's ``rows_skipped``.
    """
    run = run_import(name, files=files, strict=strict)
    return run.result()


def run_import(
    name: str,
    *,
    files: Mapping[str, Path] | Iterable[str | Path] | None = None,
    strict: bool = False,
) -> Import:
    """Like :func:`import_dataset` but returns the :class:`Import` run (problems, notes)."""
    importer = get_importer(name)
    if isinstance(files, Mapping):
        paths = {**importer.dataset.files, **{k: Path(v) for k, v in files.items()}}
        unknown = [k for k in files if k not in importer.dataset.files]
        if unknown:
            raise UsageError(
                f"{importer.name} has no input called {unknown[0]!r}; "
                f"its inputs are {', '.join(importer.dataset.files)}."
            )
    else:
        paths = resolve_files(importer, files or ())
    if not importer.dataset.bundled and all(
        paths[r] == importer.dataset.files[r] for r in importer.dataset.files
    ):
        raise UsageError(
            f"{importer.name} is not bundled (see docs/datasets.md for its licence); give its "
            f"file with --file PATH."
        )
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise SourceError(
            [Problem(m, "the file does not exist") for m in missing],
            f"Cannot import {importer.name}: input file(s) missing; nothing was written.",
        )
    imp = Import(importer.dataset, paths, strict=strict)
    importer.convert(imp)
    return imp


def bundled_dataset_sources(
    *, strict: bool = False, on_dataset: Callable[[str, int, int], None] | None = None
) -> list[tuple[Source, Iterable[Triple]]]:
    """Every bundled dataset (all but ICEWS) as ``(Source, triples)``, one graph per dataset.

    ``on_dataset(name, i, n)`` is called before the i-th of n datasets is read (1-based), for a
    progress display per dataset.
    """
    names = [name for name, importer in IMPORTERS.items() if importer.dataset.bundled]
    out: list[tuple[Source, Iterable[Triple]]] = []
    for i, name in enumerate(names, start=1):
        if on_dataset is not None:
            on_dataset(name, i, len(names))
        out.append(import_dataset(name, strict=strict))
    return out


__all__ = [
    "IMPORTERS",
    "Importer",
    "bundled_dataset_sources",
    "get_importer",
    "import_dataset",
    "resolve_files",
    "run_import",
]
