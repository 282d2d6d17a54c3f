"""Writing a draft as a claim-record YAML file for review (:func:`draft_yaml`), and accepting
one into the store as machine-coded claims (:func:`accept`)."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import PROV

from diplograph import iri
from diplograph.errors import ExtractError, Problem, ValidationError
from diplograph.graph.extract.dictionaries import DICTIONARY_FILES
from diplograph.graph.extract.draft import CODER_VERSION, Draft
from diplograph.graph.records import SCHEMA_PATH
from diplograph.ontology.codes import cameo_codes
from diplograph.provenance import sha256_of

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph


def dictionaries() -> list[tuple[str, str]]:
    """The dictionary files the coder used: (file name, sha256)."""
    return [(p.name, sha256_of([p])) for p in DICTIONARY_FILES if p.exists()]


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


def records_yaml(data: object) -> str:
    """Claim records as YAML in the drafts' style (the article's text as a literal block), for
    a draft and for a reviewed draft written back (:mod:`diplograph.graph.records.drafts`)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def draft_yaml(draft: Draft, *, source: str) -> str:
    """The draft as a claim-record YAML file, with a header saying how it was made."""
    head = [
        f"# yaml-language-server: $schema={SCHEMA_PATH.as_posix()}",
        f"# DRAFT drafted by {CODER_VERSION} from {source}: review every claim before ingesting.",
        "# Dictionaries (graph/data/coder/, sha256):",
        *(f"#   {name} {digest}" for name, digest in dictionaries()),
        "# Confidence: 0.4 base, +0.2 a verb pattern matched, +0.1 speaker known to the graph,",
        "# +0.1 a target found. Every claim: review (pending until accepted or rejected), span",
        "# (characters of the article's text it was coded from), rule (what coded it). Entities",
        "# noted REVIEW are new: check them. Format: docs/claim-records.md, docs/extract.md.",
    ]
    body = records_yaml(draft.records)
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


#: The review fields of a drafted claim (review, span, rule): what the reviewer decided, where in
#: the text and by which rule it was coded.
REVIEW_FIELDS = ("review", "span", "rule")


@contextmanager
def loadable(path: Path) -> Iterator[Path]:
    """The draft as the records loader reads it: claims a reviewer rejected left out, and the
    review fields too while the records schema does not know them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list) or not any(
        isinstance(c, dict) and any(f in c for f in REVIEW_FIELDS) for c in claims
    ):
        yield path
        return
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    known = schema["$defs"]["claim"].get("properties", {})
    kept = [c for c in claims if not (isinstance(c, dict) and c.get("review") == "rejected")]
    for claim in kept:
        for name in REVIEW_FIELDS:
            if name not in known and isinstance(claim, dict):
                claim.pop(name, None)
    data["claims"] = kept
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        yield copy


def accept(graph: DiploGraph, path: Path, *, origin: str) -> tuple[URIRef, int]:
    """Load a draft file into ``graph`` as the article's graph, every claim marked
    ``dg:machineCoded true``; refuses an article the store already has (a reviewed one)."""
    from diplograph.graph.load.shacl import shacl_problems
    from diplograph.graph.records import KnownIn, load_records, source_of
    from diplograph.graph.records.rdf import record_triples

    with loadable(path) as readable:
        records = load_records(readable, known=KnownIn(graph), location=str(path))
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


__all__ = ["REVIEW_FIELDS", "accept", "dictionaries", "draft_yaml", "loadable", "records_yaml"]
