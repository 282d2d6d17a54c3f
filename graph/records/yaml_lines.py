"""YAML for claim records, keeping the line of every key and list item.

Claim records are written by hand, so every problem must say on which line it is. This loader is
PyYAML's safe loader with three changes:

- mappings load as :class:`LineDict` and sequences as :class:`LineList`, which remember the line
  where they start and the line of each key or item (1-based);
- a key given twice in one mapping is reported, not silently overwritten;
- dates stay strings (``2024-02-30`` is not turned into a ``datetime.date`` or an exception): the
  record checker parses and reports them. Only ``true``/``false`` are booleans (not ``yes``/``no``),
  and only plain decimals are integers: ``010`` stays the string ``"010"`` (a CAMEO code), not the
  octal number 8.

>>> data = load_yaml("a: 1\\nb:\\n  - x\\n  - y\\nc: 2024-02-30\\n", "f.yaml")
>>> data.key_lines["b"], data["b"].item_lines, data["c"]
(2, [3, 4], '2024-02-30')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from diplograph.errors import ClaimError, Problem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows its start line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[str, int] = {}


class LineList(list[Any]):
    """A sequence from YAML that knows its start line and the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # key, line, first line


# Drop the timestamp resolver, the YAML 1.1 yes/no/on/off booleans and the octal, hexadecimal and
# sexagesimal integers; keep everything else.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_TIMESTAMP, _BOOL, _INT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _construct_map(loader: _Loader, node: MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = _line(node)
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word or number", key_node.start_mark
            )
        key = str(key)
        if key in data:
            loader.duplicates.append((key, _line(key_node), data.key_lines[key]))
            continue
        data[key] = loader.construct_object(value_node, deep=False)
        data.key_lines[key] = _line(key_node)


def _construct_seq(loader: _Loader, node: SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = _line(node)
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=False))
        data.item_lines.append(_line(item))


def _construct_str(loader: _Loader, node: ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor(_TIMESTAMP, _construct_str)


def load_yaml(text: str, location: str) -> Any:
    """Parse ``text`` (the content of ``location``) keeping lines.

    Raises :class:`~diplograph.errors.ClaimError` naming ``location:line`` on a syntax error or a
    key given twice."""
    try:
        # the reader checks the characters as soon as the loader is made (control characters)
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise ClaimError(
            [Problem(location, f"is not valid YAML: {str(exc)[:300]}.")],
            summary=f"{location}: cannot read the claim records; nothing was written.",
        ) from None
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ClaimError(
            [Problem(f"{location}{line}", f"is not valid YAML: {what}.")],
            summary=f"{location}: cannot read the claim records; nothing was written.",
        ) from None
    except yaml.YAMLError as exc:
        raise ClaimError(
            [Problem(location, f"is not valid YAML: {exc}.")],
            summary=f"{location}: cannot read the claim records; nothing was written.",
        ) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise ClaimError(
            [
                Problem(
                    f"{location}:{line}", f"the key {key!r} is given twice (first at line {first})."
                )
                for key, line, first in loader.duplicates
            ]
        )
    return data


__all__ = ["LineDict", "LineList", "load_yaml"]
