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

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import PROV

from diplograph import __version__, iri
from diplograph.errors import ExtractError, Problem, ValidationError
from diplograph.graph.extract.actors import Actor, actor_lexicon
from diplograph.graph.extract.coder import Coder, Event
from diplograph.graph.extract.dictionaries import DICTIONARY_FILES
from diplograph.graph.extract.text import Article, clauses, sentences
from diplograph.graph.records import SCHEMA_PATH
from diplograph.ontology.codes import cameo_codes
from diplograph.provenance import sha256_of

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


def dictionaries() -> list[tuple[str, str]]:
    """The dictionary files the coder used: (file name, sha256)."""
    return [(p.name, sha256_of([p])) for p in DICTIONARY_FILES if p.exists()]


def _local(actor: Actor) -> str:
    base = actor.path or actor.key.split(":", 1)[-1]
    return iri.slug(base.rsplit("/", 1)[-1])


def _quote(text: str) -> str | None:
    m = re.search(r"['‘\"“]([^'’\"”]{3,80})['’\"”]", text)
    return m.group(1) if m else None


def draft_article(
    article: Article,
    *,
    slug: str,
    graph: DiploGraph | None = None,
    coder: Coder | None = None,
    date: str | None = None,
) -> Draft:
    """Code ``article`` and make its draft records (``slug`` names the article; ``date``, its
    publication day ``YYYY-MM-DD`` when known, picks the roles and posts held that day)."""
    coder = coder or Coder(actor_lexicon(graph, on=date))
    entities: dict[str, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    events: list[Event] = []
    warnings = list(article.warnings)

    def declare(actor: Actor) -> str:
        local = _local(actor)
        if local not in entities:
            entity: dict[str, Any] = {"type": actor.kind, "label": actor.label}
            if actor.path:
                entity["iri"] = actor.path
            else:
                entity["note"] = (
                    f"From the Phoenix actor dictionary (code {actor.code}), not found in the "
                    "store: check the label, which mints the IRI (a state is state/<COW name>)."
                )
            if actor.kind == "GovernmentBody":
                state = coder.lexicon.actors.get(actor.state or "")
                if state is None:
                    entity["type"] = "Organization"
                else:
                    entity["government_of"] = declare(state)
            entities[local] = entity
        return local

    sections = [name for name in dict.fromkeys(s for s, _ in article.sections) if name]
    spans: dict[str, list[tuple[int, int]]] = {}
    cursor = 0
    for section, paragraph in article.sections:
        previous: Actor | None = None  # a pronoun continues the paragraph's last source
        for sentence in sentences(paragraph):
            for clause in clauses(sentence):
                found = coder.code(clause, previous=previous)
                for event in found:
                    previous = event.source
                    if event.speaker is None or event.speaker.kind in ("Post",):
                        continue
                    if event.speaker.topic:
                        continue
                    events.append(event)
                    claim = _claim(event, len(claims) + 1, section, declare, coder)
                    at = article.text.find(event.text, cursor)
                    at = at if at >= 0 else article.text.find(event.text)
                    span = (at, at + len(event.text))
                    same = _repeated(claims, claim)
                    if same is None:
                        claims.append(claim)
                        spans[claim["id"]] = [span]
                    elif section and section not in _sections(same):
                        # the article repeats a statement in another section: one claim
                        same["section"] = [*_sections(same), section]
                        spans[same["id"]].append(span)
                    cursor = max(cursor, span[1])
    if not claims:
        warnings.append("No event-bearing sentence with a known actor was found; nothing drafted.")
    article_record: dict[str, Any] = {"id": slug, "title": article.title, "language": "en"}
    if date is not None:
        article_record["date"] = date
    if sections:
        article_record["sections"] = sections
    article_record["text"] = article.text
    records = {"format": 1, "article": article_record, "entities": entities, "claims": claims}
    return Draft(records, events, warnings, spans)


def _sections(claim: dict[str, Any]) -> list[str]:
    value = claim.get("section", [])
    return list(value) if isinstance(value, list) else [value]


def _repeated(claims: list[dict[str, Any]], claim: dict[str, Any]) -> dict[str, Any] | None:
    """An earlier claim of another section with the same speaker, event type and targets: a
    summary section and a detailed one telling the same statement."""
    for other in claims:
        if (
            other["speaker"] == claim["speaker"]
            and other["event_type"] == claim["event_type"]
            and other.get("targets") == claim.get("targets")
            and claim.get("section") not in _sections(other)
        ):
            return other
    return None


def _claim(event: Event, n: int, section: str | None, declare: Any, coder: Coder) -> dict[str, Any]:
    speaker = event.speaker
    assert speaker is not None
    claim: dict[str, Any] = {"id": f"c{n}"}
    claim["label"] = f"{speaker.label}: {event.verb.lower()} ({event.code})"
    if speaker.kind in _ANALYST:
        claim["kind"] = "analyst assessment"
    else:
        claim["kind"] = "official statement"
    claim["speaker"] = declare(speaker)
    state = coder.lexicon.actors.get(speaker.state or "")
    if claim["kind"] == "official statement" and state is not None and state.kind == "State":
        claim["on_behalf_of"] = declare(state)
    claim["event_type"] = event.code
    targets: list[str] = []
    for target in event.targets or ([event.target] if event.target else []):
        if target.key == speaker.key:
            continue
        targets.append(declare(target))
        t_state = coder.lexicon.actors.get(target.state or "")
        if target.kind in ("Official", "Person") and t_state is not None:
            targets.append(declare(t_state))
    if targets:
        claim["targets"] = list(dict.fromkeys(targets))
    about = [declare(t) for t in event.topics if t.path]
    if about:
        claim["about"] = list(dict.fromkeys(about))
    if section:
        claim["section"] = section
    claim["paraphrase"] = event.text
    quote = _quote(event.text)
    if quote:
        claim["quote"] = quote
    claim["confidence"] = event.confidence
    return claim


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with the article's text as a literal block (its lines as in the file)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = (
        "|"
        if "\n" in value and not any(line != line.rstrip() for line in value.split("\n"))
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def draft_yaml(draft: Draft, *, source: str) -> str:
    """The draft as a claim-record YAML file, with a header saying how it was made."""
    head = [
        f"# yaml-language-server: $schema={SCHEMA_PATH.as_posix()}",
        f"# DRAFT drafted by {CODER_VERSION} from {source}: review every claim before ingesting.",
        "# Dictionaries (graph/data/coder/, sha256):",
        *(f"#   {name} {digest}" for name, digest in dictionaries()),
        "# Confidence: 0.4 base, +0.2 a verb pattern matched, +0.1 speaker known to the graph,",
        "# +0.1 a target found. Format: docs/claim-records.md.",
    ]
    body = yaml.dump(draft.records, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + _annotate(body, draft)


_CLAIM_LINE = re.compile(r"^- id: (c\d+)$")
_CODE_LINE = re.compile(r"^  event_type: '(\d+)'$")


def _annotate(body: str, draft: Draft) -> str:
    """Comments for the reviewer: where each claim was coded from (character spans of the
    article's text) and what its CAMEO code means, with its PLOVER type."""
    codes = cameo_codes()
    out: list[str] = []
    for line in body.split("\n"):
        m = _CLAIM_LINE.match(line)
        if m and m.group(1) in draft.spans:
            where = ", ".join(f"{a}-{b}" for a, b in draft.spans[m.group(1)])
            out.append(f"# {m.group(1)}: coded from characters {where} of the article's text")
        m = _CODE_LINE.match(line)
        if m and m.group(1) in codes:
            code = codes[m.group(1)]
            plover = f"PLOVER {code.plover}" if code.plover else "no single PLOVER type"
            line = f"{line}  # {code.label}; {plover}"
        out.append(line)
    return "\n".join(out)


def accept(graph: DiploGraph, path: Path, *, origin: str) -> tuple[URIRef, int]:
    """Load a draft file into ``graph`` as the article's graph, every claim marked
    ``dg:machineCoded true``; refuses an article the store already has (a reviewed one)."""
    from diplograph.graph.load.ingest import shacl_problems
    from diplograph.graph.records import KnownIn, load_records, source_of
    from diplograph.graph.records.rdf import record_triples

    records = load_records(path, known=KnownIn(graph))
    if graph.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": records.graph}).boolean:
        raise ExtractError(
            [
                Problem(
                    str(path),
                    f"the store already has the article graph <{records.graph}>; "
                    "machine-coded claims never replace it. Give the draft another article id.",
                )
            ]
        )
    triples = record_triples(records)
    triples += [(c.iri, iri.ONTOLOGY.machineCoded, Literal(True)) for c in records.claims]
    problems = shacl_problems(triples)
    if problems:
        raise ValidationError([Problem(str(path), p) for p in problems])
    source = source_of(records)
    extra = [(PROV.wasAttributedTo, Literal(CODER_VERSION))]
    extra += [(PROV.used, Literal(f"{name} sha256:{digest}")) for name, digest in dictionaries()]
    source = replace(
        source,
        title=f"Machine-coded claims of {records.slug} (not reviewed): {records.title}",
        origin=origin,
        extra=tuple(extra),
    )
    return source.graph, graph.replace_graph(source, triples)


__all__ = ["CODER_VERSION", "Draft", "accept", "dictionaries", "draft_article", "draft_yaml"]
