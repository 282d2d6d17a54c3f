"""The event coder: article text → a draft claim-record file for review (issue 11).

Dictionaries of actors and verb patterns, the TABARI/PETRARCH way (``docs/extract.md``):
:mod:`.text` reads and checks the article, :mod:`.dictionaries` reads the CAMEO verb patterns and
the Phoenix actor dictionaries, :mod:`.actors` joins them with the graph's own actors,
:mod:`.coder` codes clauses, :mod:`.draft` makes the draft records (and accepts them),
:mod:`.evaluate` scores the coder on PLOVER gold-standard records and on the seed article.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from diplograph.graph import iri
from diplograph.graph.extract.draft import CODER_VERSION, Draft, accept, draft_article, draft_yaml
from diplograph.graph.extract.text import MAX_BYTES, ExtractError, read_article

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph


def extract(
    path: str | Path,
    *,
    graph: DiploGraph | None = None,
    slug: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Draft:
    """Draft the claim records of the article in ``path`` (``slug`` defaults to the file's
    stem). Raises :class:`ExtractError` for empty, binary or oversized input."""
    path = Path(path)
    article = read_article(path, max_bytes=max_bytes)
    return draft_article(article, slug=slug or iri.slug(path.stem), graph=graph)


__all__ = ["CODER_VERSION", "Draft", "ExtractError", "accept", "draft_yaml", "extract"]
