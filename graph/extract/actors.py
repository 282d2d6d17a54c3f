"""The coder's actor dictionary: the graph's own actors (labels and aliases of states, officials
with the state of their post, organisations, government bodies; topics such as conflicts,
proposals and principles) joined with the Phoenix actor dictionaries.

A Phoenix entry that names an actor of the graph (``RUSSIA_`` → ``state/russia``, ``NATO_`` →
``organization/nato``, ``SERGEY_LAVROV_`` → ``person/sergey-lavrov``) resolves to it, and gives
graph actors their CAMEO code (``RUS``, ``IGOWSTNAT``), which the evaluation compares with gold
records; the rest stay Phoenix actors, with the state of their country code where the graph has
it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from diplograph import iri
from diplograph.graph.extract.dictionaries import PhoenixActor, phoenix_actors, phrase_tokens
from diplograph.graph.extract.text import Token
from diplograph.graph.load.progress import step

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph

#: ontology class (local name) → record entity type; the first listed of a node's classes wins
ACTOR_TYPES = (
    "Official",
    "Person",
    "State",
    "InternationalOrganization",
    "ResearchOrganization",
    "NewsOrganization",
    "GovernmentBody",
    "ArmedGroup",
    "Organization",
    "Post",
    "Actor",
)
TOPIC_TYPES = (
    "ArmedConflict",
    "Precondition",
    "Demand",
    "Offer",
    "Proposal",
    "Principle",
    "Treaty",
    "Charter",
    "Declaration",
    "PoliticalCommitment",
    "Alliance",
    "Agreement",
)

_QUERY = (
    iri.prologue("dg", "rdfs", "skos")
    + """
SELECT ?e ?type ?name ?label WHERE {
  ?e a ?type .
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/diplograph/id/"))
  FILTER(STRSTARTS(STR(?type), "https://w3id.org/diplograph/ontology#"))
  ?e rdfs:label ?label .
  FILTER(LANG(?label) = "en" || LANG(?label) = "")
  { ?e rdfs:label ?name } UNION { ?e dg:alias ?name } UNION { ?e skos:altLabel ?name }
  FILTER(LANG(?name) = "en" || LANG(?name) = "")
}
"""
)

_STATES = (
    iri.prologue("dg")
    + """
SELECT ?who ?state ?holder ?start ?end WHERE {
  { ?t dg:holder ?who ; dg:ofPost ?post . ?post dg:postIn|dg:ofState ?state . ?state a dg:State
    OPTIONAL { ?t dg:startDate ?start } OPTIONAL { ?t dg:endDate ?end } }
  UNION { ?who a dg:Post ; dg:postIn|dg:ofState ?state . ?state a dg:State
          OPTIONAL { ?t2 dg:ofPost ?who ; dg:holder ?holder
                     OPTIONAL { ?t2 dg:startDate ?start } OPTIONAL { ?t2 dg:endDate ?end } } }
  UNION { ?who dg:governmentOf ?state }
}
"""
)

#: Places (capitals) with the states whose capital they are or were.
_PLACES = (
    iri.prologue("dg", "rdfs")
    + """
SELECT ?place ?label ?state WHERE {
  ?place a dg:Place ; rdfs:label ?label .
  FILTER(LANG(?label) = "en" || LANG(?label) = "")
  OPTIONAL { ?state dg:capital ?place }
}
"""
)

#: When each state was in the state system (COW spells): a state exists on a day inside a spell.
_SPELLS = (
    iri.prologue("dg")
    + """
