"""The event coder: one clause of text → events (source, target, CAMEO code), the TABARI/PETRARCH
way, with dictionaries rather than a statistical parser.

For each clause: find the actors (longest phrase of :class:`~.actors.ActorLexicon`; adjacent
phrases form one actor, ``Russian Foreign Minister`` + ``Sergey Lavrov``, whose head is the
person), then the verbs of the verb dictionary outside actor phrases. A speech verb (``said``,
``noted``, ``emphasized``) with an actor before it, or ``according to X``, names the **speaker**;
the first event verb after it (or the speech verb itself when there is none) gives the event,
coded by the best-matching pattern of its block (most words matched; ``[---]`` means none). The
**source** is the nearest actor before the event verb (or after ``by`` in the passive), else the
speaker; the **target** the first other actor after it.

>>> from diplograph.graph.extract.actors import actor_lexicon
>>> coder = Coder(actor_lexicon())
>>> [(e.source.code, e.target.code if e.target else None, e.code)
...  for e in coder.code("Hungary rejected Romania's demands.")]
[('HUN', 'ROU', '120')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diplograph.graph.extract.actors import Actor, ActorLexicon
from diplograph.graph.extract.dictionaries import (
    Pattern,
    Verb,
    VerbDictionary,
    match_seq,
    verb_dictionary,
)
from diplograph.graph.extract.mentions import mentions
from diplograph.graph.extract.persons import Mention
from diplograph.graph.extract.roles import joined, source_of, target_of
from diplograph.graph.extract.rules import blame, condition, modal, reading
from diplograph.graph.extract.speech import according_to, main_clause, participial, speech_act
from diplograph.graph.extract.text import Token, tokens
from diplograph.graph.extract.words import (
    AUX,
    DETERMINERS,
    MONTHS,
    NOT_SUBJECTS,
    PASSIVE,
    PREPOSITIONS,
    PRONOUNS,
    SPEECH_BLOCKS,
)
from diplograph.ontology.codes import cameo_codes


@dataclass
class Event:
    """One coded event of a clause."""

    code: str  # CAMEO
    source: Actor | None
    target: Actor | None
    speaker: Actor | None  # who says it (the source unless attributed otherwise)
    verb: str  # the verb as written
    pattern: Pattern | None
    text: str  # the clause
    topics: list[Actor] = field(default_factory=list)
    sources: list[Actor] = field(default_factory=list)  # the source and those joined by "and"
    targets: list[Actor] = field(default_factory=list)  # the target and those joined by "and"
    rule: str = ""  # the rule that coded it (the draft's ``rule``)
    said: bool = False  # reported as said (a speech verb, "according to"): the speaker's words
    #: actor key → (title as written, post or role) of the persons named with a title
    titles: dict[str, tuple[str, Actor | None]] = field(default_factory=dict)

    @property
    def plover(self) -> str | None:
        found = cameo_codes().get(self.code)
        return found.plover if found is not None else None

    @property
    def confidence(self) -> float:
        score = 0.4 + (0.2 if self.pattern is not None else 0.0)
        score += 0.1 if self.source is not None and self.source.path else 0.0
        score += 0.1 if self.target is not None else 0.0
        return round(min(score, 0.9), 2)


@dataclass
class _Clause:
    """A clause as the coder reads it: its text, tokens, actor mentions and topics."""

    text: str
    toks: list[Token]
    texts: list[str]
    actors: list[Mention]
    topics: list[Actor]
    titles: dict[str, tuple[str, Actor | None]] = field(default_factory=dict)


class Coder:
    """Codes clauses with an actor lexicon and the verb dictionary."""

    def __init__(self, lexicon: ActorLexicon, verbs: VerbDictionary | None = None) -> None:
        self.lexicon = lexicon
        self.verbs = verbs or verb_dictionary()
        self.codes = cameo_codes()

    # -- actors ---------------------------------------------------------------------------
    def mentions(self, toks: list[Token], text: str = "") -> list[Mention]:
        """The clause's actor mentions (:func:`~.mentions.mentions`)."""
        return mentions(self.lexicon, toks, text)

    # -- verbs ----------------------------------------------------------------------------
    def _code_verb(self, verb: Verb, texts: list[str], at: int) -> tuple[str, Pattern | None]:
        best: Pattern | None = None
        for pattern in self.verbs.patterns.get(verb.block, []):
            if best is not None and pattern.weight <= best.weight:
                continue
            before = list(reversed(pattern.before))
            if match_seq(list(pattern.after), texts[at + 1 :], self.verbs.synsets) and (
                not before or match_seq(before, list(reversed(texts[:at])), self.verbs.synsets)
            ):
                best = pattern
        code = best.code if best is not None else verb.code
        while code != "---" and code not in self.codes and len(code) > 2:
            code = code[:-1]
        return (code if code in self.codes else "---"), best

    def _verbs(
        self, texts: list[str], mentions: list[Mention]
    ) -> list[tuple[int, Verb, str, Pattern | None]]:
        """The dictionary verbs of a clause outside actor phrases, each coded by its best
        pattern: (token index, verb, CAMEO code, pattern); verbs coded ``---`` are left out."""
        inside = {i for m in mentions for i in range(m.start, m.end)}
        # patterns see each actor as one word ("+"), so that "* + PLAN" spans "Trump's plan"
        compact: list[str] = []
        where: dict[int, int] = {}
        starts = {m.start: m for m in mentions}
        j = 0
        while j < len(texts):
            if j in starts:
                compact.append("+")
                j = starts[j].end
                continue
            where[j] = len(compact)
            compact.append(texts[j])
            j += 1
        verbs: list[tuple[int, Verb, str, Pattern | None]] = []
        for i, word in enumerate(texts):
            if i in inside or (
                i > 0
                and (
                    texts[i - 1] in DETERMINERS
                    or (texts[i - 1] in PREPOSITIONS and not word.endswith("ING"))
                    or texts[i - 1] in ("WHICH", "WHO", "THAT")  # a relative clause
                )
            ):
                continue
            # a word right after a verb is its object ("requiring concessions"), unless it
            # reports speech ("US witnesses said")
            after_verb = i > 0 and texts[i - 1] in self.verbs.forms and texts[i - 1] not in AUX
            if (i == 0 and not word.endswith("ING")) or (
                word in MONTHS and i + 1 < len(texts) and texts[i + 1][:1].isdigit()
            ):
                continue  # a sentence starts with its subject; "March 3" is a date
            for verb in self.verbs.forms.get(word, []):
                if (verb.rest and tuple(texts[i + 1 : i + 1 + len(verb.rest)]) != verb.rest) or (
                    after_verb
                    and not (
                        verb.block in SPEECH_BLOCKS and (word == "SAID" or word.endswith("ED"))
                    )
                ):
                    continue
                code, pattern = self._code_verb(verb, compact, where[i])
                if code != "---":
                    verbs.append((i, verb, code, pattern))
                    break
        return verbs

    def code(self, clause: str, *, previous: Actor | None = None) -> list[Event]:
        """The events of one clause (none or one). ``previous`` is the source of the clause
        before, which a clause starting with a pronoun (or with no subject) continues.

        A main clause comes before a subordinate one (*X expelled Y after Z alleged ...*, *X
        mobilized while Z said ...*): the clause cut at its subordinator (keeping a trailing
        attribution, *..., officials said*) is coded first, the whole clause only when the main
        clause alone has no event."""
        main = main_clause(clause)
        if main is not None:
            events = self._code(main, previous)
            for event in events:
                event.text = clause
            if events:
                return events
        return self._code(clause, previous)

    def _code(self, clause: str, previous: Actor | None) -> list[Event]:
        toks = tokens(clause)
        texts = [t.text for t in toks]
        mentions = self.mentions(toks, clause)
        actors = [m for m in mentions if not m.actor.topic]
        speaker, actors = according_to(clause, actors)
        verbs = self._verbs(texts, mentions)
        speech_at: int | None = None
        trailing = False
        if speaker is None:
            speaker, speech_at, trailing = speech_act(clause, toks, verbs, actors)
        if (
            speaker is None
            and texts
            and not (texts[0] in NOT_SUBJECTS or texts[:2] in (["IT", "IS"], ["IT", "WAS"]))
            and (
                texts[0] in PRONOUNS
                or (verbs and verbs[0][0] == 0)  # "warning that ...", "adding that ..."
                or not actors
                or (verbs and all(a.start > verbs[0][0] for a in actors))
            )
        ):
            speaker = previous
        c = _Clause(clause, toks, texts, actors, [m.actor for m in mentions if m.actor.topic])
        c.titles = {m.actor.key: (m.title, m.post) for m in mentions if m.title}
        subjects = {m.end for m in actors if all(w == "THE" for w in texts[: m.start])}
        finite = self._finite(texts, verbs, speech_at, trailing, subjects)
        aside = participial(clause, toks)  # ", expected to be joined by X,": not the event
        finite = [v for v in finite if v[0] not in aside]
        said_at = next((v for v in verbs if v[1].block in SPEECH_BLOCKS and v[2]), None)
        if speech_at is not None and trailing:
            speech_at = None  # the event's own subject comes before it
        if finite:
            source, agentless = source_of(actors, finite[0][0], texts, speech_at, finite[0][2])
            if source or speaker:
                event = self._event(c, finite[0], source, speaker, speech_at)
                if agentless and source is None:
                    event.sources = []  # "X was arrested, officials said": not the officials
                return [event]
        if speaker is not None and said_at is not None:
            return [self._statement(c, said_at, speaker, trailing)]
        return []

    def _event(
        self,
        c: _Clause,
        found: tuple[int, Verb, str, Pattern | None],
        source: Actor | None,
        speaker: Actor | None,
        speech_at: int | None,
    ) -> Event:
        """The event of the clause's main verb, read under its modality and condition."""
        i, verb, code, pattern = found
        texts, actors = c.texts, c.actors
        who = source or speaker
        assert who is not None
        said = speaker is not None and speech_at is not None
        rule = f"pattern {verb.block}" if pattern is not None else f"verb {verb.block}"
        read = reading(code, modal(texts, i), said=said, condition=condition(texts, i))
        if read is not None and read[0] in self.codes:
            code, rule = read
            if read[1].startswith("demand") and speaker is not None:
                who = speaker  # X said Y must: X demands of Y
        sources = joined(actors, texts, who)
        target = target_of(actors, i, texts, who, {a.key for a in sources})
        if target is None and code[:2] >= "14" and who.state in self.lexicon.actors:
            target = self.lexicon.actors[who.state]  # protest, force at home: its own state
        event = Event(code, who, target, speaker or source, c.toks[i].text, pattern, c.text)
        event.topics, event.rule, event.titles = c.topics, rule, c.titles
        event.said = speaker is not None and (speech_at is not None or speaker is not source)
        event.sources = sources
        event.targets = joined(actors, texts, target) or ([target] if target else [])
        if rule.startswith("demand") and source is not None and source.key != who.key:
            event.target, event.sources = source, [who]
            event.targets = joined(actors, texts, source)
        if (read := blame(code, texts)) is not None:
            event.code, event.rule = read
        return event

    def _statement(
        self,
        c: _Clause,
        said_at: tuple[int, Verb, str, Pattern | None],
        speaker: Actor,
        trailing: bool,
    ) -> Event:
        """A speech act with no event verb after it: a statement, a demand (*Y must*), or
        what its words make it (:func:`~.rules.blame`). A trailing attribution (*X did Y,
        officials said*) keeps the subject before it as the event's source."""
        i, verb, code, pattern = said_at
        texts, actors = c.texts, c.actors
        subject = next((a.actor for a in actors if a.end <= i), None) if trailing else None
        who = subject or speaker
        target = target_of(actors, i, texts, who)
        if subject is not None:
            after = [a.actor for a in actors if a.end <= i and a.actor.key != subject.key]
            target = after[0] if after else None
        event = Event(code, who, target, speaker, texts[i], pattern, c.text, c.topics)
        event.rule, event.titles, event.said = f"speech {verb.block}", c.titles, True
        if verb.block == "ALLEGE" and not any(w.startswith("ACCUS") for w in texts):
            event.code = "010"  # "claimed X wants Y": a statement unless it blames
        must = next((k for k in range(i + 1, len(texts)) if texts[k] in ("MUST", "SHOULD")), None)
        if must is not None and "100" in self.codes:  # X said Y must ...: a demand of Y
            event.code, event.rule = "100", "demand: must + verb"
            subjects = [a for a in actors if i < a.start < must]
            target = subjects[0].actor if subjects else target
        if (read := blame(event.code, texts)) is not None:
            event.code, event.rule = read
        event.sources = joined(actors, texts, who)
        event.targets = joined(actors, texts, target)
        return event

    def _finite(
        self,
        texts: list[str],
        verbs: list[tuple[int, Verb, str, Pattern | None]],
        speech_at: int | None,
        trailing: bool,
        ends: set[int],
    ) -> list[tuple[int, Verb, str, Pattern | None]]:
        """The verbs that may carry the clause's event, best first (``ends``: the token
        positions right after an actor phrase)."""
        finite = [v for v in verbs if v[1].block not in SPEECH_BLOCKS]
        if speech_at is not None and trailing:
            finite = [v for v in finite if v[0] < speech_at]
        elif speech_at is not None:
            spoken = next(v for v in verbs if v[0] == speech_at)
            finite = [
                v
                for v in finite
                if v[0] > speech_at
                and not texts[v[0]].endswith("ING")
                and (texts[v[0] - 1] != "TO" or modal(texts, v[0]) is not None)
            ]
            weight = spoken[3].weight if spoken[3] is not None else 0
            if not spoken[2].startswith("01") and not any(
                v[3] is not None and v[3].weight >= weight for v in finite
            ):
                return []  # a pattern made the speech act itself an event: "stressed the need"
        finite.sort(key=lambda v: self._rank(texts, v[0], ends))
        return finite

    @staticmethod
    def _rank(texts: list[str], i: int, ends: set[int]) -> tuple[bool, bool, bool, int]:
        """Which verb of a clause is its main verb: finite forms first (after an auxiliary, or
        in -ED), then bare forms, then infinitives (after TO), then -ING forms; then the first."""
        word, before = texts[i], texts[i - 1] if i > 0 else ""
        finite = (
            before in AUX
            or (i in ends and not word.endswith("S"))  # "the Palestinians reject"
            or (word.endswith("ED") and before not in PASSIVE and i + 1 not in ends)
        )
        return (word.endswith("ING"), before == "TO", not finite, i)


__all__ = ["SPEECH_BLOCKS", "Coder", "Event", "Mention"]
