"""A deterministic generator of large diplomatic graphs in diplograph's own ontology and claim
model, written as N-Quads, for the side-by-side query benchmark (:mod:`bench.compare`).

What it writes (every IRI minted by :mod:`diplograph.iri`):

- ``graph/ontology`` and ``graph/codes/cameo``: the bundled ontology and CAMEO code list (their
  triples without blank nodes: class and property axioms, the ``skos:broader`` hierarchy,
  Goldstein scores and quad classes), so the catalogue's ``rdfs:subClassOf*`` and
  ``skos:broader*`` paths have something to walk;
- ``graph/dataset/bench-actors``: 200 states, 300 organisations, persons, two posts per state
  with tenures, memberships of states in organisations (dated, with a status), treaties with
  dated participations, summits with participants;
- ``graph/article/bench-batch-NNNNN``: one named graph per batch of 20 synthetic news articles,
  each article with 50 claims (``dg:OfficialStatement``): speaker, the state spoken for, CAMEO
  event type, targets, day-precision date, paraphrase, sometimes a quote, the source article,
  sometimes the summit it was made at, proposals (``dg:about``) and rejections of earlier
  proposals with grounds, and contestations of earlier claims.

About three quarters of the triples are claims. The same ``triples`` and ``seed`` give the same
bytes.

    python -m bench.graphgen OUT.nq [--triples 100000] [--seed 20240101]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import IO

from rdflib import BNode

from diplograph import iri
from diplograph.graph.store.terms import to_oxigraph
from diplograph.ontology.codes import code_sources, is_cameo_code
from diplograph.ontology.load import ontology_sources

_DG = str(iri.ONTOLOGY)
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DAY = "<http://www.w3.org/2006/time#unitDay>"
STATES, ORGS = 200, 300
CLAIMS_PER_ARTICLE, ARTICLES_PER_BATCH = 50, 20
#: CAMEO codes of ordinary claims (cooperative and conflictual), proposals and rejections
_CODES: tuple[str, ...] = ("010", "012", "036", "040", "043", "046", "051", "057", "111")
_CODES += ("112", "130", "138", "172", "190", "020", "0311")
_PROPOSE = ("030", "036", "0311")
_REJECT = ("120", "125", "1211")
_WORDS = (
    *("talks", "sanctions", "ceasefire", "security", "guarantees", "treaty", "border", "troops"),
    *("negotiations", "proposal", "principles", "sovereignty", "summit", "trade", "grain"),
    *("corridor", "energy", "nuclear", "inspection", "observers", "referendum", "withdrawal"),
    *("recognition", "blockade", "aid"),
)
STATUS = [f"<{iri.concept('membership-status', s)}>" for s in ("full", "associate", "observer")]


def _dg(name: str) -> str:
    return f"<{_DG}{name}>"


def state(i: int) -> str:
    return str(iri.entity("state", f"state-{i:03d}"))


def person(i: int) -> str:
    return str(iri.entity("person", f"person-{i:05d}"))


def organization(i: int) -> str:
    return str(iri.entity("organization", f"org-{i:03d}"))


def _date(rng: random.Random, lo: int = 1990, hi: int = 2025) -> str:
    return f"{rng.randint(lo, hi)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _d(value: str) -> str:
    return f'"{value}"^^<{_XSD}date>'


def _words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(lo, hi)))


def _bundled() -> list[str]:
    """The ontology and CAMEO triples without blank nodes, as N-Quads lines."""
    lines: list[str] = []
    parts = [p for p in ontology_sources() if p[0].graph == iri.ONTOLOGY_GRAPH]
    parts += [p for p in code_sources() if p[0].graph == iri.codes_graph("cameo")]
    for source, triples in parts:
        g = f"<{source.graph}>"
        for s, p, o in triples:
            if isinstance(s, BNode) or isinstance(o, BNode):
                continue
            lines.append(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} {g} .")
    return sorted(lines)


class _Writer:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.count = 0

    def quads(self, graph: str, lines: list[str]) -> None:
        g = f"<{graph}>"
        self.fh.write("".join(f"{line} {g} .\n" for line in lines))
        self.count += len(lines)


def _named_actors(persons: int) -> list[str]:
    """The states (each with two posts), organisations and persons, with types and labels."""
    out: list[str] = []
    for i in range(STATES):
        s = f"<{state(i)}>"
        out += [f"{s} {_TYPE} {_dg('State')}", f'{s} {_LABEL} "State {i}"@en']
        for role in ("minister-of-foreign-affairs", "head-of-state"):
            post = f"<{iri.post(f'state-{i:03d}', role)}>"
            out += [
                f"{post} {_TYPE} {_dg('Post')}",
                f"{post} {_dg('postIn')} {s}",
                f'{post} {_LABEL} "{role.replace("-", " ")} of State {i}"@en',
            ]
    for i in range(ORGS):
        o = f"<{organization(i)}>"
        out += [f"{o} {_TYPE} {_dg('InternationalOrganization')}", f'{o} {_LABEL} "Org {i}"@en']
    for i in range(persons):
        p = f"<{person(i)}>"
        out += [f"{p} {_TYPE} {_dg('Person')}", f'{p} {_LABEL} "Person {i}"@en']
    return out


def _membership(rng: random.Random, n: int, dates: list[str]) -> list[str]:
    m = f"<{iri.entity('membership', f'bench-{n}')}>"
    return [
        f"{m} {_TYPE} {_dg('Membership')}",
        f"{m} {_dg('member')} <{state(rng.randrange(STATES))}>",
        f"{m} {_dg('ofOrganization')} <{organization(rng.randrange(ORGS))}>",
        f"{m} {_dg('membershipStatus')} {rng.choice(STATUS)}",
        *(f"{m} {d}" for d in dates),
    ]


def _tenure(rng: random.Random, n: int, dates: list[str], persons: int) -> list[str]:
    t = f"<{iri.entity('tenure', f'bench-{n}')}>"
    role = rng.choice(("minister-of-foreign-affairs", "head-of-state"))
    post = f"<{iri.post(f'state-{rng.randrange(STATES):03d}', role)}>"
    return [
        f"{t} {_TYPE} {_dg('Tenure')}",
        f"{t} {_dg('holder')} <{person(rng.randrange(persons))}>",
        f"{t} {_dg('ofPost')} {post}",
        *(f"{t} {d}" for d in dates),
    ]


def _treaty(rng: random.Random, n: int, dates: list[str]) -> list[str]:
    a = f"<{iri.entity('agreement', f'bench-treaty-{n}')}>"
    out = [f"{a} {_TYPE} {_dg('Treaty')}", f'{a} {_LABEL} "Treaty {n}"@en']
    for j, member in enumerate(rng.sample(range(STATES), rng.randint(2, 8))):
        node = f"<{iri.entity('participation', f'bench-{n}-{j}')}>"
        out += [
            f"{node} {_TYPE} {_dg('Participation')}",
            f"{node} {_dg('participant')} <{state(member)}>",
            f"{node} {_dg('ofAgreement')} {a}",
            *(f"{node} {d}" for d in dates[:1]),
        ]
    return out


def _summit(rng: random.Random, e: str, n: int) -> list[str]:
    return [
        f"{e} {_TYPE} {_dg('Summit')}",
        f'{e} {_LABEL} "Summit {n}"@en',
        *(f"{e} {_dg('participantActor')} <{state(s)}>" for s in rng.sample(range(200), 4)),
    ]


def _actors(rng: random.Random, persons: int, budget: int) -> tuple[list[str], list[str]]:
    """The actors graph's lines (about ``budget``) and the summits' IRIs: the named actors, then
    memberships, tenures, treaties and summits drawn at random until the budget is spent."""
    out = _named_actors(persons)
    summits: list[str] = []
    n = 0
    while len(out) < budget:
        kind = rng.random()
        start = rng.randint(1950, 2024)
        dates = [f"{_dg('startDate')} {_d(f'{start}-{rng.randint(1, 12):02d}-01')}"]
        if rng.random() < 0.6:
            dates.append(f"{_dg('endDate')} {_d(f'{start + rng.randint(1, 30)}-06-30')}")
        if kind < 0.45:
            out += _membership(rng, n, dates)
        elif kind < 0.75:
            out += _tenure(rng, n, dates, persons)
        elif kind < 0.9:
            out += _treaty(rng, n, dates)
        else:
            summits.append(f"<{iri.entity('event', f'bench-summit-{n}')}>")
            out += _summit(rng, summits[-1], n)
        n += 1
    return out, summits


def generate(path: Path, *, triples: int = 100_000, seed: int = 20240101) -> int:
    """Write about ``triples`` quads to ``path`` (N-Quads); returns the exact number written."""
    rng = random.Random(seed)
    persons = max(500, min(20_000, triples // 200))
    actors, summits = _actors(rng, persons, triples // 4)
    codes = (*_CODES, *_PROPOSE, *_REJECT)
    bad = [c for c in codes if not is_cameo_code(c)]
    if bad:
        raise ValueError(f"not CAMEO codes: {bad}")
    with open(path, "w", encoding="utf-8") as fh:
        w = _Writer(fh)
        for line in _bundled():
            fh.write(line + "\n")
            w.count += 1
        w.quads(str(iri.dataset_graph("bench-actors")), actors)
        proposals: list[str] = []
        n = batch = 0
        while w.count < triples:
            batch_slug = f"bench-batch-{batch:05d}"
            lines: list[str] = []
            for a in range(ARTICLES_PER_BATCH):
                slug = f"bench-{batch:05d}-{a:02d}"
                article = f"<{iri.entity('article', slug)}>"
                day = _date(rng)
                lines += [
                    f"{article} {_TYPE} {_dg('NewsArticle')}",
                    f'{article} {_LABEL} "Article {slug}"@en',
                ]
                for k in range(1, CLAIMS_PER_ARTICLE + 1):
                    lines += _claim(rng, slug, k, n, article, day, persons, summits, proposals)
                    n += 1
            w.quads(str(iri.article_graph(batch_slug)), lines)
            batch += 1
    return w.count


def _claim(
    rng: random.Random,
    slug: str,
    k: int,
    n: int,
    article: str,
    day: str,
    persons: int,
    summits: list[str],
    proposals: list[str],
) -> list[str]:
    c = f"<{iri.claim(slug, k)}>"
    speaker = rng.randrange(persons)
    roll = rng.random()
    code = rng.choice(_PROPOSE if roll < 0.05 else _REJECT if roll < 0.1 else _CODES)
    out = [
        f"{c} {_TYPE} {_dg('OfficialStatement')}",
        f"{c} {_dg('speaker')} <{person(speaker)}>",
        f"{c} {_dg('onBehalfOf')} <{state(speaker % STATES)}>",
        f"{c} {_dg('eventType')} <{iri.cameo(code)}>",
        f"{c} {_dg('date')} {_d(day)}",
        f"{c} {_dg('datePrecision')} {_DAY}",
        f'{c} {_dg("paraphrase")} "Claim {n} on {_words(rng, 4, 12)}."@en',
        f"{c} {_dg('source')} {article}",
        f'{c} {_dg("confidence")} "{rng.random():.3f}"^^<{_XSD}decimal>',
        f'{c} {_LABEL} "claim {n}"@en',
    ]
    targets = rng.randint(1, 2)
    out += [f"{c} {_dg('target')} <{state(rng.randrange(STATES))}>" for _ in range(targets)]
    if rng.random() < 0.3:
        out.append(f'{c} {_dg("quote")} "We said {_words(rng, 6, 16)}."@en')
    if summits and rng.random() < 0.1:
        out.append(f"{c} {_dg('madeAt')} {rng.choice(summits)}")
    if n and rng.random() < 0.05:
        out.append(f"{c} {_dg('contests')} <{iri.claim(slug, rng.randint(1, k))}>")
    if code in _PROPOSE:
        p = f"<{iri.entity('proposal', f'bench-{n}')}>"
        proposals.append(p)
        out += [
            f"{p} {_TYPE} {_dg('Offer' if rng.random() < 0.3 else 'Proposal')}",
            f'{p} {_LABEL} "Proposal {n} on {_words(rng, 2, 4)}"@en',
            f"{p} {_dg('proposedBy')} <{state(speaker % STATES)}>",
            f"{c} {_dg('about')} {p}",
        ]
    elif code in _REJECT and proposals:
        out += [
            f"{c} {_dg('about')} {rng.choice(proposals)}",
            f'{c} {_dg("grounds")} "Rejected because of {_words(rng, 2, 6)}."@en',
        ]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args(argv)
    print(f"{generate(args.out, triples=args.triples, seed=args.seed):,} quads in {args.out}")


if __name__ == "__main__":
    main()