SELECT ?state ?start ?end WHERE {
  ?m a dg:SystemMembership ; dg:ofState ?state ; dg:startDate ?start .
  OPTIONAL { ?m dg:endDate ?end }
}
"""
)


@dataclass(frozen=True)
class Actor:
    """Someone who can act or be acted upon (or, with ``topic``, something talked about)."""

    key: str  # IRI path (``state/russia``) or ``phoenix:<NAME>``
    label: str
    kind: str  # the record entity type: State, Official, InternationalOrganization ...
    path: str | None = None  # IRI path under id/ when the graph has it
    code: str | None = None  # CAMEO actor code (RUS, RUSGOV, IGOWSTNAT)
    state: str | None = None  # key of the state it acts for
    holder: str | None = None  # a post's only known holder
    topic: bool = False

    @property
    def country(self) -> str | None:
        return self.code[:3] if self.code else None


@dataclass
class ActorLexicon:
    """Phrases (token tuples) → actors, matched longest first."""

    phrases: dict[tuple[str, ...], tuple[Actor, bool]] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    longest: int = 1

    def add(self, words: tuple[str, ...], actor: Actor, *, exact: bool = True) -> None:
        if words and words not in self.phrases:
            self.phrases[words] = (actor, exact)
            self.longest = max(self.longest, len(words))

    def match(
        self, toks: list[Token], i: int, *, limit: int | None = None
    ) -> tuple[int, Actor] | None:
        """The longest phrase starting at token ``i`` (of at most ``limit`` tokens): (number of
        tokens, actor)."""
        most = min(self.longest, len(toks) - i, limit or self.longest)
        for n in range(most, 0, -1):
            words = tuple(t.text for t in toks[i : i + n])
            found = self.phrases.get(words)
            if found is None and words[-1].endswith("S"):
                plural = self.phrases.get((*words[:-1], words[-1][:-1]))
                # a state's adjective names its people too: "Algerians", "Israelis"
                if plural is not None and (not plural[1] or plural[0].kind == "State"):
                    found = plural
            if found is not None:
                return n, found[0]
        return None


def _held_on(start: object, end: object, on: str | None) -> bool:
    """Whether a tenure (dates at any precision, or unknown) may include the day ``on``."""
    if on is None:
        return True
    first = str(start) if start is not None else ""
    last = str(end) if end is not None else ""
    return (not first or first <= on[: len(first)]) and (not last or on[: len(last)] <= last)


def ceased_states(graph: DiploGraph, on: str | None = None) -> set[str]:
    """The states of the graph that did not exist on the day ``on`` (``YYYY-MM-DD``; by default
    the end of the state-system data, today's states): a city named like a historical state
    (*Hanover*, *Modena*) is never that state in an article of another time."""
    spells: dict[str, list[tuple[str, str]]] = {}
    latest = ""
    for row in graph.query(_SPELLS):
        start, end = str(row[1]), str(row[2]) if row[2] is not None else "9999-12-31"
        spells.setdefault(str(row[0]), []).append((start, end))
        latest = max(latest, end)
    day = on or latest
    return {
        state
        for state, spans in spells.items()
        if not any(start <= day and (day <= end or end >= latest) for start, end in spans)
    }


def _graph_actors(graph: DiploGraph, on: str | None = None) -> list[tuple[Actor, str]]:
    rows: dict[str, dict[str, object]] = {}
    for row in graph.query(_QUERY):
        node, cls, name, label = (str(row[0]), str(row[1]), str(row[2]), str(row[3]))
        local = cls.rsplit("#", 1)[-1]
        entry = rows.setdefault(node, {"types": set(), "names": set(), "label": label})
        entry["types"].add(local)  # type: ignore[attr-defined]
        entry["names"].add(name)  # type: ignore[attr-defined]
    states: dict[str, str] = {}
    holders: dict[str, set[str]] = {}
    for row in graph.query(_STATES):
        who, of_state = str(row[0]), str(row[1])
        if not _held_on(row[3], row[4], on):
            continue  # a post held on another day
        states.setdefault(who, of_state)
        if row[2] is not None:
            holders.setdefault(who, set()).add(str(row[2]))
    out: list[tuple[Actor, str]] = []
    base = str(iri.ID)
    gone = ceased_states(graph, on)
    for node, entry in rows.items():
        if node in gone:
            continue  # a historical state: its names are cities or regions on this day
        types: set[str] = entry["types"]  # type: ignore[assignment]
        kind = next((t for t in ACTOR_TYPES if t in types), None)
        topic = next((t for t in TOPIC_TYPES if t in types), None)
        if kind is None and topic is None:
            continue
        path = node[len(base) :]
        state = states.get(node)
        holder = holders.get(node, set())
        actor = Actor(
            key=path,
            label=str(entry["label"]),
            kind=kind or topic or "Actor",
            path=path,
            state=state[len(base) :] if state else (path if kind == "State" else None),
            holder=next(iter(holder))[len(base) :] if len(holder) == 1 else None,
            topic=kind is None,
        )
        out += [(actor, str(n)) for n in sorted(entry["names"])]  # type: ignore[call-overload]
    return out


def _add_places(
    lex: ActorLexicon,
    graph: DiploGraph,
    on: str | None,
    phoenix: dict[tuple[str, ...], PhoenixActor],
    by_code: dict[str, Actor],
) -> None:
    """The graph's places (cities) as places, each with the state it is in on the day ``on``:
    one whose capital it is that exists then, else the country the Phoenix dictionary puts it in
    (*Hanover* is in Germany in 2024, the capital of the Kingdom of Hanover in 1850)."""
    gone = ceased_states(graph, on)
    base = str(iri.ID)
    places: dict[str, tuple[str, str | None]] = {}
    for row in graph.query(_PLACES):
        node, label = str(row[0]), str(row[1])
        state = str(row[2]) if row[2] is not None and str(row[2]) not in gone else None
        known = places.get(node)
        places[node] = (label, (known[1] if known else None) or state)
    for node, (label, state) in places.items():
        words = phrase_tokens(label)
        key = state[len(base) :] if state else None
        if key is None:
            entry = phoenix.get(words)
            mapped = by_code.get(entry.code[:3]) if entry is not None else None
            key = mapped.key if mapped is not None else None
        owner = lex.actors.get(key or "")
        path = node[len(base) :]
        place = Actor(path, label, "Place", path, owner.code if owner else None, key)
        lex.actors[path] = place
        lex.add(words, place)


def demonyms(name: str) -> list[str]:
    """Adjectives of a one-word group name, as news writes them (Phoenix has them for states):
    *Europe* → *European*, *America* → *American*, *the West* → *Western*.

    >>> demonyms("Europe"), demonyms("the West"), demonyms("European states")
    (['European'], ['Western'], [])
    """
    word = name.removeprefix("the ").strip()
    if " " in word or not word[:1].isupper():
        return []
    if word in ("West", "East", "North", "South"):
        return [word + "ern"]
    if word.endswith("e"):
        return [word + "an"]
    if word.endswith("a"):
        return [word + "n"]
    return []


def _same_kind(actor: Actor, code: str, name: str) -> bool:
    """Whether a Phoenix entry (by its code) can name this graph actor: a country a state, an
    IGO an organisation, an office holder a person named in full (a bare surname such as
    *Orlando* is also a city of a country entry)."""
    if actor.topic:
        return False
    if len(code) == 3:
        return actor.kind == "State"
    if code.startswith("IGO"):
        return actor.kind in ("InternationalOrganization", "Organization")
    if actor.kind in ("Official", "Person"):
        return len(phrase_tokens(name)) >= 2
    return actor.kind in ("GovernmentBody", "Organization", "ArmedGroup")


def actor_lexicon(graph: DiploGraph | None = None, *, on: str | None = None) -> ActorLexicon:
    """The lexicon of the graph's actors (if a graph is given) and the Phoenix dictionaries;
    with ``on`` (``YYYY-MM-DD``, the article's date), the posts held and Phoenix roles on that
    day (else, for Phoenix, the latest role, and any post)."""
    lex = ActorLexicon()
    step("the Phoenix actor dictionaries")
    phoenix = phoenix_actors(on)
    by_main: dict[str, Actor] = {}  # Phoenix main name → graph actor
    by_code: dict[str, Actor] = {}  # country or IGO code → graph actor
    if graph is not None:
        step("the store's actors and posts")
    graph_names = _graph_actors(graph, on) if graph is not None else []
    # a graph actor named by an entry's main name first (GERMANY_ is state/germany, not a
    # state named by one of its aliases such as BAVARIA)
    ranked = sorted(
        graph_names,
        key=lambda pair: (
            (found := phoenix.get(phrase_tokens(pair[1]))) is None
            or found.name != " ".join(phrase_tokens(pair[1]))
        ),
    )
    for actor, name in ranked:
        found = phoenix.get(phrase_tokens(name))
        if found is not None and _same_kind(actor, found.code, name):
            by_main.setdefault(found.name, actor)
            if actor.kind == "State" and len(found.code) == 3:
                by_code.setdefault(found.code, actor)
            if actor.kind in ("InternationalOrganization", "Organization"):
                by_code.setdefault(found.code, actor)
    coded: dict[str, Actor] = {}
    for actor, _ in graph_names:
        coded.setdefault(actor.key, actor)
    for main, actor in by_main.items():
        entry = phoenix.get(phrase_tokens(main))
        if entry is not None and actor.code is None:
            coded[actor.key] = replace(coded[actor.key], code=entry.code)
    for actor, name in graph_names:
        final = coded[actor.key]
        lex.actors[final.key] = final
        lex.add(phrase_tokens(name), final)
        if final.kind == "Actor":
            for adjective in demonyms(name):
                lex.add(phrase_tokens(adjective), final)
    if graph is not None:
        _add_places(lex, graph, on, phoenix, by_code)
    _add_phoenix(lex, phoenix, by_main, by_code)
    return lex


def _add_phoenix(
    lex: ActorLexicon,
    phoenix: dict[tuple[str, ...], PhoenixActor],
    by_main: dict[str, Actor],
    by_code: dict[str, Actor],
) -> None:
    """The Phoenix phrases: those naming a graph actor (by main name or code) resolve to it, the
    rest are Phoenix actors with the state of their country."""
    country_names = {p.code: p.name for p in phoenix.values() if len(p.code) == 3}
    for words, entry in phoenix.items():
        if entry.name in by_main:
            lex.add(words, lex.actors[by_main[entry.name].key], exact=entry.exact)
            continue
        mapped = by_code.get(entry.code)
        if mapped is not None and (len(entry.code) == 3 or entry.code.startswith("IGO")):
            lex.add(words, lex.actors[mapped.key], exact=entry.exact)
            continue
        country = by_code.get(entry.country)
        if len(entry.code) == 3:
            kind = "State"
        elif entry.country == "IGO":
            kind = "InternationalOrganization"
        else:
            kind = "Official" if len(phrase_tokens(entry.name)) >= 2 else "Organization"
        label = entry.name.title()
        state = country.key if country is not None else None
        if state is None and entry.country in country_names:
            state = "phoenix:" + country_names[entry.country]
        actor = Actor(
            key="phoenix:" + entry.name,
            label=label,
            kind=kind,
            code=entry.code,
            state=state if kind != "State" else "phoenix:" + entry.name,
        )
        actor = lex.actors.setdefault(actor.key, actor)
        lex.add(words, actor, exact=entry.exact)
    for code, name in country_names.items():
        key = "phoenix:" + name
        if key not in lex.actors and code not in by_code:
            lex.actors[key] = Actor(key, name.title(), "State", code=code, state=key)


__all__ = ["ACTOR_TYPES", "TOPIC_TYPES", "Actor", "ActorLexicon", "actor_lexicon"]
