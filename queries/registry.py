"""The catalogue of named SPARQL queries: ``queries/*.rq`` files, each with a comment header.

A named query is a SPARQL file whose leading comment lines hold a small YAML header::

    # title: Claims by an actor in a date range
    # description: >-
    #   Every claim the actor made, or that was made on its behalf, between two dates.
    # params:
    #   - name: actor
    #     type: iri
    #     example: state/russia
    #     description: The speaker, or the state or organisation spoken for.
    #   - name: start
    #     type: date
    #     default: "1816"
    # tags: [claims, time]
    SELECT ?claim ?actor ?start ...

The file stem is the query's name (and its URL slug). Each parameter binds the variable of the same
name as a typed RDF term (see :mod:`diplograph.queries.params`), through the store's ``bindings``:
never pasted into the query text.

>>> q = get("claims-by-actor")
>>> q.param("actor").type
'iri'
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml
from rdflib.term import Node

from diplograph.errors import Problem, QueryNotFound, QueryParameterError, ValidationError
from diplograph.graph.store.sparqltext import bind_values
from diplograph.queries.params import PARAM_TYPES, Param, ParamType, parse_value

_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER_KEYS = frozenset({"title", "description", "params", "tags"})
_PARAM_KEYS = frozenset({"name", "type", "description", "default", "example", "required"})


class _HeaderLoader(yaml.SafeLoader):
    """YAML 1.2 booleans only: ``on``, ``off``, ``yes`` and ``no`` stay text (``name: on``)."""


_HeaderLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HeaderLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass(frozen=True)
class NamedQuery:
    """One named query: its header and its SPARQL text (header comments included)."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()
    text: str = ""
    path: str | None = field(default=None, compare=False)

    def param(self, name: str) -> Param:
        """The declared parameter ``name``; :class:`QueryParameterError` if there is none."""
        for p in self.params:
            if p.name == name:
                return p
        raise QueryParameterError(
            f"Query {self.name!r} has no parameter {name!r}{self._known_params()}."
        )

    def _known_params(self) -> str:
        if not self.params:
            return "; it takes no parameters"
        return "; its parameters are: " + ", ".join(p.name for p in self.params)

    @property
    def body(self) -> str:
        """The SPARQL text without the header comment."""
        lines = self.text.splitlines(keepends=True)
        i = 0
        while i < len(lines) and (lines[i].startswith("#") or not lines[i].strip()):
            i += 1
        return "".join(lines[i:])

    def example_params(self) -> dict[str, str]:
        """Example values of every parameter that has one (for docs and the query page)."""
        return {p.name: p.example for p in self.params if p.example is not None}

    def bind(self, values: Mapping[str, str | int | Node | None]) -> dict[str, Node]:
        """The typed RDF term of every parameter: given values parsed, defaults applied.

        Raises :class:`QueryParameterError` for an unknown parameter, a missing required one or
        a value that is not of the declared type, naming the parameter.
        """
        unknown = sorted(k for k in values if k not in {p.name for p in self.params})
        if unknown:
            raise QueryParameterError(
                f"Query {self.name!r} has no parameter {unknown[0]!r}{self._known_params()}."
            )
        bound: dict[str, Node] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or (isinstance(raw, str) and raw == "" and p.type != "string"):
                raw = p.default
            if raw is None:
                if p.required:
                    example = f" (for example {p.name}={p.example})" if p.example else ""
                    raise QueryParameterError(
                        f"Query {self.name!r} needs parameter {p.name!r}, a {p.type}{example}."
                    )
                continue
            bound[p.name] = parse_value(p, raw)
        return bound

    def editable(self, bindings: Mapping[str, Node]) -> str:
        """The text "view and edit SPARQL" opens, a query that runs on its own: a comment
        naming the query, then its body with the parameters bound as a VALUES block
        (:func:`~diplograph.graph.store.sparqltext.bind_values`)."""
        body = bind_values(self.body.lstrip("\n"), bindings, note="parameters")
        return f"# {self.title} (named query {self.name})\n" + body

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description of the query (for the catalogue page and listings)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.to_dict() for p in self.params],
            "tags": list(self.tags),
            "sparql": self.text,
        }


def _header_lines(text: str) -> list[tuple[int, str]]:
    """The leading comment lines (line number, text without ``#``), up to the first other line."""
    out: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip() == "" and not out:
                continue
            break
        body = line[1:]
        out.append((n, body[1:] if body.startswith(" ") else body))
    return out


