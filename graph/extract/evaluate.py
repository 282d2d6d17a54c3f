"""Scoring the event coder: precision, recall and F1 for event type, source and target.

- :func:`score_gold` reads any file in the PLOVER gold-standard JSON format (a list of records
  with ``text``, ``event`` (PLOVER type), ``source`` and ``target`` as lists of
  ``{"actorText", "code"}``; ``DOCUMENT`` records skipped) and codes each ``text`` with the
  bundled dictionaries. Event: the first coded event's PLOVER type against the gold type. Source
  and target: the country codes (first three letters: ``RUS``, ``IGO``; one code per country,
  :data:`SAME_COUNTRY`) of the coded actors, with those joined to them by *and*, against the gold
  codes, micro-averaged over records.
- :func:`score_records` compares a draft with hand-written claim records (the seed article):
  draft and gold claims are paired (same speaker and CAMEO root first, then same speaker); event
  = same CAMEO root (two digits), source = same speaker, target = shared targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diplograph.errors import ExtractError, Problem
from diplograph.graph.extract.actors import actor_lexicon
from diplograph.graph.extract.coder import Coder


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


#: PLOVER types renamed between the gold standard's version (0.5b1, 2016) and the 2021 crosswalk
#: the coder uses (manual draft 0.8): by CAMEO root, the name the older records use.
LEGACY_NAMES = {
    "09": "INVESTIGATE",
    "10": "DEMAND",
    "11": "DISAPPROVE",
    "19": "FIGHT",
    "20": "FIGHT",
}


def gold_version(records: list[Any]) -> str | None:
    """The PLOVER version of a gold file (its DOCUMENT record's ``version``), if it says."""
    for rec in records:
        if isinstance(rec, dict) and rec.get("event") == "DOCUMENT":
            return str(rec.get("version")) if rec.get("version") else None
    return None


def _legacy(version: str | None) -> bool:
    return version is not None and version.startswith(("0.5", "0.6", "0.7"))


#: One country under two three-letter codes: the code the coder's dictionaries give (ISO 3166
#: alpha-3, as CAMEO uses) for a code gold records write otherwise. ``TMP`` is East Timor's
#: ISO code before 2002 (Phoenix still uses it; ``TLS`` since); ``JAP``, ``ITL`` and ``VTN`` are
#: in no code list: the PLOVER gold records write them for Japan, Italy and Vietnam (their
#: ``actorText`` says so: *Japanese Prime Minister ...*, *Italy*, *Vietnamese-led forces*).
#: Comparing the strings would count a correctly coded country as wrong; nothing else is
#: equated (``NGO`` is not ``IGO``, a rebel group is not the state it fights).
SAME_COUNTRY = {"TMP": "TLS", "JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def country(code: str) -> str:
    """The country part of an actor code (its first three letters), one code per country.

    >>> country("ITLGOV"), country("TMP"), country("IGOUNO")
    ('ITA', 'TLS', 'IGO')
    """
    return SAME_COUNTRY.get(code[:3], code[:3])


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [country(str(a["code"])) for a in value if isinstance(a, dict) and a.get("code")]


def _multiset_tp(a: list[str], b: list[str]) -> int:
    rest = list(b)
    tp = 0
    for x in a:
        if x in rest:
            rest.remove(x)
            tp += 1
    return tp


def score_gold(path: str | Path, coder: Coder | None = None) -> tuple[list[Score], int]:
    """Scores on a PLOVER gold-standard file and the number of records scored.

    When the file says it is of an older PLOVER version (0.5-0.7), the event is compared under
    that version's names (:data:`LEGACY_NAMES`); the score under the 2021 names is added as
    ``event (2021 names)``."""
    path = Path(path)
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExtractError([Problem(str(path), f"is not a readable JSON file: {exc}.")]) from None
    if not isinstance(records, list):
        raise ExtractError([Problem(str(path), "must be a JSON list of gold-standard records.")])
    coder = coder or Coder(actor_lexicon())
    version = gold_version(records)
    legacy = _legacy(version)
    event, source, target = Score("event"), Score("source"), Score("target")
    strict = Score("event (2021 names)")
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
        strict.gold += 1
        if first is not None and first.plover:
            name = LEGACY_NAMES.get(first.code[:2], first.plover) if legacy else first.plover
            event.predicted += 1
            event.tp += name == rec["event"]
            strict.predicted += 1
            strict.tp += first.plover == rec["event"]
        gold_src, gold_tgt = _codes(rec.get("source")), _codes(rec.get("target"))
        got_src = [country(a.country) for a in first.sources if a.country] if first else []
        got_tgt = [country(a.country) for a in first.targets if a.country] if first else []
        for score, got, gold in ((source, got_src, gold_src), (target, got_tgt, gold_tgt)):
            score.gold += len(gold)
            score.predicted += len(got)
            score.tp += _multiset_tp([g for g in got if g], gold)
    scores = [event, source, target]
    if legacy:
        scores.insert(1, strict)
    return scores, n


def score_records(draft: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[Score]:
    """Scores of draft claims against hand-written claims (record dicts, local ids resolved
    by the caller to comparable keys)."""
    event, source, target = Score("event"), Score("source"), Score("target")
    date = Score("date")  # claims dated by the draft and by the hand-written records
    date.predicted = sum(1 for d in draft if d.get("date"))
    date.gold = sum(1 for g in gold if g.get("date"))
    event.predicted = source.predicted = len(draft)
    event.gold = source.gold = len(gold)
    target.predicted = sum(len(d.get("targets", [])) for d in draft)
    target.gold = sum(len(g.get("targets", [])) for g in gold)
    free = list(gold)
    left = list(draft)
    # pair same speaker and same CAMEO root first, then same speaker
    for same_root in (True, False):
        for d in list(left):
            best = next(
                (
                    g
                    for g in free
                    if g["speaker"] == d["speaker"]
                    and (not same_root or g["event_type"][:2] == d["event_type"][:2])
                ),
                None,
            )
            if best is None:
                continue
            free.remove(best)
            left.remove(d)
            source.tp += 1
            event.tp += best["event_type"][:2] == d["event_type"][:2]
            target.tp += len(set(best.get("targets", [])) & set(d.get("targets", [])))
            date.tp += bool(d.get("date")) and d.get("date") == best.get("date")
    return [event, source, target, *([date] if date.gold else [])]


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


def save_section(path: str | Path, body: str, name: str = "extract") -> None:
    """Put ``body`` between the markers ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` of a
    Markdown file (``bench/RESULTS.md``, where each benchmark owns a section), replacing an
    earlier section or appending one; the rest of the file is kept."""
    path = Path(path)
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


__all__ = [
    "LEGACY_NAMES",
    "SAME_COUNTRY",
    "Score",
    "country",
    "gold_version",
    "save_section",
    "score_gold",
    "score_records",
    "table",
]
