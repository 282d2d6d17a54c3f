"""Where a problem in a claim-record file is, and JSON Schema errors in plain words.

:class:`Reporter` collects :class:`~diplograph.errors.Problem` lines for one parsed file (its
mappings and lists know their lines, :mod:`.yaml_lines`): :meth:`Reporter.add` records one
problem at ``file:line`` for a record (``claim c7``, ``entity lavrov``, ``article``) and field;
:meth:`Reporter.schema_error` turns a ``jsonschema`` error (draft 2020-12, schema in
``graph/data/schema/claim-records.schema.json``) into such lines, e.g.
``claim c3: 'speaker' is required but missing``.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from diplograph.errors import Problem
from diplograph.graph.records.model import as_list
from diplograph.graph.records.yaml_lines import LineDict, LineList

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}
_WHAT = {"claims": "a claim", "entities": "an entity", "article": "the article"}


def show(value: Any) -> str:
    """A value as messages quote it: strings in quotes, numbers bare."""
    return repr(value) if isinstance(value, str) else str(value)


@dataclass
class Reporter:
    """The problems found in one record file, each at its line."""

    path: Path
    location: str
    data: LineDict
    known: Container[str] | None = None
    problems: list[Problem] = field(default_factory=list)
    _bad: set[tuple[Any, ...]] = field(default_factory=set)  # (section, key, field) with errors

    # -- reporting ---------------------------------------------------------------------------
    def add(self, line: int | None, record: str | None, fld: str | None, message: str) -> None:
        where = f"{self.location}:{line}" if line else self.location
        self.problems.append(Problem(where, message, record, fld))

    def _walk(self, path: list[Any]) -> int | None:
        node: Any = self.data
        line: int | None = self.data.line
        for step in path:
            if isinstance(node, LineDict) and step in node:
                line, node = node.key_lines.get(step, line), node[step]
            elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
                line, node = node.item_lines[step], node[step]
            else:
                break
        return line

    def _record(self, path: list[Any]) -> tuple[str | None, str | None]:
        """The record a schema path is in and the field (``("claim c3", "speaker")``)."""
        if len(path) >= 2 and path[0] == "claims":
            claims = self.data.get("claims")
            item = claims[path[1]] if isinstance(claims, list) else None
            cid = item.get("id") if isinstance(item, dict) else None
            name = f"claim {cid}" if isinstance(cid, str) else f"claim #{path[1] + 1}"
            return name, path[2] if len(path) > 2 else None
        if len(path) >= 2 and path[0] == "entities":
            return f"entity {path[1]}", path[2] if len(path) > 2 else None
        if path and path[0] == "article":
            return "article", path[1] if len(path) > 1 else None
        return None, path[0] if path else None

    def schema_error(self, error: jsonschema.ValidationError) -> None:
        """Turn one JSON Schema error into problems, at the line it is about."""
        path = list(error.absolute_path)
        record, fld = self._record(path)
        line = self._walk(path)
        self._bad.add(tuple(path[:3]))
        if not self._structure_error(error, path, record, line):
            self.add(line, record, fld, _value_message(error, fld))

    def _structure_error(
        self,
        error: jsonschema.ValidationError,
        path: list[Any],
        record: str | None,
        line: int | None,
    ) -> bool:
        """Report an error about the shape of the file (missing or unknown fields, text given
        twice or not at all, a bad entity id); False when it is about one value."""
        value, kind = error.instance, error.validator
        if kind == "required":
            for name in error.validator_value:
                if isinstance(value, dict) and name not in value:
                    self._bad.add((*path[:2], name))
                    self.add(line, record or None, name, "is required but missing")
        elif kind == "additionalProperties" and isinstance(value, dict):
            allowed = error.schema.get("properties", {})
            what = _WHAT.get(path[0], "a claim") if path else "the file"
            for key in value:
                if key not in allowed:
                    self._bad.add((*path[:2], key))
                    self.add(self._walk([*path, key]), record, key, f"is not a field of {what}")
        elif kind == "oneOf" and path == ["article"]:
            both = isinstance(value, dict) and "text" in value and "text_file" in value
            self.add(
                line,
                "article",
                "text",
                "and 'text_file' are both given: give one"
                if both
                else "is missing: give the article text ('text') or its path ('text_file')",
            )
        elif kind == "pattern" and path == ["entities"]:
            self.add(
                self._walk([*path, value]),
                f"entity {value}",
                None,
                "has an id that is not lower-case letters, digits and '-'",
            )
        else:
            return False
        return True


def _value_message(error: jsonschema.ValidationError, fld: str | None) -> str:
    """What is wrong with one value, in words (a JSON Schema error of type, pattern, enum...)."""
    value, kind = error.instance, error.validator
    if kind == "type":
        if fld == "event_type" and isinstance(value, int):
            return f'{value} must be quoted, as in "{value}": an unquoted code is read as a number'
        want = " or ".join(_TYPE_WORDS.get(t, t) for t in as_list(error.validator_value))
        return f"{show(value)} should be {want}"
    if kind == "pattern":
        what = error.schema.get("description", f"of the form {error.validator_value}")
        return f"{show(value)} is not {what}"
    if kind == "enum":
        return f"{show(value)} is not one of {', '.join(show(v) for v in error.validator_value)}"
    if kind == "const":
        return (
            f"{show(value)} is not {error.validator_value}, the version of the format this "
            "diplograph reads"
        )
    if fld == "span" and kind in ("minItems", "maxItems", "minimum"):
        what = "a character offset (0 or more)" if kind == "minimum" else "a span"
        return (
            f"{show(value)} is not {what}: give [start, end], character offsets of the article text"
        )
    if kind in ("minLength", "minItems"):
        return "must not be empty"
    if kind == "uniqueItems":
        return "lists the same value twice"
    return str(error.message)
