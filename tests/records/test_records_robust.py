"""Whatever an analyst writes, the loader answers with the file's problems (a ClaimError) or a
checked file that converts to RDF: never another exception. Property-based, over edits of the
seed file (deleted, repeated and rewritten lines)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from diplograph.errors import ClaimError
from diplograph.graph.records import ARTICLES_DIR, load_records
from diplograph.graph.records.rdf import record_triples

SEED = (ARTICLES_DIR / "article-001.yaml").read_text(encoding="utf-8").splitlines()
VALUES = [
    "",
    "x",
    "1",
    "-1",
    "1.5",
    "[a, b]",
    "{a: 1}",
    "[{a: 1}]",
    "[[a]]",
    "- x",
    "null",
    "~",
    "010",
    "2024-02-30",
    "2024",
    "unknown",
    "c1",
    "[c1, c1]",
    "c99",
    "state/x",
    '"127"',
    "true",
    "[]",
    "{}",
    '""',
    "*x",
    "&x a",
    "!!binary aGk=",
]
EDIT = st.tuples(
    st.integers(min_value=0, max_value=len(SEED) - 1),
    st.sampled_from(["delete", "repeat", "rewrite"]),
    st.integers(min_value=0, max_value=len(SEED) - 1),
    st.sampled_from(VALUES),
)


def _apply(edits: list[tuple[int, str, int, str]]) -> str:
    lines = list(SEED)
    for where, op, other, value in edits:
        i = where % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[other % len(lines)])
        elif ":" in lines[i]:
            lines[i] = lines[i].split(":", 1)[0] + ": " + value
    return "\n".join(lines) + "\n"


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_any_edit_gives_problems_or_a_graph(edits: list[tuple[int, str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(ARTICLES_DIR / "article-001.txt", tmp)
        path = Path(tmp) / "article.yaml"
        path.write_text(_apply(edits), encoding="utf-8")
        try:
            records = load_records(path)
        except ClaimError as exc:
            assert exc.problems
            assert all(str(p).startswith(str(path)) for p in exc.problems)
        else:
            assert record_triples(records)
