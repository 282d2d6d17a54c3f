"""Statements named by a noun rather than a verb: *echoing earlier Kremlin threats*, *the
Kremlin's long-standing opposition to Western guarantees*, *Peskov's claim of seeking a
settlement*. The actor before the noun (possessive or as a modifier) made them; the first other
actor after it is their target. The draft adds them beside the clause's own event.

>>> from diplograph.graph.extract.actors import actor_lexicon
>>> from diplograph.graph.extract.coder import Coder
>>> coder = Coder(actor_lexicon())
>>> [(e.source.label, e.code, [t.label for t in e.targets], e.rule) for e in nominal_events(
...     coder, "Greece dismissed Turkey's threats against Cyprus.")]
[('Turkey', '130', ['Cyprus'], 'nominal: threats')]
"""

from __future__ import annotations

from diplograph.graph.extract.coder import Coder, Event
from diplograph.graph.extract.rules import blame
from diplograph.graph.extract.text import tokens

#: Nouns that name a statement → CAMEO code (singular and plural).
STATEMENT_NOUNS = {
    "THREAT": "130",
    "WARNING": "130",
    "ULTIMATUM": "139",
    "OPPOSITION": "110",
    "CRITICISM": "111",
    "CONDEMNATION": "111",
    "ACCUSATION": "112",
    "DEMAND": "100",
    "REJECTION": "120",
    "REFUSAL": "120",
    "CLAIM": "010",
    "APPEAL": "020",
    "PLEDGE": "030",
    "PROMISE": "030",
}


def _noun(word: str) -> str | None:
    return STATEMENT_NOUNS.get(word) or (
        STATEMENT_NOUNS.get(word[:-1]) if word.endswith("S") else None
    )


def nominal_events(coder: Coder, clause: str) -> list[Event]:
    """The statements a clause names by a noun after their maker (see the module)."""
    toks = tokens(clause)
    texts = [t.text for t in toks]
    actors = [m for m in coder.mentions(toks, clause) if not m.actor.topic]
    out: list[Event] = []
    for m in actors:
        k = m.end + (1 if m.end < len(texts) and texts[m.end] == "'S" else 0)
        for j in range(k, min(k + 2, len(texts))):  # one modifier may come between
            code = _noun(texts[j])
            if code is None:
                continue
            stop = clause.find(",", toks[j].end)
            rest = [t.text for t in toks[j + 1 :] if stop < 0 or t.start < stop]
            read = blame(code, rest) if code == "010" else None
            targets = [
                a.actor
                for a in actors
                if a.start > j
                and a.actor.key != m.actor.key
                and (stop < 0 or toks[a.start].start < stop)  # not past the next comma
            ]
            event = Event(
                read[0] if read else code,
                m.actor,
                targets[0] if targets else None,
                m.actor,
                toks[j].text,
                None,
                clause,
                rule=f"nominal: {texts[j].lower()}",
            )
            event.sources, event.targets = [m.actor], targets[:1]
            out.append(event)
            break
    return out


__all__ = ["STATEMENT_NOUNS", "nominal_events"]
