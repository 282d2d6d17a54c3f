"""Two parts of the record checker (:class:`~.check.Checker`) that stand on their own: the IRI an
entity without an explicit ``iri`` is given (:func:`derived_iri`: a post from its organisation
and role, a tenure from its holder and post, an article's author, else the kind and label, an
agreement's label with its year), and the checks of a claim's own fields (:func:`claim_fields`:
CAMEO code, PLOVER type, the article's sections, a quote that must be the article's words)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from diplograph import iri
from diplograph.graph.records.crossref import norm_text
from diplograph.graph.records.dates import parse_date
from diplograph.graph.records.model import EntityType, as_list, last_segment
from diplograph.graph.records.yaml_lines import LineDict

if TYPE_CHECKING:
    from diplograph.graph.records.check import Checker


def derived_iri(
    ck: Checker, ent: LineDict, etype: EntityType, record: str, slug: str
) -> URIRef | None:
    """The IRI of an entity that gives none, or None (a problem is reported where it helps)."""
    line = ent.key_lines.get
    if etype.name == "Post":
        org = ck.resolve(ent.get("post_in"), record, "post_in", line("post_in"))
        if org is None or not isinstance(ent.get("role"), str):
            return None
        try:
            return iri.post(last_segment(org), ent["role"])
        except ValueError:
            return None  # an empty role: reported by the schema
    if etype.name == "Tenure":
        holder = ck.resolve(ent.get("holder"), record, "holder", line("holder"))
        post = ck.resolve(ent.get("post"), record, "post", line("post"))
        if holder is None or post is None:
            return None
        return iri.tenure(slug, last_segment(holder), last_segment(post))
    if etype.name == "Author":
        return iri.article_author(slug)
    if not isinstance(ent.get("label"), str):
        return None
    name = ent["label"]
    try:
        year = parse_date(ent.get("adoption_date"))
    except ValueError:
        year = None
    if etype.group == "agreement" and year and str(year.year) not in name:
        name = f"{name} {year.year}"
    try:
        return iri.entity(etype.kinds[0], name)
    except ValueError as exc:
        ck.add(ent.key_lines["label"], record, "label", str(exc))
        return None


def claim_fields(
    ck: Checker, claim: LineDict, i: int, record: str, text: str | None, sections: Any
) -> None:
    """Check claim ``i``'s CAMEO code, PLOVER type, sections and quote (values the schema has
    already reported are skipped)."""
    from diplograph.ontology.codes import cameo_codes, plover_types

    k = claim.key_lines.get
    code = claim.get("event_type")
    bad_code = ck.flagged("claims", i, "event_type")
    if isinstance(code, str) and not bad_code and code not in cameo_codes():
        ck.add(k("event_type"), record, "event_type", f"{code} is not a CAMEO code")
    plover = claim.get("plover")
    bad_plover = ck.flagged("claims", i, "plover")
    if isinstance(plover, str) and not bad_plover and plover not in plover_types():
        ck.add(
            k("plover"),
            record,
            "plover",
            f"{plover} is not a PLOVER event type; known: {', '.join(plover_types())}",
        )
    if isinstance(sections, list) and not ck.flagged("claims", i, "section"):
        for name in as_list(claim.get("section")):
            if name not in sections:
                ck.add(
                    k("section"),
                    record,
                    "section",
                    f"{name!r} is not one of the article's sections: "
                    f"{', '.join(map(str, sections))}",
                )
    quote = claim.get("quote")
    if isinstance(quote, str) and text is not None and norm_text(quote) not in norm_text(text):
        ck.add(
            k("quote"),
            record,
            "quote",
            f"{quote!r} is not in the article text (a quote must be the article's own words)",
        )


__all__ = ["claim_fields", "derived_iri"]
