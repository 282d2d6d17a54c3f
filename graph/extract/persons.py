"""Persons named with a title: *Foreign Minister Sergey Lavrov*, *Kremlin spokesman Dmitry
Peskov*, *U.S. Secretary of State Jane Roe*.

The person is the speaker; the title is kept beside them (its words, and the post of the graph
it names, if any) so that the draft can record a post holding as of the article. A capitalised
name right after a title that no dictionary knows becomes a **new** person (``new:<Name>``),
flagged for review, never the nearest known name; the state it acts for is the title's (its
post's, or a state adjective in it: *U.S.*, *Russian*).

>>> from diplograph.graph.extract.actors import ActorLexicon
>>> from diplograph.graph.extract.text import tokens
>>> text = "Deputy Foreign Minister Olga Petrenko-Marsh said so."
>>> found = titled(tokens(text), text, [], ActorLexicon())
>>> [(m.actor.label, m.actor.kind, m.title) for m in found]
[('Olga Petrenko-Marsh', 'Official', 'Deputy Foreign Minister')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from diplograph.graph.extract.actors import Actor, ActorLexicon
from diplograph.graph.extract.text import Token
from diplograph.graph.extract.words import TITLE_WORDS

#: Words that may join the words of a title (*Secretary of State*, *Minister for the Interior*).
_LINKS = frozenset({"OF", "FOR", "THE", "AND", "'S"})
#: Words that are never part of a person's name after a title.
_NOT_NAME = frozenset({"THE", "A", "AN", "ON", "IN", "AT", "OF", "AND", "SAID", "SAYS", "WHO"})


@dataclass(frozen=True)
class Mention:
    start: int  # token index
    end: int  # token index after the last
    actor: Actor
    title: str | None = None  # the title's words as written, before a person's name
    post: Actor | None = None  # the post (or Phoenix role) the title names, if known


def _capital(text: str, tok: Token) -> bool:
    return text[tok.start : tok.start + 1].isupper()


#: A lower-case particle joined to a capitalised name (*al-Bashir*, *el-Sisi*, *bin-Zayed*).
_PARTICLE = re.compile(r"(?:al|el|ad|an|as|ash|at|az|ul|bin|ibn|abu)-[A-Z]")


def name_word(text: str, tok: Token) -> bool:
    """A word that may be part of a person's name: capitalised, or a particle joined to one."""
    return _capital(text, tok) or bool(_PARTICLE.match(text, tok.start))


def inside_name(text: str, toks: list[Token], i: int, n: int) -> bool:
    """The phrase of ``n`` tokens at ``i`` is a part of a longer name, between two other name
    words (*Omar Hassan al-Bashir* is not a person called *Hassan*)."""
    if i == 0 or i + n >= len(toks) or _breaks(text, toks, i - 1) or _breaks(text, toks, i + n - 1):
        return False
    before, after = toks[i - 1], toks[i + n]
    return (
        _capital(text, before)
        and name_word(text, after)
        and before.text not in TITLE_WORDS
        and after.text not in TITLE_WORDS | _NOT_NAME
    )


def _breaks(text: str, toks: list[Token], k: int) -> bool:
    """Punctuation between token ``k`` and the next."""
    return bool(re.search(r"[,;:()\"“”]", text[toks[k].end : toks[k + 1].start]))


def _is_title(actor: Actor) -> bool:
    """A post, or a dictionary role named by its title (*the U.S. Secretary of State*)."""
    return actor.kind == "Post" or (
        actor.path is None
        and actor.kind == "Official"
        and any(w in TITLE_WORDS for w in actor.label.upper().split())
    )


def _title_start(
    toks: list[Token], text: str, at: int, inside: dict[int, Mention], who: str | None
) -> int:
    """Where the title before token ``at`` starts (``at`` when there is none): title words,
    joining words and non-person actor phrases (*Russian*, *Kremlin spokesman*)."""
    k = at - 1
    start = at
    while k >= 0 and not _breaks(text, toks, k):
        m = inside.get(k)
        word = toks[k].text
        if m is not None and (
            m.actor.kind not in ("Official", "Person") or _is_title(m.actor) or m.actor.key == who
        ):
            k = m.start - 1
            start = m.start
            continue
        if m is None and (word in TITLE_WORDS or (word in _LINKS and start < at)):
            if word not in _LINKS:
                start = k
            k -= 1
            continue
        break
    has_title = any(
        toks[j].text in TITLE_WORDS or (j in inside and _is_title(inside[j].actor))
        for j in range(start, at)
    )
    return start if has_title else at


