"""Who acts and who is acted upon in a clause (:mod:`.coder`): the source, the target and the
actors joined to them by *and*.

- The **source** is the first actor before the event verb that is a subject, not the object of
  a preposition (*sanctions on Burma*, *militants in Azerbaijan*); after a speech verb, an event
  with only such actors before it is the speaker's (:func:`source_of`).
- In the **passive** the agent follows *by* (*was criticized by X*). A passive main verb with no
  agent (*a missionary was arrested in Lebanon*) has no source in its clause: its subject is
  what is acted upon. Arrests, detentions and investigations (CAMEO 17, 09) are what a state's
  authorities do on its soil, so the state where they happen (*in Lebanon*) is their source.
- The **target** is the first actor after the verb (before it in the passive) that is not a
  source (:func:`target_of`).

>>> passive(["HE", "WAS", "ARRESTED"], 2), passive(["RUSSIA", "IS", "DEMANDING"], 2)
(True, False)
"""

from __future__ import annotations

from diplograph.graph.extract.actors import Actor
from diplograph.graph.extract.persons import Mention
from diplograph.graph.extract.speech import governed
from diplograph.graph.extract.words import AUX, PASSIVE

#: CAMEO roots of acts a state's authorities do where they rule: investigate (09), coerce (17:
#: arrest, detain, seize, impose curfews ...).
AUTHORITY_ROOTS = frozenset({"09", "17"})


def passive(texts: list[str], i: int) -> bool:
    """The verb at ``i`` is a passive participle: after *was, were, been, be ...*, or after one
    and an adverb or *not* (*was quickly arrested*); not an *-ing* form (*is demanding*)."""
    word = texts[i]
    if word.endswith("ING") or i == 0:
        return False
    if texts[i - 1] in PASSIVE:
        return True
    adverb = texts[i - 1].endswith("LY") or texts[i - 1] == "NOT"
    return i > 1 and texts[i - 2] in PASSIVE and adverb


def _first_verb_group(texts: list[str], i: int) -> bool:
    """The verb at ``i`` with its auxiliaries is the clause's first verb group (not a relative
    clause after another: *the principles our organization was founded on*)."""
    k = i - 1
    while k >= 0 and (texts[k] in AUX or texts[k] in PASSIVE or texts[k].endswith("LY")):
        k -= 1
    return not any(w in AUX or w in PASSIVE for w in texts[: k + 1])


def source_of(
    actors: list[Mention], i: int, texts: list[str], speech_at: int | None, code: str
) -> tuple[Actor | None, bool]:
    """The source of the event verb at ``i`` coded ``code``, and whether the verb is a passive
    with no agent (its clause names no source, unless the act is an authority's)."""
    if (i > 0 and texts[i - 1] in PASSIVE) or (i > 1 and texts[i - 2] in PASSIVE):
        by = next((a for a in actors if a.start > i and texts[a.start - 1] == "BY"), None)
        if by is not None:
            return by.actor, False
    if passive(texts, i) and _first_verb_group(texts, i):
        where = next(
            (
                a
                for a in actors
                if a.start > i and texts[a.start - 1] == "IN" and a.actor.kind == "State"
            ),
            None,
        )
        if where is not None and code[:2] in AUTHORITY_ROOTS:
            return where.actor, False
        return None, True
    floor = speech_at if speech_at is not None and speech_at < i else -1
    before = [a for a in actors if floor < a.start and a.end <= i]
    subjects = [a for a in before if not governed(texts, a)]
    if subjects:
        return subjects[0].actor, False
    if floor >= 0:
        return None, False  # "X said that lifting sanctions on Y would ...": X's words, not Y's
    return (before[0].actor if before else None), False


def joined(actors: list[Mention], texts: list[str], actor: Actor | None) -> list[Actor]:
    """An actor and those joined to it by *and* (``Mauritania and Senegal``)."""
    if actor is None:
        return []
    out = [actor]
    at = next((k for k, m in enumerate(actors) if m.actor is actor), None)
    while at is not None and at + 1 < len(actors):
        here, nxt = actors[at], actors[at + 1]
        if here.end < len(texts) and texts[here.end] == "AND" and nxt.start == here.end + 1:
            if nxt.actor.key not in {a.key for a in out}:
                out.append(nxt.actor)
            at += 1
        else:
            break
    return out


def target_of(
    actors: list[Mention],
    i: int,
    texts: list[str],
    source: Actor | None,
    sources: set[str] | None = None,
) -> Actor | None:
    """The first actor after the verb (before it in the passive) that is not a source."""
    before = i > 0 and texts[i - 1] in PASSIVE
    pool = [a for a in actors if a.end <= i] if before else [a for a in actors if a.start > i]
    not_these = (sources or set()) | ({source.key} if source is not None else set())
    return next((a.actor for a in pool if a.actor.key not in not_these), None)


__all__ = ["AUTHORITY_ROOTS", "joined", "passive", "source_of", "target_of"]
