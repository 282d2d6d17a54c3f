"""Code lists as SKOS concept schemes: CAMEO event types, PLOVER event types, and diplograph's
own small schemes (quad class, membership status, alliance obligations, US mission status,
rivalry types, role types).

- CAMEO (named graph ``graph/codes/cameo``): every code of the bundled GDELT CAMEO table
  (``data/cameo/``) is a ``skos:Concept`` at :func:`diplograph.iri.cameo` with its
  ``skos:notation`` (leading zeros kept), ``skos:prefLabel``, ``skos:broader`` (``0311`` → ``031``
  → ``03``; the twenty roots are ``skos:topConceptOf`` the scheme), ``dg:goldsteinScore`` and
  ``dg:quadClass``. The four quad-class concepts are in the same graph.
- PLOVER (named graph ``graph/codes/plover``): the event types of the CAMEO→PLOVER crosswalk
  (``data/plover/``) at :func:`diplograph.iri.plover`, and the crosswalk itself as
  ``skos:broadMatch`` from a CAMEO concept to its PLOVER type, with ``dg:ploverMode`` and
  ``dg:ploverContext`` where the table gives them. ``broadMatch`` rather than ``closeMatch``: a
  PLOVER type groups many CAMEO codes (AGREE covers all 29 codes of CAMEO 03 and more), which
  the table qualifies by mode and context, so the PLOVER concept is the broader one.
- Small schemes (named graph ``graph/codes/schemes``), defined in
  :mod:`diplograph.ontology.schemes` and re-exported here: :data:`QUAD_CLASS`,
  :data:`MEMBERSHIP_STATUS`, :data:`ALLIANCE_OBLIGATION`, :data:`MISSION_STATUS`,
  :data:`RIVALRY_TYPE`, :data:`ROLE_TYPE`; importers take their IRIs from there.

>>> cameo_codes()["0311"].label
'Express intent to cooperate economically'
>>> cameo_codes()["1212"].quad_class_name
'verbal-conflict'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from diplograph import iri
from diplograph.ontology.schemes import (
    ALLIANCE_OBLIGATION,
    MEMBERSHIP_STATUS,
    MISSION_STATUS,
    QUAD_CLASS,
    RIVALRY_TYPE,
    ROLE_TYPE,
    SMALL_SCHEMES,
    Concept,
    Scheme,
    quad_class_of_root,
)
from diplograph.provenance import Source, Triple, sha256_of

DG = iri.ONTOLOGY
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
GPL_3 = "https://www.gnu.org/licenses/gpl-3.0.html"

CAMEO_FILE = "data/cameo/gdeltPyR_cameoCodes.json"
PLOVER_FILE = "data/plover/CAMEO2PLOVER-2021.txt"

CAMEO_CITATION = (
    "Gerner, Schrodt, Yilmaz and Abu-Jabr. 2002. Conflict and Mediation Event Observations "
    "(CAMEO). Code table and Goldstein scores as published by GDELT (via the gdelt 0.1.14 package)."
)
PLOVER_CITATION = (
    "Schrodt, Philip A. et al. 2021. PLOVER: Political Language Ontology for Verifiable Event "
    "Records, manual draft 0.8. Open Event Data Alliance. CAMEO2PLOVER-2021.txt."
)

_CODE = re.compile(r"^(\d{2,4})([a-z]?)$")


# --------------------------------------------------------------------------------------------
# CAMEO and PLOVER
# --------------------------------------------------------------------------------------------

CAMEO_SCHEME = iri.scheme("cameo")
PLOVER_SCHEME = iri.scheme("plover")


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code with what the bundled tables say about it."""

    code: str  # as in the table, leading zeros kept: "0311"
    label: str
    goldstein: Decimal
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    parent: str | None  # the broader code, None for the twenty roots
    plover_types: tuple[str, ...] = ()  # PLOVER types of the crosswalk (two for root 08)
    plover_mode: str | None = None
    plover_contexts: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return iri.cameo(self.code)

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class_name(self) -> str:
        """``verbal-cooperation``, ``material-cooperation``, ``verbal-conflict`` or
        ``material-conflict``."""
        return QUAD_CLASS.concepts[self.quad_class - 1].key

    @property
    def plover(self) -> str | None:
        """The PLOVER type when the crosswalk gives exactly one, else None."""
        return self.plover_types[0] if len(self.plover_types) == 1 else None


@dataclass(frozen=True)
class _Crosswalk:
    types: tuple[str, ...]
    mode: str | None
    contexts: tuple[str, ...]


def _read(name: str) -> bytes:
    return resources.files("diplograph.ontology").joinpath(name).read_bytes()


