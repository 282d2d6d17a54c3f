"""Reading an article for the event coder: checks on the input (empty, binary, too large, not
English), its title and sections, sentences and clauses, and TABARI-style tokens.

An article is plain text like ``graph/data/articles/article-001.txt``: a title line, then
paragraphs, where a short line ending in ``:`` (``Context:``, ``Dive Deeper:``) starts a section.
Tokens are upper case words as in the TABARI/PETRARCH dictionaries, with a possessive ``'s`` split
off (``TRUMP'S`` → ``TRUMP``, ``'S``), so that the dictionaries' phrases match token by token.

>>> [t.text for t in tokens("Trump’s plan, said U.S. officials.")]
['TRUMP', "'S", 'PLAN', 'SAID', 'U.S.', 'OFFICIALS']
>>> [s for s in sentences("Lavrov spoke. He said no; Peskov agreed.")]
['Lavrov spoke.', 'He said no; Peskov agreed.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from diplograph.errors import ExtractError, Problem

#: The largest article the coder reads (bytes): a news article is a few kilobytes.
MAX_BYTES = 1_000_000

#: Common English function words: a text with few of them is not English (or not prose).
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "that",
        "is",
        "was",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "it",
        "be",
        "has",
        "have",
        "had",
        "are",
        "were",
        "not",
        "this",
        "which",
        "would",
        "will",
        "said",
        "its",
        "their",
        "his",
        "her",
        "but",
        "or",
        "after",
        "over",
    ]
)


@dataclass(frozen=True)
class Token:
    text: str  # upper case, as the dictionaries write words
    start: int  # character offsets in the sentence
    end: int


@dataclass
class Article:
    """A checked article: its title, its sections (name, text) in order, and warnings."""

    title: str
    sections: list[tuple[str | None, str]]
    text: str
    warnings: list[str] = field(default_factory=list)


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.&'’\-]*")
_ABBREV = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Sen|Rep|Gov|Jr|Sr)\.$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_HEADING = re.compile(r"^\s*([A-Z][\w ,'’-]{0,40}):\s*$")


def tokens(text: str) -> list[Token]:
    """Upper-case word tokens with offsets; a possessive ``'s`` and the ``-led`` of *U.S.-led*
    become tokens of their own and a sentence-final full stop is dropped (``U.S.`` keeps its
    stops)."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        word = word.replace("’", "'")
        while word and word[-1] in "'-":
            word, end = word[:-1], end - 1
        if word.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.)+", word):
            word, end = word.rstrip("."), end - (len(word) - len(word.rstrip(".")))
        if not word:
            continue
        upper = word.upper()
        if upper.endswith("'S") and len(upper) > 2:
            out.append(Token(upper[:-2], start, end - 2))
            out.append(Token("'S", end - 2, end))
        elif upper.endswith("-LED") and len(upper) > 4:  # "Saudi-led forces": led by Saudi Arabia
            out.append(Token(upper[:-4], start, end - 4))
            out.append(Token("-LED", end - 4, end))
        else:
            out.append(Token(upper, start, end))
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a full stop after an initial or a title is not an end)."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        piece = text[start : m.start()].rstrip("\"'”’)")
        if _ABBREV.search(text[start : m.start()]) and not piece.endswith(("!", "?")):
            last = text[start : m.start()].split()[-1] if text[start : m.start()].split() else ""
            if len(last) <= 4:  # "U.S." or "Mr." inside a sentence
                continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def clauses(sentence: str) -> list[str]:
    """A sentence cut at semicolons: ``X claimed ...; however, analysts of Y noted ...`` holds
    two statements by two speakers."""
    parts = [p.strip() for p in re.split(r";|,\s+(?:while|whereas)\s+", sentence)]
    return [re.sub(r"^(?:however|but|while|meanwhile),?\s+", "", p, flags=re.I) for p in parts if p]


def read_article(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Article:
    """Read and check an article file. Raises :class:`ExtractError` when it is missing, empty,
    binary (not UTF-8 text) or larger than ``max_bytes``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ExtractError(
                [
                    Problem(
                        str(path),
                        f"is {size:,} bytes; the coder reads at most {max_bytes:,} "
                        "bytes (one news article). Split it into articles.",
                    )
                ]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(
            [Problem(str(path), f"cannot be read: {exc.strerror or exc}.")]
        ) from None
    return parse_article(data, location=str(path), max_bytes=max_bytes)


def parse_article(
    data: bytes | str, *, location: str = "<text>", max_bytes: int = MAX_BYTES
) -> Article:
    """Check and split an article given as bytes or text (see :func:`read_article`)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise ExtractError(
            [
                Problem(
                    location,
                    f"is {len(raw):,} bytes; the coder reads at most "
                    f"{max_bytes:,} bytes (one news article).",
                )
            ]
        )
    if b"\x00" in raw:
        raise ExtractError([Problem(location, "is a binary file, not plain text.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(
            [Problem(location, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8.")]
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > max(3, len(text) // 100):
        raise ExtractError([Problem(location, "is not plain text (control characters).")])
    if not text.strip():
        raise ExtractError([Problem(location, "is empty: there is no text to code.")])
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip()
    body = lines[1:] if len(lines) > 1 else lines
    sections: list[tuple[str | None, str]] = []
    current: str | None = None
    for line in body:
        m = _HEADING.match(line)
        if m:
            current = m.group(1).strip()
            continue
        if line.strip():
            sections.append((current, line.strip()))
    article = Article(title=title, sections=sections, text=text)
    words = re.findall(r"[a-z]+", text.lower())
    english = sum(1 for w in words if w in _ENGLISH)
    if not words or english / len(words) < 0.08:
        article.warnings.append(
            f"{location}: the text does not read as English ({english} of {len(words)} words "
            "are common English words); the dictionaries are English, so nothing was coded."
        )
        article.sections = []
    return article
