"""The event coder: article text → a draft claim-record file for review (issue 11).

Dictionaries of actors and verb patterns, the TABARI/PETRARCH way (``docs/extract.md``):
:mod:`.text` reads and checks the article, :mod:`.dictionaries` reads the CAMEO verb patterns and
the Phoenix actor dictionaries, :mod:`.actors` joins them with the graph's own actors,
:mod:`.coder` codes clauses, :mod:`.draft` makes the draft records (and accepts them),
:mod:`.evaluate` scores the coder on PLOVER gold-standard records and on the seed article.
"""

from __future__ import annotations

from datetime import date as _date
from pathlib import Path
from typing import TYPE_CHECKING

from diplograph import iri
from diplograph.errors import Problem
from diplograph.graph.extract.actors import actor_lexicon
from diplograph.graph.extract.coder import Coder
from diplograph.graph.extract.draft import CODER_VERSION, Draft, accept, draft_article, draft_yaml
from diplograph.graph.extract.text import MAX_BYTES, ExtractError, read_article
from diplograph.graph.load.progress import step

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph


def extract(
    path: str | Path,
    *,
    graph: DiploGraph | None = None,
    slug: str | None = None,
    max_bytes: int = MAX_BYTES,
    date: str | None = None,
) -> Draft:
    """Draft the claim records of the article in ``path`` (``slug`` defaults to the file's
    stem; ``date``, the publication day ``YYYY-MM-DD`` if known). Raises :class:`ExtractError`
    for empty, binary or oversized input, or a malformed date."""
    path = Path(path)
    if slug is not None and not iri.is_slug(slug):
        raise ExtractError(
            [Problem("--id", f"{slug!r} is not an article id: lower-case letters, digits and -.")]
        )
    if date is not None:
        try:
            _date.fromisoformat(date)
        except ValueError:
            raise ExtractError(
                [Problem("--date", f"{date!r} is not a day YYYY-MM-DD that exists.")]
            ) from None
    step(f"reading {path.name}")
    article = read_article(path, max_bytes=max_bytes)
    coder = Coder(actor_lexicon(graph, on=date))
    n = len(article.sections)
    step(f"coding {n} paragraph{'' if n == 1 else 's'}")
    return draft_article(
        article, slug=slug or iri.slug(path.stem), graph=graph, coder=coder, date=date
    )


__all__ = ["CODER_VERSION", "Draft", "ExtractError", "accept", "draft_yaml", "extract"]