def _new_person(name: str, post: Actor | None, state: Actor | None) -> Actor:
    code = post.code if post is not None and post.code else None
    return Actor(
        key="new:" + name,
        label=name,
        kind="Official",
        code=code or (state.code if state is not None else None),
        state=state.key if state is not None else None,
    )


def _name_end(toks: list[Token], text: str, i: int, inside: dict[int, Mention]) -> int:
    """Where a run of capitalised words (a name, at most four words) starting at ``i`` ends."""
    end = i
    while (
        end < len(toks)
        and end - i < 4
        and end not in inside
        and name_word(text, toks[end])
        and toks[end].text not in TITLE_WORDS | _NOT_NAME
        and (end == i or not _breaks(text, toks, end - 1))
    ):
        end += 1
    return end


def _role_start(
    toks: list[Token], start: int, i: int, inside: dict[int, Mention], lexicon: ActorLexicon
) -> int:
    """The first word of the role in a title, past the states before it (*Russian*, *U.S.*)."""
    first = start
    while first < i - 1:
        word = lexicon.match(toks, first, limit=1)
        if first in inside and inside[first].actor.kind == "State":
            first = inside[first].end
        elif word is not None and word[1].kind == "State":
            first += 1
        else:
            break
    return first


def titled(
    toks: list[Token], text: str, raw: list[Mention], lexicon: ActorLexicon
) -> list[Mention]:
    """``raw`` (actor phrases, in order) with each person named after a title given that title,
    and unknown names after a title added as new persons; title phrases before a person are
    taken into the person's mention."""
    inside = {k: m for m in raw for k in range(m.start, m.end)}
    starts = {m.start: m for m in raw}
    out: list[Mention] = []
    used: set[int] = set()
    i = 0
    while i < len(toks):
        m = starts.get(i)
        if m is not None and m.actor.kind in ("Official", "Person") and not _is_title(m.actor):
            person, end = m.actor, m.end
        elif i not in inside and _capital(text, toks[i]) and toks[i].text not in TITLE_WORDS:
            end, person = _name_end(toks, text, i, inside), None
            if end - i < 2:
                i += 1
                continue
        else:
            i += 1
            continue
        start = _title_start(toks, text, i, inside, person.key if person else None)
        inner = [k for k in range(i, end) if toks[k].text in TITLE_WORDS]
        if start == i and person is not None and inner:  # one phrase: "Russian Foreign Minister
            start, i = i, inner[-1] + 1  # Sergey Lavrov"; the name follows the title words
        if start == i:
            if person is not None:
                out.append(m)  # type: ignore[arg-type]
                used.add(i)
            i = max(end, i + 1)
            continue
        parts = [inside[k] for k in range(start, i) if k in inside]
        post = next((p.actor for p in reversed(parts) if _is_title(p.actor)), None)
        state = next(
            (p.actor.state for p in reversed(parts) if p.actor.state),
            post.state if post is not None else None,
        )
        if person is None:
            name = text[toks[i].start : toks[end - 1].end]
            person = _new_person(name, post, lexicon.actors.get(state or ""))
        elif person.state is None and state is not None:
            person = replace(person, state=state)
        first = _role_start(toks, start, i, inside, lexicon)
        title = text[toks[first].start : toks[i - 1].end]
        out = [o for o in out if o.end <= start]
        out.append(Mention(start, end, person, title, post))
        used.update(range(start, end))
        i = end
    kept = [
        m
        for m in raw
        if m.start not in used and not any(m.start < o.end and o.start < m.end for o in out)
    ]
    return sorted(out + kept, key=lambda m: m.start)


__all__ = ["Mention", "inside_name", "name_word", "titled"]
