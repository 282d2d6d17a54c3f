"""Screens for hostile input files, run before any parser builds from them (issue 10, hazard 6).

:func:`screen_file` refuses an RDF file with raw NUL bytes, a document type declaration in
RDF/XML (entity expansion: a 1 kB "billion laughs" file becomes a 192-million-character literal;
external entities would read local files) or a literal longer than :data:`MAX_LITERAL`.
:func:`screen_records` refuses YAML aliases in claim records (they expand the same way). Both raise
:class:`~diplograph.errors.ValidationError` naming ``file:line``; :mod:`.ingest` calls them before
anything is parsed into memory or written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from diplograph import formats
from diplograph.errors import Problem, ValidationError

#: Longest literal (characters) an RDF file may hold; a longer one is refused.
MAX_LITERAL = 1_000_000


def _literal_quads(path: Path, fmt: formats.Format) -> Iterator[ox.Quad]:
    """The quads of ``path`` whose object is a long literal (streamed)."""
    for q in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph or "")):
        if isinstance(q.object, ox.Literal) and len(q.object.value) > MAX_LITERAL:
            yield q
            return


def screen_file(path: Path, fmt: formats.Format) -> None:
    """Refuse a hostile RDF file before any parser builds from it (issue 10, hazard 6): raw NUL
    bytes, a DTD in RDF/XML (``<!DOCTYPE``/``<!ENTITY``: a 1 kB "billion laughs" file expands
    to hundreds of megabytes), and literals longer than :data:`MAX_LITERAL` characters. Raises
    :class:`~diplograph.errors.ValidationError` naming ``file:line``."""
    xml = fmt.key == "rdfxml"
    line, current, longest, tail = 1, 0, 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            nul = chunk.find(b"\0")
            if nul >= 0:
                at = line + chunk.count(b"\n", 0, nul)
                raise ValidationError([Problem(f"{path}:{at}", "the file holds a NUL byte.")])
            if xml:
                data = tail + chunk
                for marker in (b"<!DOCTYPE", b"<!ENTITY"):
                    pos = data.find(marker)
                    if pos >= 0:
                        at = line - tail.count(b"\n") + data.count(b"\n", 0, pos)
                        raise ValidationError(
                            [
                                Problem(
                                    f"{path}:{at}",
                                    "RDF/XML with a document type declaration (<!DOCTYPE or "
                                    "<!ENTITY) is refused: entities can expand without bound.",
                                )
                            ]
                        )
                tail = chunk[-16:]
            parts = chunk.split(b"\n")
            if len(parts) == 1:
                current += len(chunk)
            else:
                longest = max(longest, current + len(parts[0]), *(len(x) for x in parts[1:-1]))
                current = len(parts[-1])
            line += len(parts) - 1
    longest = max(longest, current)
    line_based = fmt.key in ("ntriples", "nquads")
    if (longest if line_based else path.stat().st_size) <= MAX_LITERAL:
        return  # no literal can be longer than the cap (entities are refused above)
    try:
        quads = list(_literal_quads(path, fmt))
    except SyntaxError:
        return  # the loader reports syntax errors with their line
    for q in quads:
        obj = q.object
        if isinstance(obj, ox.Literal) and len(obj.value) > MAX_LITERAL:
            raise ValidationError(
                [
                    Problem(
                        str(path),
                        f"the literal of {q.subject} {q.predicate} has {len(obj.value):,} "
                        f"characters; this store accepts at most {MAX_LITERAL:,}.",
                    )
                ]
            )


def screen_records(path: Path) -> None:
    """Refuse YAML aliases (``*name``) in a claim-record file before it is loaded: nested
    aliases expand like a "billion laughs" (a 1 kB file that costs minutes and gigabytes to
    check), and records never need them. Syntax errors are left to the loader, which names them.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # the loader reports it
    screen_records_text(text, str(path))


def screen_records_text(text: str, location: str) -> None:
    """:func:`screen_records` for the text of a record file (``location`` names it)."""
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                where = f"{location}:{mark.line + 1}" if mark is not None else location
                raise ValidationError(
                    [
                        Problem(
                            where,
                            "YAML aliases (*name) are refused in claim records: "
                            "write the value out.",
                        )
                    ]
                )
    except yaml.reader.ReaderError as exc:  # a control character: the loader would crash on it
        line = text.count("\n", 0, exc.position) + 1
        raise ValidationError(
            [
                Problem(
                    f"{location}:{line}",
                    f"is not valid YAML: {exc.reason} (#x{exc.character:04x}).",
                )
            ]
        ) from None
    except yaml.YAMLError:
        return  # the loader names the line
