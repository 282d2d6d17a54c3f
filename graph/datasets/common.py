"""What every dataset importer shares: reading CSV/TSV rows with their file:line, collecting bad
rows as :class:`~diplograph.errors.Problem`, dates at the precision the source gives, the concept
IRIs the importers point at, and the :class:`Import` run that ends in one ``(Source, triples)``.

An importer streams its rows, appends plain ``(s, p, o)`` tuples to :attr:`Import.triples` (no
rdflib ``Graph``: a list of tuples is all the store needs) and reports a bad row with
:meth:`Import.skip`, which raises :class:`BadRow` so the row is left out whole. At the end
:meth:`Import.result` either fails (``strict``: a :class:`~diplograph.errors.SourceError` listing
every bad row, nothing written) or returns the graph with ``rows_skipped`` in its provenance.

>>> str(date_literal("1999", "3", "12"))
'1999-03-12'
>>> date_literal("1999", "3", "0").datatype == XSD.gYearMonth
True
>>> date_literal("0", "0", "0") is None
True
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files as resource_files
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from diplograph import iri
from diplograph.errors import Problem, SourceError
from diplograph.ontology import schemes
from diplograph.provenance import Source, Triple, sha256_of


class _Terms:
    """``DG.State`` etc.: the ontology's terms as URIRefs, each made once (an rdflib
    ``Namespace`` makes a new URIRef on every attribute access, which adds up over 10^5 rows)."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = URIRef(str(iri.ONTOLOGY) + name)
        setattr(self, name, term)
        return term


DG = _Terms()
TRUE = Literal(True)
RDF_TYPE = RDF.type
RDFS_LABEL = RDFS.label

#: Where the bundled copies of the datasets live (inside the package, shipped in the wheel).
DATA_DIR = Path(str(resource_files("diplograph.graph"))) / "data"


def bundled(*parts: str) -> Path:
    """The path of a bundled data file, e.g. ``bundled("datasets", "atop", "x.csv")``."""
    return DATA_DIR.joinpath(*parts)


# -- concepts --------------------------------------------------------------------------------
# The SKOS concepts the importers point at come from diplograph.ontology.schemes (the ONTOLOGY
# module mints them with iri.concept(scheme, label)); these tables key them by the source's codes.

MEMBERSHIP_STATUS = {n: schemes.MEMBERSHIP_STATUS[n] for n in ("1", "2", "3")}
OBLIGATIONS = {  # ATOP column -> concept
    col: schemes.ALLIANCE_OBLIGATION[col]
    for col in ("defense", "offense", "neutral", "nonagg", "consul")
}
MISSION_STATUS = {c.label: c.iri for c in schemes.MISSION_STATUS.concepts}
RIVALRY_TYPES = {c.key: c.iri for c in schemes.RIVALRY_TYPE.concepts}


def role(name: str) -> URIRef:
    """A role-type concept (``ambassador``, ``foreign-minister``, ``effective-leader``...)."""
    return schemes.ROLE_TYPE[name]


# -- dates -----------------------------------------------------------------------------------


class BadValue(ValueError):
    """A field value that cannot be read; the message says why."""


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@lru_cache(maxsize=65536)
def date_literal(year: str, month: str = "", day: str = "") -> Literal | None:
    """A date at the precision given: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    Empty or ``0`` parts are unknown: no year means no date (``None``); no month means a year;
    no day means a year and month. An impossible date (``1999-02-30``) raises :class:`BadValue`.
    """
    y, m, d = (_int_or_none(v) for v in (year, month, day))
    if y is None:
        return None
    if not 1 <= y <= 9999:
        raise BadValue(f"year {year!r} is out of range")
    if m is None:
        if d is not None:
            raise BadValue(f"a day ({day}) without a month")
        return Literal(f"{y:04d}", datatype=XSD.gYear)
    if not 1 <= m <= 12:
        raise BadValue(f"month {month!r} is not 1-12")
    if d is None:
        return Literal(f"{y:04d}-{m:02d}", datatype=XSD.gYearMonth)
    try:
        value = dt.date(y, m, d)
    except ValueError as exc:
        raise BadValue(f"impossible date {y:04d}-{m:02d}-{d:02d} ({exc})") from exc
    return Literal(value.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=65536)
