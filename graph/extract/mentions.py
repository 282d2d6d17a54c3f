"""Actor mentions of a clause: the longest dictionary phrases, persons named with a title, and
adjacent phrases merged into one actor (*Russian* + *Foreign Minister* + *Sergey Lavrov* is
Lavrov); a city acts for its state (*Moscow said*) unless it says where (*in Vienna*)."""

from __future__ import annotations

import re
from dataclasses import replace

from diplograph.graph.extract.actors import Actor, ActorLexicon
from diplograph.graph.extract.persons import Mention, inside_name, titled
from diplograph.graph.extract.text import Token
from diplograph.graph.extract.words import LOCATIVE, PLACED


def mentions(lexicon: ActorLexicon, toks: list[Token], text: str = "") -> list[Mention]:
    """Actor mentions, adjacent phrases merged into one actor (the person, else the last);
    neither a phrase nor a merge crosses punctuation in ``text``."""
    breaks = {
        k
        for k in range(len(toks) - 1)
        if re.search(r"[,;:()]", text[toks[k].end : toks[k + 1].start])
    }
    raw: list[Mention] = []
    i = 0
    while i < len(toks):
        stop = next((k for k in sorted(breaks) if k >= i), len(toks) - 1)
        found = lexicon.match(toks, i, limit=stop - i + 1)
        if found is None or not _named(text, toks, i, *found):
            i += 1
            continue
        n, actor = found
        raw.append(Mention(i, i + n, actor))
        i += n
    raw = titled(toks, text, raw, lexicon)
    merged: list[list[Mention]] = []
    for m in raw:
        if (
            merged
            and merged[-1][-1].end == m.start
            and not m.actor.topic
            and m.start - 1 not in breaks
        ):
            merged[-1].append(m)
        else:
            merged.append([m])
    out: list[Mention] = []
    for group in merged:
        head = _head(lexicon, group)
        if head.kind == "Place":  # a city acts for its state ("Moscow said"), or is where
            state = lexicon.actors.get(head.state or "")
            at = group[0].start
            if state is None or (at > 0 and toks[at - 1].text in LOCATIVE):
                continue
            head = state
        titled_by = next((m for m in group if m.title and m.actor.key == head.key), None)
        title, post = (titled_by.title, titled_by.post) if titled_by else (None, None)
        out.append(Mention(group[0].start, group[-1].end, head, title, post))
    return _peoples(lexicon, toks, text, out)


def _peoples(
    lexicon: ActorLexicon, toks: list[Token], text: str, found: list[Mention]
) -> list[Mention]:
    """An ethnic group named by a state's adjective (*ethnic Greeks*) is not that state: it acts
    for the state it lives in, the one the clause places it in (*in Albania*, *near Albania's
    border*), as a new group for review; with no such state it is left out."""
    out: list[Mention] = []
    for m in found:
        if not (m.start > 0 and toks[m.start - 1].text == "ETHNIC" and m.actor.kind == "State"):
            out.append(m)
            continue
        home = next(
            (
                o.actor
                for o in found
                if o.actor.kind == "State"
                and o.actor.key != m.actor.key
                and o.start > 0
                and toks[o.start - 1].text in PLACED
            ),
            None,
        )
        if home is None:
            continue
        label = text[toks[m.start - 1].start : toks[m.end - 1].end] if text else m.actor.label
        code = (home.code or "")[:3] + "ETH" if home.code else None
        group = Actor("new:" + label, label, "Actor", code=code, state=home.key)
        out.append(Mention(m.start - 1, m.end, group))
    return out


def _named(text: str, toks: list[Token], i: int, n: int, actor: Actor) -> bool:
    """Whether the phrase of ``n`` tokens at ``i`` names ``actor`` as written in ``text``: a
    person, and any one-word name, with a capital (*savage attacks* is not Savage, *the
    organization* not a group called Organization); a known name between two other name words
    is part of someone else's (*Omar Hassan al-Bashir* is not Hassan)."""
    if not text:
        return True
    capital = text[toks[i].start : toks[i].start + 1].isupper()
    if (actor.kind in ("Official", "Person") or n == 1) and not capital:
        return False
    return actor.kind in ("State", "Place") or not inside_name(text, toks, i, n)


def _head(lexicon: ActorLexicon, group: list[Mention]) -> Actor:
    """The actor a group of adjacent phrases names: the person, else a post's only holder or
    its state, else the last phrase."""
    actors = [m.actor for m in group]
    person = next((a for a in reversed(actors) if a.kind in ("Official", "Person")), None)
    if person is not None:
        if person.state is None:
            state = next((a.state for a in actors if a.state and a is not person), None)
            if state is not None:
                return replace(person, state=state)
        return person
    last = actors[-1]
    if last.kind == "Post":
        if last.holder and last.holder in lexicon.actors:
            return lexicon.actors[last.holder]
        if last.state and last.state in lexicon.actors:
            return lexicon.actors[last.state]
    return last


__all__ = ["mentions"]