def _label(text: str) -> str:
    # root codes are upper case in the table ("MAKE PUBLIC STATEMENT"); the original is kept as
    # an altLabel, the prefLabel is in sentence case like the other codes
    return text[:1] + text[1:].lower() if text.isupper() else text


def _parent(code: str, known: Iterable[str]) -> str | None:
    m = _CODE.match(code)
    if m is None:
        raise ValueError(f"{CAMEO_FILE}: {code!r} is not a CAMEO code.")
    digits, suffix = m.groups()
    if len(digits) == 2:
        # a two-digit code is a root; a lettered variant of a root ("13y") sits under it
        return digits if suffix else None
    parent = digits[:-1]
    return parent if parent in set(known) else None


@cache
def _crosswalk() -> dict[str, _Crosswalk]:
    out: dict[str, _Crosswalk] = {}
    text = _read(PLOVER_FILE).decode("utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("~"):
            continue
        code, sep, rest = line.partition(":")
        code = code.strip()
        if not sep or not _CODE.match(code):
            raise ValueError(f"{PLOVER_FILE}:{number}: cannot read {raw!r} as 'CODE: TYPE, ...'.")
        fields = [f.strip() for f in rest.split(",")]
        ptype = fields[0].upper()
        mode = fields[1] if len(fields) > 1 and fields[1] else None
        contexts = (
            tuple(c.strip() for c in fields[2].split(";") if c.strip()) if len(fields) > 2 else ()
        )
        old = out.get(code)
        if old is not None and ptype not in old.types:
            # root 08 is listed twice, as CONCEDE and as RETREAT
            out[code] = _Crosswalk((*old.types, ptype), old.mode or mode, old.contexts)
        elif old is None:
            out[code] = _Crosswalk((ptype,), mode, contexts)
    return out


@cache
def cameo_codes() -> dict[str, CameoCode]:
    """Every CAMEO code of the bundled table, by code (``"0311"``), in table order."""
    table = json.loads(_read(CAMEO_FILE))
    labels: dict[str, str] = table["Description"]
    scores: dict[str, str] = table["GoldsteinScale"]
    walk = _crosswalk()
    out: dict[str, CameoCode] = {}
    for code in table["cameoCode"]:
        cw = walk.get(code)
        out[code] = CameoCode(
            code=code,
            label=_label(labels[code].strip()),
            goldstein=Decimal(scores[code]),
            quad_class=QUAD_CLASS.concepts.index(quad_class_of_root(int(code[:2]))) + 1,
            parent=_parent(code, table["cameoCode"]),
            plover_types=cw.types if cw else (),
            plover_mode=cw.mode if cw else None,
            plover_contexts=cw.contexts if cw else (),
        )
    return out


def is_cameo_code(code: str) -> bool:
    """True if ``code`` is a code of the CAMEO table (``"0311"`` yes, ``"311"`` no)."""
    return code in cameo_codes()


def plover_types() -> list[str]:
    """The PLOVER event types named by the crosswalk, sorted."""
    return sorted({t for cw in _crosswalk().values() for t in cw.types})


@cache
def _cameo_triples() -> tuple[Triple, ...]:
    s = CAMEO_SCHEME
    table = json.loads(_read(CAMEO_FILE))
    out: list[Triple] = [
        (s, RDF.type, SKOS.ConceptScheme),
        (s, SKOS.prefLabel, Literal("CAMEO event codes", lang="en")),
        (
            s,
            SKOS.definition,
            Literal(
                "The Conflict and Mediation Event Observations (CAMEO) event codes with their "
                "Goldstein scores and quad classes.",
                lang="en",
            ),
        ),
        (s, DCTERMS.bibliographicCitation, Literal(CAMEO_CITATION)),
    ]
    for code in cameo_codes().values():
        c = code.iri
        out += [
            (c, RDF.type, SKOS.Concept),
            (c, SKOS.inScheme, s),
            (c, SKOS.notation, Literal(code.code)),
            (c, SKOS.prefLabel, Literal(code.label, lang="en")),
            (c, DG.goldsteinScore, Literal(code.goldstein, datatype=XSD.decimal)),
            (c, DG.quadClass, QUAD_CLASS.concepts[code.quad_class - 1].iri),
        ]
        original = table["Description"][code.code].strip()
        if original != code.label:
            out.append((c, SKOS.altLabel, Literal(original, lang="en")))
        if code.parent is None:
            out += [(c, SKOS.topConceptOf, s), (s, SKOS.hasTopConcept, c)]
        else:
            out += [
                (c, SKOS.broader, iri.cameo(code.parent)),
                (iri.cameo(code.parent), SKOS.narrower, c),
            ]
        if not code.code.isdigit():
            out.append(
                (
                    c,
                    RDFS.comment,
                    Literal("A lettered variant code of GDELT's CAMEO table.", lang="en"),
                )
            )
    out.extend(QUAD_CLASS.triples())
    return tuple(out)


@cache
def _plover_triples() -> tuple[Triple, ...]:
    s = PLOVER_SCHEME
    out: list[Triple] = [
        (s, RDF.type, SKOS.ConceptScheme),
        (s, SKOS.prefLabel, Literal("PLOVER event types", lang="en")),
        (
            s,
            SKOS.definition,
            Literal(
                "The event types of the Political Language Ontology for Verifiable Event Records "
                "(PLOVER), with the crosswalk from CAMEO codes.",
                lang="en",
            ),
        ),
        (s, DCTERMS.bibliographicCitation, Literal(PLOVER_CITATION)),
    ]
    for name in plover_types():
        p = iri.plover(name)
        out += [
            (p, RDF.type, SKOS.Concept),
            (p, SKOS.inScheme, s),
            (p, SKOS.topConceptOf, s),
            (s, SKOS.hasTopConcept, p),
            (p, SKOS.notation, Literal(name)),
            (p, SKOS.prefLabel, Literal(name.lower(), lang="en")),
        ]
    codes = cameo_codes()
    for code, cw in _crosswalk().items():
        if code not in codes:
            continue  # every crosswalk code is in the CAMEO table (checked by a test)
        c = iri.cameo(code)
        out.extend((c, SKOS.broadMatch, iri.plover(t)) for t in cw.types)
        if cw.mode:
            out.append((c, DG.ploverMode, Literal(cw.mode)))
        out.extend((c, DG.ploverContext, Literal(ctx)) for ctx in cw.contexts)
    return tuple(out)


def _schemes_triples() -> list[Triple]:
    return [t for sch in SMALL_SCHEMES if sch is not QUAD_CLASS for t in sch.triples()]


def code_sources() -> list[tuple[Source, Iterable[Triple]]]:
    """The code lists as ``(Source, triples)`` parts for :func:`diplograph.graph.load.build.build`:
    CAMEO (with the quad classes), PLOVER (with the crosswalk) and the small schemes."""
    cameo_bytes = _read(CAMEO_FILE)
    plover_bytes = _read(PLOVER_FILE)
    cameo = Source(
        graph=iri.codes_graph("cameo"),
        title="CAMEO event codes",
        kind="codes",
        origin="diplograph/ontology/" + CAMEO_FILE,
        content_hash=sha256_of(data=cameo_bytes),
        citation=CAMEO_CITATION,
        license=GPL_3,
        rows_read=len(cameo_codes()),
    )
    plover = Source(
        graph=iri.codes_graph("plover"),
        title="PLOVER event types and the CAMEO to PLOVER crosswalk",
        kind="codes",
        origin="diplograph/ontology/" + PLOVER_FILE,
        content_hash=sha256_of(data=plover_bytes),
        citation=PLOVER_CITATION,
        license=CC_BY_SA,
        version="draft 0.8 (2021-09-17)",
        rows_read=len(_crosswalk()),
    )
    schemes = Source(
        graph=iri.codes_graph("schemes"),
        title="diplograph concept schemes",
        kind="codes",
        origin="diplograph/ontology/schemes.py",
        content_hash=sha256_of(data=_read("schemes.py")),
        license=CC_BY,
    )
    from diplograph.ontology.topics import topic_file_bytes, topic_triples, topics

    topic_scheme = Source(
        graph=iri.codes_graph("topics"),
        title="diplograph topics",
        kind="codes",
        origin="diplograph/ontology/data/topics.ttl",
        content_hash=sha256_of(data=topic_file_bytes()),
        license=CC_BY,
        rows_read=len(topics()),
    )
    return [
        (cameo, list(_cameo_triples())),
        (plover, list(_plover_triples())),
        (schemes, _schemes_triples()),
        (topic_scheme, topic_triples()),
    ]


__all__ = [
    "ALLIANCE_OBLIGATION",
    "CAMEO_SCHEME",
    "MEMBERSHIP_STATUS",
    "MISSION_STATUS",
    "PLOVER_SCHEME",
    "QUAD_CLASS",
    "RIVALRY_TYPE",
    "ROLE_TYPE",
    "SMALL_SCHEMES",
    "CameoCode",
    "Concept",
    "Scheme",
    "cameo_codes",
    "code_sources",
    "is_cameo_code",
    "plover_types",
]