def parse_query(
    text: str, *, name: str, location: str | None = None, require_header: bool = True
) -> NamedQuery:
    """Parse a named query from its text. ``location`` (a file name) is used in errors.

    With ``require_header=False`` a file without a header is a query with no parameters whose
    title is its name (``diplograph query --file X.rq``).
    """
    where = location or f"{name}.rq"
    lines = _header_lines(text)
    first = lines[0][0] if lines else 1

    def problem(message: str, fld: str | None = None) -> ValidationError:
        return ValidationError(
            [Problem(f"{where}:{first}", message, field=fld)],
            summary=f"The header of the named query {name!r} is not valid.",
        )

    header = _load_header(lines, where, name)
    if header is None or not isinstance(header, dict) or "title" not in header:
        if require_header:
            raise problem(
                "has no 'title:' line; a named query starts with a comment header "
                "(title, description, params, tags).",
                "title",
            )
        return NamedQuery(name=name, title=name, description="", text=text, path=location)
    header = cast(dict[str, Any], header)
    extra = sorted(set(header) - _HEADER_KEYS)
    if extra:
        raise problem(
            f"has unknown key {extra[0]!r}; known: {', '.join(sorted(_HEADER_KEYS))}.", extra[0]
        )
    title = header.get("title")
    description = header.get("description")
    if not isinstance(title, str) or not title.strip():
        raise problem("must be a non-empty text.", "title")
    if require_header and (not isinstance(description, str) or not description.strip()):
        raise problem("must be a non-empty text.", "description")
    tags = header.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise problem("must be a list of words, e.g. [claims, time].", "tags")
    params = _parse_params(header.get("params") or [], problem)
    return NamedQuery(
        name=name,
        title=title.strip(),
        description=" ".join(str(description or "").split()),
        params=params,
        tags=tuple(tags),
        text=text,
        path=location,
    )


def _load_header(lines: list[tuple[int, str]], where: str, name: str) -> object:
    """The YAML of a header's comment lines (None when there are none)."""
    if not lines:
        return None
    try:
        return yaml.load("\n".join(t for _, t in lines), Loader=_HeaderLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = lines[0][0] + mark.line if mark is not None else lines[0][0]
        raise ValidationError(
            [Problem(f"{where}:{line}", f"is not YAML: {exc}")],
            summary=f"The header of the named query {name!r} is not valid.",
        ) from exc


def _parse_params(raw_params: object, problem: Any) -> tuple[Param, ...]:
    """The declared parameters, each checked, no name twice."""
    if not isinstance(raw_params, list):
        raise problem("must be a list of parameters (each with name and type).", "params")
    params = [_parse_param(raw, i, problem) for i, raw in enumerate(raw_params, start=1)]
    names = [p.name for p in params]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise problem(f"declares {dupes[0]!r} twice.", "params")
    return tuple(params)


def _parse_param(raw: object, i: int, problem: Any) -> Param:
    if not isinstance(raw, dict):
        raise problem(f"parameter {i} must be a mapping with name and type.", "params")
    extra = sorted(set(raw) - _PARAM_KEYS)
    if extra:
        raise problem(
            f"parameter {i} has unknown key {extra[0]!r}; known: {', '.join(sorted(_PARAM_KEYS))}.",
            "params",
        )
    pname = raw.get("name")
    ptype = raw.get("type")
    if not isinstance(pname, str) or not _VAR.match(pname):
        raise problem(f"parameter {i} needs a name that is a SPARQL variable name.", "params")
    if ptype not in PARAM_TYPES:
        raise problem(
            f"parameter {pname!r} has type {ptype!r}; known: {', '.join(PARAM_TYPES)}.", "params"
        )
    default = raw.get("default")
    example = raw.get("example")
    required = raw.get("required", default is None)
    if not isinstance(required, bool):
        raise problem(f"parameter {pname!r}: 'required' must be true or false.", "params")
    param = Param(
        name=pname,
        type=cast(ParamType, ptype),
        description=" ".join(str(raw.get("description") or "").split()),
        default=None if default is None else str(default),
        example=None if example is None else str(example),
        required=required,
    )
    for label, value in (("default", param.default), ("example", param.example)):
        if value is not None:
            try:
                parse_value(param, value)
            except QueryParameterError as exc:
                raise problem(f"the {label} of {pname!r} is not valid: {exc}", "params") from exc
    return param


def load_query(path: str | Path, *, require_header: bool = False) -> NamedQuery:
    """A named query read from a file (``diplograph query --file X.rq``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryNotFound(f"Cannot read the query file {str(p)!r}: {exc.strerror}.") from exc
    return parse_query(text, name=p.stem, location=str(p), require_header=require_header)


@functools.cache
def catalogue() -> dict[str, NamedQuery]:
    """Every bundled named query by name, sorted by name; parsed once and cached."""
    found: dict[str, NamedQuery] = {}
    root = resources.files("diplograph.queries")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        name = entry.name[: -len(".rq")]
        if not _NAME.match(name):
            raise ValidationError(
                [Problem(entry.name, "is not a valid query name (lower-case words joined by -).")]
            )
        found[name] = parse_query(
            entry.read_text(encoding="utf-8"), name=name, location=f"queries/{entry.name}"
        )
    return found


def get(name: str) -> NamedQuery:
    """The named query ``name``; :class:`QueryNotFound` with close names suggested."""
    queries = catalogue()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise QueryNotFound(
        f"No named query called {name!r}.{hint} List them with `diplograph queries`."
    )
