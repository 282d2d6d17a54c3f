"""A deterministic generator of N-Triples in diplograph's claim model, for load benchmarks and
the crash-safety test of ingest.

Claims (``dg:OfficialStatement``) by persons on behalf of states, with CAMEO event types,
targets, dates, paraphrases and sources, about 12 triples per claim; IRIs are minted by
:mod:`diplograph.iri`. The same ``seed`` and ``triples`` give the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

from diplograph import iri

_DG = str(iri.ONTOLOGY)
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DAY = "<http://www.w3.org/2006/time#unitDay>"
_CODES = (
    "010",
    "012",
    "0311",
    "036",
    "040",
    "043",
    "046",
    "051",
    "057",
    "111",
    "112",
    "120",
    "1211",
    "125",
    "130",
    "138",
    "172",
    "190",
)
_WORDS = (
    "talks",
    "sanctions",
    "ceasefire",
    "security",
    "guarantees",
    "treaty",
    "border",
    "troops",
    "negotiations",
    "proposal",
    "principles",
    "sovereignty",
    "summit",
    "trade",
)


def _dg(name: str) -> str:
    return f"<{_DG}{name}>"


def generate(path: Path, *, triples: int = 1_000_000, seed: int = 20240101) -> int:
    """Write about ``triples`` N-Triples lines to ``path``; returns the exact number written."""
    rng = random.Random(seed)
    states = [f"<{iri.entity('state', f'state-{i:03d}')}>" for i in range(200)]
    persons = [f"<{iri.entity('person', f'person-{i:04d}')}>" for i in range(2000)]
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for i, s in enumerate(states):
            out.write(f'{s} {_RDF_TYPE} {_dg("State")} .\n{s} {_LABEL} "State {i}"@en .\n')
            written += 2
        for i, p in enumerate(persons):
            out.write(f'{p} {_RDF_TYPE} {_dg("Person")} .\n{p} {_LABEL} "Person {i}"@en .\n')
            written += 2
        n = 0
        while written < triples:
            article = f"bench-article-{n // 50:06d}"
            c = f"<{iri.claim(article, n % 50 + 1)}>"
            speaker, state, target = rng.choice(persons), rng.choice(states), rng.choice(states)
            code = rng.choice(_CODES)
            date = f"{rng.randint(1990, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 12)))
            lines = (
                f"{c} {_RDF_TYPE} {_dg('OfficialStatement')} .",
                f"{c} {_dg('speaker')} {speaker} .",
                f"{c} {_dg('onBehalfOf')} {state} .",
                f"{c} {_dg('eventType')} <{iri.cameo(code)}> .",
                f"{c} {_dg('target')} {target} .",
                f'{c} {_dg("date")} "{date}"^^<{_XSD}date> .',
                f"{c} {_dg('datePrecision')} {_DAY} .",
                f'{c} {_dg("paraphrase")} "Claim {n} on {words}."@en .',
                f"{c} {_dg('source')} <{iri.entity('article', article)}> .",
                f'{c} {_dg("confidence")} "{rng.random():.3f}"^^<{_XSD}decimal> .',
                f'{c} {_LABEL} "claim {n}"@en .',
                f'{c} {_dg("machineCoded")} "true"^^<{_XSD}boolean> .',
            )
            out.write("\n".join(lines) + "\n")
            written += len(lines)
            n += 1
    return written
