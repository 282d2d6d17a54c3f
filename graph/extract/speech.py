"""Who speaks in a clause: *X said ...*, *..., said X*, *according to X* (:mod:`.coder`)."""

from __future__ import annotations

import re

from diplograph.graph.extract.actors import Actor
from diplograph.graph.extract.dictionaries import Pattern, Verb
from diplograph.graph.extract.persons import Mention
from diplograph.graph.extract.text import Token, tokens
from diplograph.graph.extract.words import DETERMINERS, SPEECH_BLOCKS, TIME_WORDS


def according_to(clause: str, actors: list[Mention]) -> tuple[Actor | None, list[Mention]]:
    """The speaker named by "according to X", and the other actors (X is not the subject)."""
    m = re.search(r"\baccording to\b", clause, re.I)
    if m:
        cut = len(tokens(clause[: m.end()]))
        nxt = next((a for a in actors if a.start >= cut), None)
        if nxt is not None:
            return nxt.actor, [a for a in actors if a is not nxt]
    return None, actors


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
    for i, verb, _code, _pattern in verbs:
        if verb.block not in SPEECH_BLOCKS or i + 1 in speech:
            continue  # "US witnesses said": the last of two is the verb
        before = [a for a in actors if a.end <= i]
        after = [a for a in actors if a.start > i]
        if (
            before
            and before[-1].end >= i - 2
            and "," not in clause[toks[before[-1].end - 1].end : toks[i].start]
        ):
            head = before[-1].start
            k = head - 1
            while k >= 0 and texts[k] in DETERMINERS:
                k -= 1  # ", the White House": skip "the"
            trailing = k >= 0 and "," in clause[toks[k].end : toks[head].start]
            if not trailing and all(w in TIME_WORDS for w in texts[i + 1 :]) and head > 0:
                # "X did Y, western sources in Pakistan said today": the phrase after the last
                # comma before the speaker names who says it
                trailing = "," in clause[: toks[head].start]
            return before[-1].actor, i, trailing
        if (
            after
            and after[0].start <= i + 1
            and all(w in TIME_WORDS for w in texts[after[0].end :])  # "..., X said Monday"
            and i > 0
            and "," in clause[toks[i - 1].end : toks[i].start]
        ):
            return after[0].actor, i, True  # "..., said Defence Secretary X"
    return None, None, False


__all__ = ["according_to", "speech_act"]
