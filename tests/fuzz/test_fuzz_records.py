"""Fuzzing the claim-record loader through the write path (issue 10): random records, random
values in real records and random YAML text, ingested into a store. Each either loads whole or
is refused with a :class:`~diplograph.errors.ValidationError` naming where, and then the store
holds exactly what it held before. Never another exception, never a partial write."""

from __future__ import annotations

import copy
import hashlib
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.errors import ValidationError
from diplograph.graph.load.ingest import ingest_file
from diplograph.graph.records import ARTICLES_DIR
from diplograph.graph.store import DiploGraph, open_graph

SEED_TEXT = (ARTICLES_DIR / "article-001.yaml").read_text(encoding="utf-8")
SEED = yaml.safe_load(SEED_TEXT)
TEXT = (ARTICLES_DIR / "article-001.txt").read_bytes()
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "unknown",
            "2025-02-30",
            "2025-13-01",
            "0000-01-01",
            "9999-12-31",
            "2025-W01",
            "--",
            "state/russia",
            "state/../../etc",
            "state/<script>",
            "http://evil.example/x",
            "c1",
            "c99",
            "127",
            "1271",
            "999",
            "\x00",
            "\ud7ff",
            "lavrov",
            "russia",
            "a" * 5000,
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def fingerprint(graph: DiploGraph) -> tuple[int, str]:
    quads = sorted(f"{s} {p} {o} {g}" for s, p, o, g in graph.quads())
    return len(quads), hashlib.sha256("\n".join(quads).encode("utf-8")).hexdigest()


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into ``data`` (mappings and lists)."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


PATHS = [p for p in paths(SEED) if p]


def edited(path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    data = copy.deepcopy(SEED)
    node = data
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_GRAPH: list[DiploGraph] = []


def store() -> DiploGraph:
    """One store for the module, holding the seed article (examples may replace it)."""
    if not _GRAPH:
        _GRAPH.append(open_graph("memory:"))
        ingest_file(_GRAPH[0], ARTICLES_DIR / "article-001.yaml", shacl=False)
    return _GRAPH[0]


def ingest_text(text: str | bytes) -> None:
    """Ingest ``text`` as an article's records; check the all-or-nothing rule."""
    graph = store()
    before = fingerprint(graph)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article-001.yaml"
        (Path(tmp) / "article-001.txt").write_bytes(TEXT)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        size = path.stat().st_size
        try:
            ingest_file(graph, path, shacl=False)
        except ValidationError as exc:
            assert exc.problems, "a refusal names its problems"
            for problem in exc.problems:
                assert problem.location.startswith(str(path)), problem
                # a message may quote the value, never more than the file holds
                assert len(str(problem)) < 2 * size + 1_000
            assert fingerprint(graph) == before


@FUZZ
@given(st.sampled_from(PATHS), values, st.booleans())
def test_a_record_with_a_random_value_loads_whole_or_not_at_all(
    path: tuple[Any, ...], value: Any, delete: bool
) -> None:
    ingest_text(yaml.safe_dump(edited(path, value, delete), allow_unicode=True))


@FUZZ
@given(st.dictionaries(st.sampled_from(["format", "article", "entities", "claims", "x"]), values))
def test_random_record_files_never_raise_anything_else(data: dict[str, Any]) -> None:
    ingest_text(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_random_bytes_never_raise_anything_else(blob: bytes | str) -> None:
    ingest_text(blob)
