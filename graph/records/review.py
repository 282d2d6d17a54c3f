"""Review of drafted claims: the ``review``, ``span`` and ``rule`` fields, and what accepting
unreviewed claims writes.

A claim the event coder drafted carries ``review: pending`` (not yet reviewed), the character
``span`` of the article text it was coded from and the coder ``rule`` that coded it. An analyst
turns ``pending`` into ``accepted`` (the claim then loads as if written by hand) or ``rejected``
(it is never loaded). A claim without ``review`` was written by hand.

:func:`check_review` is the part of the record checks about these fields (a span inside the text,
no link to a rejected claim); :func:`coder_of` reads the coder's name and version from a draft's
header comment (``# DRAFT drafted by diplograph-coder 0.1.0 from ...``, written by
:func:`diplograph.graph.extract.draft_yaml`); :func:`machine_coded_triples` says what ingesting
pending claims without review adds: ``dg:machineCoded true``, the rule (``dg:codingRule``) and a
PROV activity of the coder (``prov:wasGeneratedBy``), in the article's own graph.

>>> coder_of("# DRAFT drafted by diplograph-coder 0.1.0 from a.txt: review it.\\nformat: 1")
'diplograph-coder 0.1.0'
>>> coder_of("format: 2\\n") is None
True
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS

from diplograph import iri
from diplograph.graph.records.model import CLAIM_LINKS, ClaimRecord, RecordFile, as_list
from diplograph.graph.records.yaml_lines import LineDict, LineList
from diplograph.provenance import Triple

if TYPE_CHECKING:
    from diplograph.graph.records.schema import Reporter

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
#: The review states, in the order a reviewer meets them.
STATES = (PENDING, ACCEPTED, REJECTED)
#: The header line a draft names its coder in (``draft_yaml``); only comments before the first
#: key are read.
_CODER = re.compile(r"^#\s*DRAFT drafted by (?P<coder>.+?) from ", re.M)


def review_of(claim: object) -> str:
    """The review state of a claim's data: ``accepted`` when it has none (written by hand)."""
    value = claim.get("review") if isinstance(claim, dict) else None
    return value if value in STATES else ACCEPTED


def coder_of(text: str) -> str | None:
    """The coder (name and version) a draft's header comment names, if it names one."""
    head = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        head.append(line)
    found = _CODER.search("\n".join(head))
    return found.group("coder").strip() if found else None


def check_review(reporter: Reporter, text: str | None) -> set[str]:
    """Report spans outside the article's text (or backwards) and links to rejected claims;
    returns the ids of the rejected claims (which are not loaded)."""
    raw = reporter.data.get("claims")
    claims = [c for c in raw if isinstance(c, LineDict)] if isinstance(raw, LineList) else []
    rejected = {str(c.get("id")) for c in claims if c.get("review") == REJECTED}
    for claim in claims:
        record = f"claim {claim.get('id')}"
        span = _two_offsets(claim.get("span"))
        if span is not None and text is not None:
            start, end = span
            if start >= end:
                reporter.add(
                    claim.key_lines["span"],
                    record,
                    "span",
                    f"[{start}, {end}] is empty or backwards: the start must be before the end",
                )
            elif end > len(text):
                reporter.add(
                    claim.key_lines["span"],
                    record,
                    "span",
                    f"[{start}, {end}] ends after the article text ({len(text)} characters)",
                )
        if claim.get("review") == REJECTED:
            continue
        for link in CLAIM_LINKS:
            for other in as_list(claim.get(link)):
                if str(other) in rejected:
                    reporter.add(
                        claim.key_lines[link],
                        record,
                        link,
                        f"refers to claim {other}, which is rejected (rejected claims are "
                        "not loaded): remove the link or review that claim again",
                    )
    return rejected


def _two_offsets(span: Any) -> tuple[int, int] | None:
    """A span of the right form (the schema reports others), as ``(start, end)``."""
    if (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in span)
    ):
        return span[0], span[1]
    return None


def pending_claims(records: RecordFile) -> list[ClaimRecord]:
    """The claims of a checked file that nobody has reviewed yet."""
    return [c for c in records.claims if review_of(c.data) == PENDING]


def machine_coded_triples(records: RecordFile, coder: str) -> list[Triple]:
    """What loading the pending claims of ``records`` unreviewed adds to the article's graph:
    each is ``dg:machineCoded true``, keeps its ``rule`` as ``dg:codingRule`` and was generated
    (``prov:wasGeneratedBy``) by the article's coding activity, which used the article and was
    associated with the coder (a ``prov:SoftwareAgent`` with its version)."""
    pending = pending_claims(records)
    if not pending:
        return []
    dg = iri.ONTOLOGY
    activity, agent = iri.coding_activity(records.slug), iri.software(coder)
    out: list[Triple] = [
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"Coding of {records.slug} by {coder}", lang="en")),
        (activity, PROV.used, records.iri),
        (activity, PROV.wasAssociatedWith, agent),
        (agent, RDF.type, PROV.SoftwareAgent),
        (agent, RDFS.label, Literal(coder)),
    ]
    for claim in pending:
        out += [
            (claim.iri, dg.machineCoded, Literal(True)),
            (claim.iri, PROV.wasGeneratedBy, activity),
        ]
        if isinstance(claim.data.get("rule"), str):
            out.append((claim.iri, dg.codingRule, Literal(claim.data["rule"])))
    return out


__all__ = [
    "ACCEPTED",
    "PENDING",
    "REJECTED",
    "STATES",
    "check_review",
    "coder_of",
    "machine_coded_triples",
    "pending_claims",
    "review_of",
]
