"""From an article to a draft claim-record file (``docs/claim-records.md``) for an analyst to
review, and, when asked, straight into the store as machine-coded claims.

:func:`draft_article` codes every clause (:class:`~.coder.Coder`) and turns each event with a
speaker into a draft claim: speaker, on-behalf-of state, target, CAMEO code (PLOVER by the
crosswalk), topics (``about``), the words the article quotes, the clause as paraphrase, and a
confidence. The entities the claims use are declared with the IRI the graph has for them.
:func:`draft_yaml` writes the file, with the coder's version and dictionaries (and their sha256)
in its header; :func:`accept` loads it as the article's graph with ``dg:machineCoded true`` on
every claim and the coder in the graph's provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from diplograph import __version__, iri
from diplograph.graph.extract.actors import Actor, actor_lexicon
from diplograph.graph.extract.coder import Coder, Event
from diplograph.graph.extract.dating import date_in, explicit
from diplograph.graph.extract.nominal import nominal_events
from diplograph.graph.extract.rules import blame
from diplograph.graph.extract.text import Article, clauses, sentences, tokens

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph

#: The coder's version, recorded in every draft and in the provenance of accepted claims.
CODER_VERSION = f"diplograph-coder {__version__}"
_ANALYST = ("ResearchOrganization", "NewsOrganization")


@dataclass
class Draft:
    """A draft claim-record file as data (:attr:`records`), with what the coder noticed."""

    records: dict[str, Any]
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: claim id → the character spans of the article text it was coded from
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def claims(self) -> list[dict[str, Any]]:
        claims: list[dict[str, Any]] = self.records["claims"]
        return claims


def _local(actor: Actor) -> str:
    base = actor.path or actor.key.split(":", 1)[-1]
    return iri.slug(base.rsplit("/", 1)[-1])


_QUOTE = re.compile(
    r"(?:^|(?<=[\s(\[—–-]))(?:\"([^\"]+)\"|“([^”]+)”|‘([^’]+)’|'([^']+)')(?=[\s.,;:!?)\]—–-]|$)"
)


def _quote(text: str) -> str | None:
    """Words the clause puts in quotation marks, whole: from an opening mark after a space to its
    closing mark before a space or punctuation (an apostrophe inside a word is neither), so a
    quote is never a fragment cut mid-phrase."""
    m = _QUOTE.search(text)
    if m is None:
        return None
    quoted = next(g for g in m.groups() if g is not None).strip()
    return quoted if len(quoted) >= 3 else None


#: Roots of CAMEO codes for verbal acts: their subject speaks (statements, appeals, intents,
#: demands, disapproval, rejections, threats); other events are reported by the article.
_VERBAL = ("01", "02", "03", "10", "11", "12", "13")
_BYLINE = re.compile(r"^(?:as delivered by|remarks by|statement by|by)\b\s*(.*)$", re.I)


def _byline(article: Article, coder: Coder) -> tuple[Actor, str | None, str | None] | None:
    """The person an article names as its author or speaker in a byline (*As delivered by
    Ambassador Jane Roe*), with their title and the date the byline block gives."""
    lines = [p for _, p in article.sections[:10]]
    for k, line in enumerate(lines):
        m = _BYLINE.match(line)
        if m is None:
            continue
        rest = m.group(1).strip() or (lines[k + 1] if k + 1 < len(lines) else "")
        people = [
            mention
            for mention in coder.mentions(tokens(rest), rest)
            if mention.actor.kind in ("Official", "Person")
        ]
        if people:
            when = next((explicit(x) for x in lines[k : k + 4] if explicit(x)), None)
            return people[0].actor, people[0].title, when[0] if when else None
    return None


def draft_article(
    article: Article,
    *,
    slug: str,
    graph: DiploGraph | None = None,
    coder: Coder | None = None,
    date: str | None = None,
) -> Draft:
    """Code ``article`` and make its draft records (``slug`` names the article; ``date``, its
    publication day ``YYYY-MM-DD`` when known, picks the roles and posts held that day and
    anchors relative dates)."""
    coder = coder or Coder(actor_lexicon(graph, on=date))
    out = _Drafting(article, slug, coder, date)
    cursor = 0
    for section, paragraph in article.sections:
        if not paragraph.rstrip("\"'”’)").endswith((".", "!", "?")):
            continue  # a heading, a byline, a dateline: not prose
        previous: Actor | None = None  # a pronoun continues the paragraph's last source
        for sentence in sentences(paragraph):
            for clause in clauses(sentence):
                found = coder.code(clause, previous=previous) or _editorial(coder, clause)
                at = article.text.find(clause, cursor)
                at = at if at >= 0 else article.text.find(clause)
                span = (at, at + len(clause))
                for event in found:
                    previous = event.source or previous
                    out.add(event, section, span)
                if out.byline is None:  # in a speech, the speaker's report (see add)
                    known = {e.source.key for e in found if e.source is not None}
                    for event in nominal_events(coder, clause):
                        if event.source is not None and event.source.key not in known:
                            out.add(event, section, span)
                cursor = max(cursor, span[1])
    return out.draft()


def _editorial(coder: Coder, clause: str) -> list[Event]:
    """A clause without a coded event that names actors: the article's own statement about
    them (made by its author; coded as criticism when its words blame)."""
    toks = tokens(clause)
    actors = [m.actor for m in coder.mentions(toks, clause) if not m.actor.topic]
    if not actors or len(toks) < 5:
        return []
    event = Event("010", None, actors[0], None, "", None, clause, rule="editorial")
    event.targets = list({a.key: a for a in actors}.values())
    return [event]


class _Drafting:
    """The claims and entities of one draft as they are coded."""

    def __init__(self, article: Article, slug: str, coder: Coder, date: str | None) -> None:
        self.article, self.slug, self.coder, self.date = article, slug, coder, date
        self.entities: dict[str, dict[str, Any]] = {}
        self.claims: list[dict[str, Any]] = []
        self.events: list[Event] = []
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.anchor: str | None = None  # the last day a claim was dated, for "the next day"
        self.byline = _byline(article, coder)

    def declare(self, actor: Actor) -> str:
        if actor.kind == "Author":
            self.entities.setdefault("author", {"type": "Author", "label": actor.label})
            return "author"
        local = _local(actor)
        if local in self.entities:
            return local
        entity: dict[str, Any] = {"type": actor.kind, "label": actor.label}
        if actor.path:
            entity["iri"] = actor.path
        elif actor.key.startswith("new:"):
            entity["note"] = (
                "REVIEW: a new entity (a name after a title, or a people named by where it "
                "lives); neither the store nor the dictionaries know it. Check who it is (and "
                "same_as if the store has it)."
            )
        else:
            entity["note"] = (
                f"From the Phoenix actor dictionary (code {actor.code}), not found in the "
                "store: check the label, which mints the IRI (a state is state/<COW name>)."
            )
        self.entities[local] = entity
        if actor.kind == "GovernmentBody":
            state = self.coder.lexicon.actors.get(actor.state or "")
            if state is None:
                entity["type"] = "Organization"
            else:
                entity["government_of"] = self.declare(state)
        return local

    def author(self) -> Actor:
        if self.byline is not None:
            return self.byline[0]
        return Actor(f"author:{self.slug}", f"Author of {self.slug} (unnamed)", "Author")

    def add(self, event: Event, section: str | None, span: tuple[int, int]) -> None:
        said = event.said and event.speaker is not None
        # in a news article an actor's own verbal act is its statement; in a speech (a byline
        # names its speaker) only what the speaker reports as said by others is theirs
        own = said or (event.code[:2] in _VERBAL and self.byline is None and event.speaker)
        if not own:  # reported by the article: the author's statement about its actors
            # about whom: those who act (the victims of a hostile act are not its target)
            about = event.sources or event.targets
            words = [t.text for t in tokens(event.text)]
            code, rule = blame("010", words) or ("010", "editorial")
            who = self.author()
            hostile = event.code[:2] >= "10" and all(a.key != who.state for a in about)
            if self.byline is not None and rule == "editorial" and hostile:
                code, rule = "111", "criticism: an official reports a hostile act"
            event = replace(event, speaker=who, source=who, code=code, rule=rule)
            event.targets = [a for a in about if a.key != who.key]
        speaker = event.speaker
        if speaker is None or speaker.kind == "Post" or speaker.topic:
            return
        self.events.append(event)
        claim = _claim(event, len(self.claims) + 1, section, self)
        claim["span"] = [span[0], span[1]]
        same = _repeated(self.claims, claim)
        if same is None:
            self.claims.append(claim)
            self.spans[claim["id"]] = [span]
        elif section and section not in _sections(same):
            # the article repeats a statement in another section: one claim
            same["section"] = [*_sections(same), section]
            self.spans[same["id"]].append(span)

    def draft(self) -> Draft:
        warnings = list(self.article.warnings)
        if not self.claims:
            warnings.append(
                "No event-bearing sentence with a known actor was found; nothing drafted."
            )
        record: dict[str, Any] = {"id": self.slug, "title": self.article.title, "language": "en"}
        if self.date is not None:
            record["date"] = self.date
        sections = [n for n in dict.fromkeys(s for s, _ in self.article.sections) if n]
        if sections:
            record["sections"] = sections
        record["text"] = self.article.text
        records = {"format": 2, "article": record, "entities": self.entities}
        records["claims"] = self.claims
        return Draft(records, self.events, warnings, self.spans)

    def when(self, event: Event) -> tuple[str, str] | None:
        """The claim's date from its words (explicit, or relative to the last day known)."""
        found = date_in(event.text, self.date, self.anchor)
        if found is not None and len(found[0]) == 10:
            self.anchor = found[0]  # what "the next day" counts from
        if found is None and self.byline is not None and event.speaker is self.byline[0]:
            day = self.byline[2]
            return (day, "") if day else None
        return found

    def holding(self, person: Actor, title: str, post: Actor | None, as_of: str | None) -> None:
        """The post a title names, held by ``person`` as of the claim (a format 2 tenure)."""
        state = self.coder.lexicon.actors.get(
            (post.state if post is not None else None) or person.state or ""
        )
        if state is None or state.kind != "State":
            return  # a post needs the state it is in
        holder = self.declare(person)
        entity: dict[str, Any] = {
            "type": "Post",
            "role": title,
            "post_in": self.declare(state),
            "label": post.label if post is not None and post.path else f"{title} ({state.label})",
        }
        if post is not None and post.path:
            entity["iri"] = post.path
        else:
            entity["note"] = "REVIEW: a post read from the title before the speaker's name."
        local = iri.slug(f"{state.label} {title}")
        self.entities.setdefault(local, entity)
        tenure: dict[str, Any] = {"type": "Tenure", "holder": holder, "post": local}
        if as_of is not None:
            tenure["as_of"] = as_of
        self.entities.setdefault(f"{holder}--{local}", tenure)


