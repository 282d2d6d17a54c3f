"""SHACL validation of what is about to be written (:mod:`diplograph.ontology.shacl`), with each
violation placed where a reader can find it: the claim record (``file:line: claim c7: ...``) or
the first line of the RDF file that names the node."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from diplograph.errors import Problem, ValidationError
from diplograph.provenance import Triple

#: SHACL (pySHACL, pure Python) runs on files up to this many triples; larger files are
#: checked for syntax only, and the report says so.
SHACL_LIMIT = 200_000
_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]+)>")


def shacl_problems(
    triples: Iterable[Triple],
    *,
    path: Path | None = None,
    warnings: list[str] | None = None,
    context: Iterable[Triple] = (),
) -> list[str]:
    """SHACL violations of some triples (with the code lists), as sentences naming the record
    (``file:line: claim c7: 'speaker' ...``) where :mod:`diplograph.graph.records` knows it, or
    the first line of the RDF file ``path`` that names the node. ``context`` (the classes of
    nodes stored elsewhere that the triples refer to) is read but not itself checked."""
    from diplograph.graph.records import locate
    from diplograph.ontology.shacl import describe, validate_shacl

    g = Graph()
    for t in triples:
        g.add(t)
    subjects = set(g.subjects()) if context else None
    for t in context:
        g.add(t)
    lines = _node_lines(path) if path is not None else {}

    def where(node: object) -> str | None:
        line = lines.get(str(node))
        return f"{path}:{line}: <{node}>" if line else locate(str(node))

    out = []
    for v in validate_shacl(g):
        if subjects is not None and v.focus not in subjects:
            continue
        line = describe(v, locate=where)
        if v.severity == "Violation":
            out.append(line)
        elif warnings is not None:
            warnings.append(line)
    return out


def _node_lines(path: Path, limit: int = 20_000_000) -> dict[str, int]:
    """For a text RDF file: the first line on which each ``<IRI>`` appears."""
    if path.stat().st_size > limit:
        return {}
    found: dict[str, int] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, text in enumerate(fh, 1):
            for m in _IRI.finditer(text):
                found.setdefault(m.group(1), n)
    return found


def raise_shacl(path: Path, problems: list[str]) -> None:
    """Raise the SHACL violations of ``path`` (from :func:`shacl_problems`), if any, as one
    :class:`~diplograph.errors.ValidationError` saying nothing was written."""
    if problems:
        raise ValidationError(
            [
                Problem(str(path), p) if not p.startswith(str(path)) else _as_problem(p)
                for p in problems
            ],
            summary=f"{path}: {len(problems)} SHACL violation(s); nothing was written.",
        )


def _as_problem(line: str) -> Problem:
    where, _, rest = line.partition(": ")
    return Problem(where, rest)


__all__ = ["SHACL_LIMIT", "raise_shacl", "shacl_problems"]
