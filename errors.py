"""One error hierarchy for diplograph.

Every error a user can cause is a :class:`DiplographError`, and every such class is here; its
message is a full sentence that says where the problem is. The edges map these once: the CLI to
an exit code (:attr:`exit_code`, one of :data:`EXIT_CODES`), the HTTP layer to a status
(:attr:`http_status`). Anything else that escapes is a bug.

>>> sorted({cls.exit_code for cls in all_errors()}) == sorted(c for c in EXIT_CODES if c)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Every exit code of the ``diplograph`` command and what it means (docs/cli.md shows the same).
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "other user error (a picture Graphviz could not draw)",
    2: "invalid input: validation problems, unknown format, query or part, options that do not "
    "fit together, a graph that does not exist; nothing was written",
    3: "store unavailable: bad store URL, store locked by another process or missing, server "
    "unreachable or refusing credentials; or the OWL reasoner could not run",
    4: "query timed out",
    5: "a query crashed the worker running it (a bug, or the machine ran out of memory)",
}


class DiplographError(Exception):
    """Base class of every error a user can cause."""

    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is and what is wrong.

    ``location`` is ``file:line`` where a line is known, else the file; ``record`` is a record id
    (claim ``c7``, dataset row ``412``), ``field`` the field name.
    """

    location: str
    message: str
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.location]
        head = ": ".join(p for p in (self.record, repr(self.field) if self.field else None) if p)
        text = f"{head} {self.message}" if head else self.message
        return f"{parts[0]}: {text}"


class ValidationError(DiplographError):
    """Input failed validation; nothing was written. Carries every problem found."""

    exit_code = 2
    http_status = 400

    def __init__(self, problems: list[Problem], summary: str | None = None) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = summary or f"{len(self.problems)} problem(s) found; nothing was written."
        super().__init__("\n".join([head, *lines]))


class ClaimError(ValidationError):
    """A claim record is wrong: names the file, line, record and field."""


class SourceError(ValidationError):
    """A dataset row is wrong: names the file, line and column."""


class StoreError(DiplographError):
    """The store cannot be opened or written (bad URL, locked, unreachable, disk full)."""

    exit_code = 3
    http_status = 503


class UnsupportedFormat(DiplographError):
    """A format name, media type or file suffix that diplograph does not know."""

    exit_code = 2
    http_status = 406


class QueryError(DiplographError):
    """A SPARQL query that cannot be run: syntax error, forbidden form, too large."""

    exit_code = 2
    http_status = 400


class QueryTimeout(DiplographError):
    """A query ran longer than the configured limit and was stopped."""

    exit_code = 4
    http_status = 503


class QueryNotFound(DiplographError):
    """No named query has that name."""

    exit_code = 2
    http_status = 404


class QueryParameterError(DiplographError):
    """A named-query parameter is missing, unknown or of the wrong type."""

    exit_code = 2
    http_status = 400


class UnknownEntity(QueryParameterError):
    """An ``iri`` parameter names an entity under the data base that the store does not hold;
    ``suggestions`` are the entities named most like it (search hits: ``iri`` and ``label``)."""

    def __init__(self, param: str, value: str, suggestions: Sequence[Any]) -> None:
        from diplograph.iri import ID

        short = str(value)[len(str(ID)) :]
        message = f"parameter {param!r}: the store has no entity {short} (<{value}>)."
        if suggestions:
            named = ", ".join(f"{h.iri[len(str(ID)) :]} ({h.label})" for h in suggestions)
            message = message[:-1] + f"; did you mean {named}?"
        super().__init__(message)
        self.param = param
        self.suggestions = list(suggestions)


class NotFound(DiplographError):
    """A resource, graph or page that does not exist."""

    exit_code = 2
    http_status = 404


class UsageError(DiplographError):
    """Options or arguments that do not fit together (e.g. a one-graph format for the whole
    store)."""

    exit_code = 2
    http_status = 400


class ExportError(DiplographError):
    """A network view, filter or export that cannot be made: unknown view, a filter that does not
    apply to the view, a bad date, or a renderer (Graphviz) that failed."""

    exit_code = 2
    http_status = 400


class ExportTooLarge(ExportError):
    """A view too large to draw as a picture (over Graphviz's node limit): refused (422) before
    Graphviz is started; filter it, or export a format that is not a picture."""

    http_status = 422


class ReasonerError(DiplographError):
    """The OWL reasoner (HermiT, via owlready2) could not run: Java missing, or HermiT failed."""

    exit_code = 3
    http_status = 503


class SettingError(DiplographError):
    """A setting has a value of the wrong type or an unknown name."""

    exit_code = 2
    http_status = 500


class ForbiddenQuery(QueryError):
    """A query or update uses a form this server refuses (SERVICE, LOAD, unknown FROM graph)."""

    http_status = 403


class QueryTooLarge(QueryError):
    """A query or update is longer or nested deeper than the server accepts."""

    http_status = 400


class LoadFailed(QueryError):
    """The source of an update's ``LOAD`` could not be loaded: unreachable or answering an error
    (502), too slow (504), larger than the server reads (413), of a format it cannot tell or
    read (415), not valid in its format (422). Nothing was written."""

    http_status = 502

    def __init__(self, message: str, status: int = 502) -> None:
        super().__init__(message)
        self.http_status = status


class QueryCrashed(DiplographError):
    """The worker running a query died (a bug or the machine ran out of memory)."""

    exit_code = 5
    http_status = 500


class Unauthorized(DiplographError):
    """``/update`` without a bearer token (401) or with a wrong one (403)."""

    http_status = 401

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.http_status = status
        self.headers = (
            {"WWW-Authenticate": 'Bearer realm="diplograph update"'} if status == 401 else {}
        )


class BadPath(DiplographError):
    """A resource path that tries to leave the IRI space (encoded slash or backslash)."""

    exit_code = 2
    http_status = 400


class ExtractError(ValidationError):
    """The text cannot be coded: empty, binary, too large, or nothing to draft. Nothing was
    written."""


class PictureError(DiplographError):
    """Graphviz is missing or failed to draw the picture."""

    exit_code = 1
    http_status = 500


def all_errors() -> list[type[DiplographError]]:
    """Every error class (the base and all its subclasses, however deep)."""
    out: list[type[DiplographError]] = []
    todo: list[type[DiplographError]] = [DiplographError]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out