def _sections(claim: dict[str, Any]) -> list[str]:
    value = claim.get("section", [])
    return list(value) if isinstance(value, list) else [value]


def _repeated(claims: list[dict[str, Any]], claim: dict[str, Any]) -> dict[str, Any] | None:
    """An earlier claim of another section with the same speaker, the same kind of event (CAMEO
    root) and shared or no targets: a summary section and a detailed one telling the same
    statement (the first telling's code, the finer one, is kept)."""
    mine = set(claim.get("targets", []))
    for other in claims:
        theirs = set(other.get("targets", []))
        if (
            other["speaker"] == claim["speaker"]
            and other["event_type"][:2] == claim["event_type"][:2]
            and (not mine or not theirs or mine & theirs)
            and claim.get("section")
            and _sections(other)
            and claim.get("section") not in _sections(other)
        ):
            return other
    return None


def _claim(event: Event, n: int, section: str | None, out: _Drafting) -> dict[str, Any]:
    speaker = event.speaker
    assert speaker is not None
    actors = out.coder.lexicon.actors
    claim: dict[str, Any] = {"id": f"c{n}"}
    claim["label"] = f"{speaker.label}: {event.verb.lower()} ({event.code})"
    if speaker.kind == "Author":
        claim["kind"] = "editorial"
    elif speaker.kind in _ANALYST:
        claim["kind"] = "analyst assessment"
    else:
        claim["kind"] = "official statement"
    claim["speaker"] = out.declare(speaker)
    state = actors.get(speaker.state or "")
    if claim["kind"] == "official statement" and state is not None and state.kind == "State":
        claim["on_behalf_of"] = out.declare(state)
    claim["event_type"] = event.code
    targets: list[str] = []
    for target in event.targets or ([event.target] if event.target else []):
        if target.key == speaker.key or target.kind == "Author":
            continue
        targets.append(out.declare(target))
        t_state = actors.get(target.state or "")
        if target.kind in ("Official", "Person") and t_state is not None:
            targets.append(out.declare(t_state))
    if targets:
        claim["targets"] = list(dict.fromkeys(targets))
    about = [out.declare(t) for t in event.topics if t.path]
    if about:
        claim["about"] = list(dict.fromkeys(about))
    when = out.when(event)
    if when is not None:
        claim["date"] = when[0]
        if when[1] and explicit(when[1]) is None:
            claim["date_text"] = when[1]  # relative words: the loader checks them in the text
    if section:
        claim["section"] = section
    claim["paraphrase"] = event.text
    quote = _quote(event.text)
    if quote:
        claim["quote"] = quote
    claim["confidence"] = event.confidence
    title = event.titles.get(speaker.key) or (
        (out.byline[1], None) if out.byline and speaker is out.byline[0] and out.byline[1] else None
    )
    if title is not None and title[0]:
        as_of = claim.get("date") or ("article" if out.date else None)
        out.holding(speaker, title[0], title[1], as_of)
    claim["review"] = "pending"
    claim["rule"] = event.rule or "verb"
    return claim


def accept(graph: DiploGraph, path: Path, *, origin: str) -> tuple[URIRef, int]:
    """:func:`diplograph.graph.extract.output.accept` (kept here, where it was first)."""
    from diplograph.graph.extract.output import accept as into_store

    return into_store(graph, path, origin=origin)


def draft_yaml(draft: Draft, *, source: str) -> str:
    """:func:`diplograph.graph.extract.output.draft_yaml`."""
    from diplograph.graph.extract.output import draft_yaml as as_yaml

    return as_yaml(draft, source=source)


__all__ = ["CODER_VERSION", "Draft", "accept", "draft_article", "draft_yaml"]