def iso_literal(text: str) -> Literal | None:
    """An ISO date string ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` at its precision; ``''`` is
    ``None``. Anything else raises :class:`BadValue`."""
    text = text.strip()
    if not text:
        return None
    match = _ISO.match(text)
    if not match:
        raise BadValue(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return date_literal(*(g or "" for g in match.groups()))


def year_literal(text: str) -> Literal | None:
    """A year as ``xsd:gYear``; ``''`` is ``None``."""
    return date_literal(text)


def check_order(start: Literal | None, end: Literal | None) -> None:
    """Raise :class:`BadValue` when an interval ends before it starts (compared lexically, which
    is right for ISO dates of any precision with four-digit years)."""
    if start is not None and end is not None:
        s, e = str(start), str(end)
        if e < s[: len(e)]:
            raise BadValue(f"it ends ({e}) before it starts ({s})")


def _int_or_none(text: str) -> int | None:
    text = (text or "").strip()
    if text in ("", "0", "NA", "."):
        return None
    try:
        return int(float(text)) if "." in text else int(text)
    except ValueError as exc:
        raise BadValue(f"{text!r} is not a number") from exc


def integer(text: str, name: str) -> int:
    """A required integer field."""
    text = (text or "").strip()
    try:
        return int(float(text)) if "." in text else int(text)
    except ValueError as exc:
        raise BadValue(f"{name} {text!r} is not a number") from exc


# -- reading ---------------------------------------------------------------------------------


def read_rows(
    path: Path,
    *,
    required: Sequence[str],
    delimiter: str = ",",
    fieldnames: Sequence[str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each record of a CSV/TSV file, ``line`` being the 1-based line
    where the record ends. A missing file or column raises :class:`SourceError`."""
    if not path.is_file():
        raise SourceError(
            [Problem(str(path), "the file does not exist")],
            f"Cannot read {path}: no such file; nothing was written.",
        )
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh, fieldnames=fieldnames, delimiter=delimiter)
        header = list(reader.fieldnames or [])
        missing = [c for c in required if c not in header]
        if missing:
            raise SourceError(
                [
                    Problem(
                        f"{path}:1",
                        f"missing column(s) {', '.join(missing)}; the header is "
                        f"{', '.join(header) or '(empty)'}",
                    )
                ],
                f"{path} is not the expected file; nothing was written.",
            )
        for row in reader:
            yield reader.line_num, {k: (v or "") for k, v in row.items() if k is not None}


class BadRow(Exception):
    """Raised by :meth:`Import.skip` to leave a row out."""


@dataclass
class Dataset:
    """What an importer imports: the dataset's name, its provenance and its input files."""

    name: str
    title: str
    version: str
    citation: str
    license: str
    files: Mapping[str, Path]  # role -> bundled default
    bundled: bool = True  # part of the default build
    #: why the data stops where it stops (written beside the coverage dates in the metadata)
    coverage_note: str = ""

    @property
    def graph(self) -> URIRef:
        return iri.dataset_graph(self.name)


@dataclass
class Import:
    """One run of an importer: the triples, the rows read and the problems found."""

    dataset: Dataset
    paths: Mapping[str, Path]
    strict: bool = False
    triples: list[Triple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    notes: list[str] = field(default_factory=list)  # things not reconciled, for the report
    extra: list[tuple[URIRef, Node]] = field(default_factory=list)  # more metadata of the graph
    #: the version the data says it is (a ``version`` column), when the importer reads one
    data_version: str | None = None
    #: the last date each part (``scope``) of the data covers, when the importer knows it better
    #: than the latest date among its intervals (COW IGO observes spells to a last year)
    coverage_end: dict[str, Literal] = field(default_factory=dict)
    _keys: dict[str, int] = field(default_factory=dict)
    _dates: dict[str, list[str]] = field(default_factory=dict)  # scope -> [earliest, latest]
    _open: list[tuple[URIRef, str]] = field(default_factory=list)  # spells with no end, by scope

    def rows(
        self,
        role: str,
        *,
        required: Sequence[str],
        delimiter: str = ",",
        fieldnames: Sequence[str] | None = None,
        count: bool = True,
    ) -> Iterator[tuple[str, dict[str, str]]]:
        """Yield ``(location, row)`` for each row of the file playing ``role``; rows that
        :meth:`skip` are counted as skipped. ``location`` is ``file:line``."""
        path = self.paths[role]
        for line, row in read_rows(
            path, required=required, delimiter=delimiter, fieldnames=fieldnames
        ):
            if count:
                self.rows_read += 1
            yield f"{path}:{line}", row

    def unique(self, key: str) -> str:
        """``key`` the first time, then ``key-2``, ``key-3``...: a source id that occurs twice
        (POCOM has three duplicated chief ids) still gives each row its own IRI, in file order."""
        n = self._keys.get(key, 0) + 1
        self._keys[key] = n
        return key if n == 1 else f"{key}-{n}"

    def skip(
        self, location: str, message: str, *, field: str | None = None, record: str | None = None
    ) -> BadRow:
        """Record a bad row; ``raise imp.skip(...)`` leaves it out."""
        self.problems.append(Problem(location, message, record=record, field=field))
        self.rows_skipped += 1
        return BadRow(message)

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        """Append a triple unless its object is unknown (``None``): unknown stays absent."""
        if o is not None:
            self.triples.append((s, p, o))

    def typed(self, s: URIRef, cls: URIRef, label: str | None = None) -> None:
        self.triples.append((s, RDF_TYPE, cls))
        if label:
            self.triples.append((s, RDFS_LABEL, Literal(label, lang="en")))

    def interval(
        self,
        s: URIRef,
        start: Literal | None,
        end: Literal | None,
        *,
        ongoing: bool = False,
        scope: str = "",
        known_until: Literal | None = None,
    ) -> None:
        """Start and end dates; an ongoing relation gets ``dg:ongoing true`` and no end date.

        A relation with no end date (ongoing, or its end unknown) is known only up to the end
        of what its part of the data covers (``scope``: a file, when a dataset's files end at
        different dates): :meth:`result` gives it ``dg:knownUntil`` that date, past which the
        "as of" queries say "unknown" instead of extending it. ``known_until`` gives that date
        for this relation alone (a page that attests it up to its own date)."""
        self.add(s, DG.startDate, start)
        if ongoing:
            self.triples.append((s, DG.ongoing, TRUE))
        else:
            self.add(s, DG.endDate, end)
        seen = self._dates.setdefault(scope, [])
        for d in (start, end):
            if d is not None:
                text = str(d)
                if not seen:
                    seen.extend((text, text))
                else:
                    seen[0], seen[1] = min(seen[0], text), max(seen[1], text)
        if known_until is not None and (ongoing or end is None):
            self.triples.append((s, DG.knownUntil, known_until))
        elif ongoing or end is None:
            self._open.append((s, scope))

    def coverage(self) -> tuple[Literal | None, dict[str, Literal]]:
        """The earliest date of the data and, per scope, the last date it covers."""
        starts = [d[0] for d in self._dates.values() if d]
        start = iso_literal(min(starts)) if starts else None
        ends = {scope: iso_literal(d[1]) for scope, d in self._dates.items() if d}
        ends.update(self.coverage_end)
        return start, {k: v for k, v in ends.items() if v is not None}

    def result(self) -> tuple[Source, list[Triple]]:
        """The graph and its provenance; in strict mode any bad row fails the whole import."""
        if self.strict and self.problems:
            raise SourceError(
                self.problems,
                f"The {self.dataset.name} import found {len(self.problems)} bad row(s) and "
                "--strict is on; nothing was written.",
            )
        d = self.dataset
        start, ends = self.coverage()
        for node, scope in self._open:
            if scope in ends:
                self.triples.append((node, DG.knownUntil, ends[scope]))
        paths = [self.paths[r] for r in d.files if r in self.paths]
        # the bundled release's version holds only for the bundled files; a file given by the
        # user is of the version its data says, or of an unknown one
        own = all(
            r in self.paths and self.paths[r].resolve() == p.resolve() for r, p in d.files.items()
        )
        version = self.data_version or (d.version if own else None)
        source = Source(
            graph=d.graph,
            title=d.title,
            kind="dataset",
            origin=", ".join(_origin(p) for p in paths),
            content_hash=sha256_of(paths),
            citation=d.citation,
            license=d.license,
            version=version,
            rows_read=self.rows_read,
            rows_skipped=self.rows_skipped,
            extra=tuple(self.extra),
            coverage_start=start,
            coverage_end=max(ends.values(), key=str) if ends else None,
            coverage_note=_coverage_note(d.coverage_note, ends),
        )
        return source, self.triples


def _coverage_note(note: str, ends: Mapping[str, Literal]) -> str | None:
    """The dataset's note on its coverage, with the end of each part when the parts differ."""
    parts = [f"{scope}: to {end}" for scope, end in sorted(ends.items()) if scope]
    if len({str(e) for e in ends.values()}) > 1 and parts:
        note = (note + " " if note else "") + "Coverage by part: " + "; ".join(parts) + "."
    return note or None


def _origin(path: Path) -> str:
    """A bundled file as its path inside the package; any other file as given."""
    try:
        return "diplograph/graph/data/" + path.resolve().relative_to(DATA_DIR.resolve()).as_posix()
    except ValueError:
        return str(path)


def flags(row: Mapping[str, str], columns: Iterable[str]) -> list[str]:
    """The columns whose value is 1 (ATOP-style 0/1 flags)."""
    return [c for c in columns if row.get(c, "").strip() in ("1", "1.0")]
