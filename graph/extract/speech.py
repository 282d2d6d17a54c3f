"""Who speaks in a clause: *X said ...*, *..., said X*, *according to X* (:mod:`.coder`)."""

from __future__ import annotations

import re

from diplograph.graph.extract.actors import Actor
from diplograph.graph.extract.dictionaries import Pattern, Verb
from diplograph.graph.extract.persons import Mention
from diplograph.graph.extract.text import Token, tokens
from diplograph.graph.extract.words import (
    DETERMINERS,
    PREPOSITIONS,
    SPEECH_BLOCKS,
    SPEECH_WORDS,
    SUBORDINATORS,
    TIME_WORDS,
)


def according_to(clause: str, actors: list[Mention]) -> tuple[Actor | None, list[Mention]]:
    """The speaker named by "according to X", and the other actors (X is not the subject)."""
    m = re.search(r"\baccording to\b", clause, re.I)
    if m:
        cut = len(tokens(clause[: m.end()]))
        nxt = next((a for a in actors if a.start >= cut), None)
        if nxt is not None:
            return nxt.actor, [a for a in actors if a is not nxt]
    return None, actors


def main_clause(clause: str) -> str | None:
    """The clause without the subordinate clause after its first subordinator (*after*,
    *while*, *because* ...; not in its first two words), a trailing attribution kept (*X did Y
    after Z did W, officials said*); ``None`` when there is no subordinator."""
    toks = tokens(clause)
    texts = [t.text for t in toks]
    cut = next((k for k in range(2, len(toks)) if texts[k] in SUBORDINATORS), None)
    if cut is None:
        return None
    main = clause[: toks[cut].start].rstrip(" ,")
    comma = clause.rfind(",")
    if comma > toks[cut].start:
        tail = [t.text for t in tokens(clause[comma:])]
        said = next((k for k, w in enumerate(tail) if w in SPEECH_WORDS), None)
        if said is not None and all(w in TIME_WORDS for w in tail[said + 1 :]):
            main += clause[comma:]
    return main


def participial(clause: str, toks: list[Token]) -> set[int]:
    """Token positions of the participle phrases set off by commas (*..., expected to be joined
    by X, ...*, *..., backed by tanks, ...*): their verbs are not the clause's event."""
    out: set[int] = set()
    k = 1
    while k < len(toks):
        word = toks[k].text
        if "," in clause[toks[k - 1].end : toks[k].start] and word.endswith(("ED", "ING")):
            end = k + 1
            while end < len(toks) and "," not in clause[toks[end - 1].end : toks[end].start]:
                end += 1
            out.update(range(k, end))
            k = end
        else:
            k += 1
    return out


def governed(texts: list[str], m: Mention) -> bool:
    """A mention after a preposition other than *of* (*on Burma*, *in Azerbaijan*): not a
    subject."""
    return m.start > 0 and texts[m.start - 1] in PREPOSITIONS | {"TO", "BY", "FOR"}


def _located(clause: str, toks: list[Token], texts: list[str], before: list[Mention]) -> Mention:
    """The speaker of a speech verb among the actors ``before`` it: the last, unless it only
    says where the speaker is (*the Red Cross operating in Iraq said*: the Red Cross speaks)."""
    last = before[-1]
    if not governed(texts, last):
        return last
    for m in reversed(before[:-1]):
        if "," in clause[toks[m.end - 1].end : toks[last.start].start] or last.start - m.end > 4:
            break
        if not governed(texts, m):
            return m
    return last


def speech_act(
    clause: str,
    toks: list[Token],
    verbs: list[tuple[int, Verb, str, Pattern | None]],
    actors: list[Mention],
) -> tuple[Actor | None, int | None, bool]:
    """The speaker of a speech verb ("X said", "..., said X"), the verb's position, and whether
    the attribution trails the event ("X did Y, the White House announced")."""
    texts = [t.text for t in toks]
    speech = {i for i, verb, _c, _p in verbs if verb.block in SPEECH_BLOCKS}
    first = min((i for i, _v, _c, _p in verbs if i not in speech), default=None)
    for i, verb, _code, _pattern in verbs:
        if verb.block not in SPEECH_BLOCKS or i + 1 in speech:
            continue  # "US witnesses said": the last of two is the verb
        if first is not None and first < i and texts[i - 1] == "AND":
            # "X defended ... in Y and insisted ...": a second predicate of the clause's subject,
            # not Y's words; the subject speaks and the first predicate is the event
            subject = next((a for a in actors if a.end <= first and not governed(texts, a)), None)
            return (subject.actor if subject else None), None, False
        before = [a for a in actors if a.end <= i]
        after = [a for a in actors if a.start > i]
        if (
            before
            and before[-1].end >= i - 2
            and "," not in clause[toks[before[-1].end - 1].end : toks[i].start]
        ):
            who = _located(clause, toks, texts, before)
            head = who.start
            k = head - 1
            while k >= 0 and texts[k] in DETERMINERS:
                k -= 1  # ", the White House": skip "the"
            trailing = k >= 0 and "," in clause[toks[k].end : toks[head].start]
            if not trailing and all(w in TIME_WORDS for w in texts[i + 1 :]) and head > 0:
                # "X did Y, western sources in Pakistan said today": the phrase after the last
                # comma before the speaker names who says it
                trailing = "," in clause[: toks[head].start]
            return who.actor, i, trailing
        if (
            after
            and after[0].start <= i + 1
            and all(w in TIME_WORDS for w in texts[after[0].end :])  # "..., X said Monday"
            and i > 0
            and "," in clause[toks[i - 1].end : toks[i].start]
        ):
            return after[0].actor, i, True  # "..., said Defence Secretary X"
    return None, None, False


__all__ = ["according_to", "governed", "main_clause", "participial", "speech_act"]
