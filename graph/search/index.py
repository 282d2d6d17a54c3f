"""The search index itself: names of entities in SQLite (a B-tree for exact and prefix matches, an
FTS5 table for words), built from the rows of one query over the store.

A name is normalised before it is stored or looked up (:func:`normalise`): Unicode compatibility
form, accents dropped, case folded, every run of punctuation and spaces one space. So "Sergeï
Lavrov", "sergei  lavrov" and "SERGEI-LAVROV" are the same name.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: How a hit matched, best first.
MATCHES: tuple[str, ...] = ("exact", "prefix", "words")
#: Candidates read per match class before ranking (enough for any page of hits).
_CANDIDATES = 400
#: Kinds of records about other entities (a claim, a membership, an office held...): their labels
#: repeat the names of what they are about, so below an exact name they rank after the entities.
RECORD_KINDS = frozenset(
    {
        "claim",
        "membership",
        "tenure",
        "participation",
        "spell",
        "proposal",
        "demand",
        "rivalry",
        "mission",
    }
)
_NOT_WORD = re.compile(r"[\W_]+")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                       label TEXT NOT NULL);
CREATE TABLE names (entity INTEGER NOT NULL REFERENCES entities(id), name TEXT NOT NULL,
                    norm TEXT NOT NULL);
CREATE INDEX names_norm ON names(norm);
CREATE VIRTUAL TABLE words USING fts5(norm, content='names', content_rowid='rowid',
                                      tokenize='unicode61 remove_diacritics 2');
"""


def normalise(text: str) -> str:
    """``text`` as the index compares names: no accents, case folded, single spaces."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class Entry:
    """One entity for the index: its IRI, kind, display label and every name it is known by."""

    iri: str
    kind: str
    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One search result: the entity, its kind and label, and the name that matched and how."""

    iri: str
    kind: str
    label: str
    name: str
    match: str  # one of MATCHES

    def to_dict(self) -> dict[str, str]:
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "name": self.name,
            "match": self.match,
        }


def write_index(target: Path | None, entries: Iterable[Entry], stamp: str) -> sqlite3.Connection:
    """Write a fresh index of ``entries`` with ``stamp`` to ``target`` (atomically: into a
    temporary file renamed over it), or in memory when ``target`` is None. Returns an open
    connection to it."""
    tmp = None if target is None else target.with_name(f"{target.name}.{os.getpid()}.tmp")
    if tmp is not None:
        tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(":memory:" if tmp is None else str(tmp), check_same_thread=False)
    try:
        conn.executescript(_SCHEMA)
        names: list[tuple[int, str, str]] = []
        rows: list[tuple[int, str, str, str]] = []
        for number, entry in enumerate(entries, 1):
            rows.append((number, entry.iri, entry.kind, entry.label))
            seen: set[str] = set()
            for name in entry.names:
                norm = normalise(name)
                if norm and norm not in seen:
                    seen.add(norm)
                    names.append((number, name, norm))
        conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
        conn.execute("INSERT INTO words(words) VALUES ('rebuild')")
        conn.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
        conn.commit()
    except BaseException:
        conn.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    if tmp is None or target is None:
        return conn
    conn.close()
    os.replace(tmp, target)
    return connect(target)


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to the index file at ``path`` (usable from any thread)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def read_stamp(conn: sqlite3.Connection) -> str | None:
    """The stamp an index was built with, or None if it is not an index."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


class Lookup:
    """Searches one open index; one lock serialises use of its connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def search(self, text: str, *, limit: int, kinds: Sequence[str] | None = None) -> list[Hit]:
        """The entities whose names match ``text``, one hit per entity (its best match).

        Exact names first (any kind); then the entities (states, persons, organisations,
        agreements, places, concepts...) whose names start with ``text``, then those whose names
        hold each of its words (as words or word beginnings); then the records about them
        (:data:`RECORD_KINDS`: claims, memberships...) in the same order. Within each, shorter
        names first, then the label. A one-letter text matches whole names and beginnings
        only."""
        norm = normalise(text)
        if not norm or limit <= 0:
            return []
        kind_sql, kind_args = "", tuple[str, ...]()
        if kinds:
            kind_sql = f" AND e.kind IN ({', '.join('?' for _ in kinds)})"
            kind_args = tuple(kinds)
        select = (
            "SELECT e.iri, e.kind, e.label, n.name, n.norm"
            " FROM names n JOIN entities e ON e.id = n.entity"
        )
        words = " ".join('"' + w.replace('"', '""') + '"*' for w in norm.split())
        queries: list[tuple[str, tuple[str, ...]]] = [
            (f"{select} WHERE n.norm = ?{kind_sql} LIMIT {_CANDIDATES}", (norm, *kind_args)),
            (
                f"{select} WHERE n.norm > ? AND n.norm < ?{kind_sql}"
                f" ORDER BY length(n.norm) LIMIT {_CANDIDATES}",
                (norm, norm + "\U0010ffff", *kind_args),
            ),
            (
                f"{select} JOIN words w ON w.rowid = n.rowid WHERE words MATCH ?{kind_sql}"
                f" ORDER BY length(n.norm), w.rank LIMIT {_CANDIDATES}",
                (words, *kind_args),
            ),
        ]
        if len(norm) < 2:  # one letter begins most names: exact and prefix matches only
            del queries[2:]
        best: dict[str, tuple[tuple[int, int, int, str, str], Hit]] = {}
        with self._lock:
            for klass, (sql, args) in enumerate(queries):
                for iri, kind, label, name, found in self.conn.execute(sql, args):
                    tier = 0 if klass == 0 else 2 if kind in RECORD_KINDS else 1
                    key = (tier, klass, len(found), label.casefold(), iri)
                    if iri not in best or key < best[iri][0]:
                        best[iri] = (key, Hit(iri, kind, label, name, MATCHES[klass]))
        return [hit for _, hit in sorted(best.values(), key=lambda kv: kv[0])][:limit]
