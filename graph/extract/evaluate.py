"""Scoring the event coder: precision, recall and F1 for event type, source and target.

- :func:`score_gold` reads any file in the PLOVER gold-standard JSON format (a list of records
  with ``text``, ``event`` (PLOVER type), ``source`` and ``target`` as lists of
  ``{"actorText", "code"}``; ``DOCUMENT`` records skipped) and codes each ``text`` with the
  bundled dictionaries. Event: the first coded event's PLOVER type against the gold type. Source
  and target: the coded actors' country codes (first three letters: ``RUS``, ``IGO``) against the
  gold codes, micro-averaged over records.
- :func:`score_records` compares a draft with hand-written claim records (the seed article):
  draft and gold claims are paired greedily (same speaker, then same CAMEO root); event = same
  CAMEO root (two digits), source = same speaker, target = shared targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diplograph.errors import Problem
from diplograph.graph.extract.actors import actor_lexicon
from diplograph.graph.extract.coder import Coder
from diplograph.graph.extract.text import ExtractError


@dataclass
class Score:
    name: str
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(a["code"])[:3] for a in value if isinstance(a, dict) and a.get("code")]


def _multiset_tp(a: list[str], b: list[str]) -> int:
    rest = list(b)
    tp = 0
    for x in a:
        if x in rest:
            rest.remove(x)
            tp += 1
    return tp


def score_gold(path: str | Path, coder: Coder | None = None) -> tuple[list[Score], int]:
    """Scores on a PLOVER gold-standard file and the number of records scored."""
    path = Path(path)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExtractError([Problem(str(path), f"is not a readable JSON file: {exc}.")]) from None
    if not isinstance(records, list):
        raise ExtractError([Problem(str(path), "must be a JSON list of gold-standard records.")])
    coder = coder or Coder(actor_lexicon())
    event, source, target = Score("event"), Score("source"), Score("target")
    n = 0
    for number, rec in enumerate(records, start=1):
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT":
            continue
        if not isinstance(rec.get("text"), str) or not isinstance(rec.get("event"), str):
            raise ExtractError(
                [Problem(f"{path}: record {number}", "needs a 'text' and an 'event' string.")]
            )
        n += 1
        events = coder.code(rec["text"])
        first = events[0] if events else None
        event.gold += 1
        if first is not None and first.plover:
            event.predicted += 1
            event.tp += first.plover == rec["event"]
        gold_src, gold_tgt = _codes(rec.get("source")), _codes(rec.get("target"))
        got_src = [first.source.country] if first and first.source and first.source.code else []
        got_tgt = [first.target.country] if first and first.target and first.target.code else []
        for score, got, gold in ((source, got_src, gold_src), (target, got_tgt, gold_tgt)):
            score.gold += len(gold)
            score.predicted += len(got)
            score.tp += _multiset_tp([g for g in got if g], gold)
    return [event, source, target], n


def score_records(draft: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[Score]:
    """Scores of draft claims against hand-written claims (record dicts, local ids resolved
    by the caller to comparable keys)."""
    event, source, target = Score("event"), Score("source"), Score("target")
    event.predicted = source.predicted = len(draft)
    event.gold = source.gold = len(gold)
    target.predicted = sum(len(d.get("targets", [])) for d in draft)
    target.gold = sum(len(g.get("targets", [])) for g in gold)
    free = list(gold)
    for d in draft:
        best = max(
            free,
            key=lambda g: (
                (g["speaker"] == d["speaker"]) * 2 + (g["event_type"][:2] == d["event_type"][:2])
            ),
            default=None,
        )
        if best is None or best["speaker"] != d["speaker"]:
            continue
        free.remove(best)
        source.tp += 1
        event.tp += best["event_type"][:2] == d["event_type"][:2]
        target.tp += len(set(best.get("targets", [])) & set(d.get("targets", [])))
    return [event, source, target]


def table(title: str, scores: list[Score], n: int) -> str:
    """A Markdown table of scores, then the one-line summary."""
    lines = [
        f"{title} ({n} records)",
        "",
        "| measure | precision | recall | F1 | correct | coded | gold |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | "
            f"{s.predicted} | {s.gold} |"
        )
    by = {s.name: s for s in scores}
    lines += [
        "",
        f"event F1 {by['event'].f1:.3f}, source F1 {by['source'].f1:.3f}, "
        f"target F1 {by['target'].f1:.3f}",
    ]
    return "\n".join(lines)


__all__ = ["Score", "score_gold", "score_records", "table"]
