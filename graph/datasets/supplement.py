"""Import the backbone supplement: sourced facts that carry the datasets past their ends.

The research datasets stop (Archigos in 2015, COW IGO in 2014, POCOM's chiefs of mission in
2021). The supplement (``graph/data/datasets/backbone_supplement/supplement.csv``, graph
``dataset/supplement``) adds memberships, leaders and posts after those ends, one row per fact,
and every row says where it was read: the page's URL and title, the date it was read and the
words on the page that state the fact. A row without them is refused with its ``file:line``, and
nothing is written (the whole file is refused, not just the row).

Columns: ``kind`` (``membership``, ``leader`` or ``post``), ``subject`` and ``object`` (short
IRIs such as ``state/finland``, ``organization/nato``, ``person/vladimir-putin``; a person's may
be left empty, then it is minted from ``subject_label``), ``subject_label``, ``object_label``,
``role`` (a leader's ``head of state`` or ``head of government``; a post's office, e.g.
``Secretary of State``), ``role_type`` (a post's role-type keys, ``;``-separated, e.g.
``foreign-minister``), ``target`` (an envoy's host state), ``start``, ``end`` and ``as_of``
(ISO dates at the page's precision; a row with no end needs ``as_of``: the latest date the page
attests the fact, after which the "as of" queries call it unknown), ``source_url``,
``source_title``, ``accessed`` and ``evidence``.

A row of kind ``attests`` has no start or end: it says that a page of its own date (``as_of``)
shows a membership (``role`` empty) or a holding (``role`` the office) of another row, or of a
dataset, still in force; it becomes a ``dg:Attestation`` that the "as of" queries use to extend
the relation to that date. ``evidence_language`` (optional) gives the language of the quotation
(``en`` when absent).

Each fact becomes the same kind of node the datasets make (``dg:Membership`` of an organisation,
``dg:Tenure`` of a post in a state), so every "as of" query reads it, with
``prov:wasDerivedFrom`` the page (``dcterms:title``), ``dg:evidence`` the quoted words and
``dg:accessedOn`` the date read. Posts get the IRIs the datasets give the same office
(``post/united-states-of-america-secretary-of-state`` is POCOM's), so a supplement holder and a
dataset holder are holders of one post.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from diplograph import iri
from diplograph.errors import SourceError
from diplograph.graph.datasets.backbone import backbone
from diplograph.graph.datasets.common import (
    DG,
    RDF_TYPE,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    iso_literal,
    role,
)

DATASET = Dataset(
    name="supplement",
    title="Backbone supplement: sourced memberships, leaders and posts after the datasets end",
    version="1",
    citation="diplograph backbone supplement; each fact cites the page it was read from.",
    license="The rows are facts with their sources; quotations are short excerpts of the "
    "pages cited, each with its URL.",
    files={"facts": bundled("datasets", "backbone_supplement", "supplement.csv")},
    coverage_note=(
        "Facts read from public web pages, each with its URL, title, the date it was read and "
        "the words that state it. A holding with no end date is known only up to its row's "
        "as_of date, the latest date its page attests it."
    ),
)

KINDS = ("membership", "leader", "post", "attests")
ATTESTED = ("membership", "leader", "post")
LEADER_ROLES = {"head of state": "head-of-state", "head of government": "head-of-government"}
REQUIRED_SOURCE = ("source_url", "source_title", "accessed", "evidence")
COLUMNS = (
    "kind",
    "subject",
    "subject_label",
    "object",
    "object_label",
    "role",
    "role_type",
    "target",
    "start",
    "end",
    "as_of",
    *REQUIRED_SOURCE,
)
#: optional: the language of the evidence (``en`` when absent)
EVIDENCE_LANGUAGE = "evidence_language"


def convert(imp: Import) -> None:
    """Read every row; any bad row fails the whole file (a fact without its source is never
    loaded)."""
    posts: set[URIRef] = set()
    latest: list[str] = []
    for where, row in imp.rows("facts", required=COLUMNS):
        try:
            _row(imp, where, row, posts, latest)
        except BadRow:
            continue
    if imp.problems:
        raise SourceError(
            imp.problems,
            f"The supplement has {len(imp.problems)} bad row(s); nothing was written.",
        )
    if latest:
        end = iso_literal(max(latest))
        if end is not None:
            imp.coverage_end[""] = end


def _row(
    imp: Import, where: str, row: dict[str, str], posts: set[URIRef], latest: list[str]
) -> None:
    v = {k: (row.get(k) or "").strip() for k in COLUMNS}
    kind = v["kind"]
    if kind not in KINDS:
        raise imp.skip(where, f"kind {kind!r} is not one of {', '.join(KINDS)}", field="kind")
    for name in REQUIRED_SOURCE:
        if not v[name]:
            raise imp.skip(
                where,
                f"the row has no {name}: every fact needs the page it was read from "
                "(source_url, source_title, accessed, evidence)",
                field=name,
            )
    if not v["source_url"].startswith(("https://", "http://")):
        raise imp.skip(where, "source_url is not an http(s) URL", field="source_url")
    dates = {}
    for name in ("start", "end", "as_of", "accessed"):
        try:
            dates[name] = iso_literal(v[name])
        except BadValue as exc:
            raise imp.skip(where, f"{name}: {exc}", field=name) from exc
    try:
        check_order(dates["start"], dates["end"])
    except BadValue as exc:
        raise imp.skip(where, str(exc), field="end") from exc
    if dates["end"] is None and dates["as_of"] is None:
        raise imp.skip(
            where,
            "a fact with no end needs as_of: the latest date its page attests it",
            field="as_of",
        )
    accessed = dates["accessed"]
    if accessed is None or accessed.datatype != XSD.date:
        raise imp.skip(where, "accessed must be a full date (YYYY-MM-DD)", field="accessed")
    latest.extend(str(d) for d in (dates["end"], dates["as_of"]) if d is not None)
    obj = _short_iri(imp, where, v["object"], "object", ("state", "organization"))
    node: URIRef | BNode
    if kind == "attests":
        node = _attestation(imp, where, v, obj, dates)
    else:
        if kind == "membership":
            node = _membership(imp, where, v, obj)
            imp.interval(node, dates["start"], dates["end"], known_until=dates["as_of"])
        else:
            node = _tenure(imp, where, v, obj, posts, dates)
    page = URIRef(v["source_url"])
    imp.add(node, PROV.wasDerivedFrom, page)
    imp.add(page, DCTERMS.title, Literal(v["source_title"]))
    language = (row.get(EVIDENCE_LANGUAGE) or "").strip() or "en"
    imp.add(node, DG.evidence, Literal(v["evidence"], lang=language))
    imp.add(node, DG.accessedOn, accessed)


def _attestation(
    imp: Import, where: str, v: dict[str, str], obj: URIRef, dates: dict[str, Literal | None]
) -> BNode:
    """A page that attests, on its own date (``as_of``), that a membership or holding stated
    elsewhere (by a row above or by a dataset) still held: ``dg:Attestation`` with the member and
    organisation, or the holder and post, and ``dg:knownUntil``. The "as of" queries extend the
    matching relations to that date."""
    if dates["start"] is not None or dates["end"] is not None or dates["as_of"] is None:
        raise imp.skip(
            where, "an attests row has only as_of (the page's date), no start or end", field="as_of"
        )
    what = v["role"]
    node = BNode()
    imp.triples.append((node, RDF_TYPE, DG.Attestation))
    if not what:
        state = _short_iri(imp, where, v["subject"], "subject", ("state",))
        imp.add(node, DG.attestedMember, state)
        imp.add(node, DG.attestedOrganization, obj)
    else:
        person = (
            _short_iri(imp, where, v["subject"], "subject", ("person",))
            if v["subject"]
            else iri.entity("person", v["subject_label"])
        )
        imp.add(node, DG.attestedHolder, person)
        imp.add(node, DG.attestedPost, iri.post(obj.rsplit("/", 1)[1], what))
    imp.add(node, DG.knownUntil, dates["as_of"])
    return node


def _short_iri(imp: Import, where: str, text: str, name: str, kinds: tuple[str, ...]) -> URIRef:
    kind, _, rest = text.partition("/")
    if kind not in kinds or not rest or not iri.is_slug(rest):
        raise imp.skip(
            where,
            f"{name} {text!r} is not a short IRI of a {' or '.join(kinds)} "
            f"(e.g. {kinds[0]}/finland)",
            field=name,
        )
    return iri.entity(kind, rest)


def _membership(imp: Import, where: str, v: dict[str, str], organization: URIRef) -> URIRef:
    state = _short_iri(imp, where, v["subject"], "subject", ("state",))
    key = f"supplement-{state.rsplit('/', 1)[1]}-{organization.rsplit('/', 1)[1]}-{v['start']}"
    node = iri.entity("membership", iri.slug(key))
    imp.typed(node, DG.Membership, f"{v['subject_label']} in {v['object_label']}")
    imp.add(node, DG.member, state)
    imp.add(node, DG.ofOrganization, organization)
    return node


def _tenure(
    imp: Import,
    where: str,
    v: dict[str, str],
    state: URIRef,
    posts: set[URIRef],
    dates: dict[str, Literal | None],
) -> URIRef:
    """A holding as a ``dg:Tenure``, reusing the person and post IRIs POCOM or Archigos give.

    A holding the datasets already have is never stated twice: a row that meets one dataset
    tenure of the same holder and post gives that tenure only the dates it lacks (POCOM's
    Sullivan in Moscow has no start and no end), with the row's source; a row that adds nothing
    is refused."""
    person, post = _holding(imp, where, v, state, posts)
    start, end = dates["start"], dates["end"]
    known = backbone()
    held = known.overlapping(person, post, _text(start), _text(end))
    if held:
        first = held[0]
        adds = {
            name: value
            for name, value, has in (
                (DG.startDate, start, first.start),
                (DG.endDate, end, first.end),
            )
            if value is not None and has is None
        }
        if len(held) > 1 or not adds:
            raise imp.skip(
                where,
                f"{first.dataset} already holds this tenure ({iri.shorten(str(first.tenure))}, "
                f"{first.start or '?'} to {first.end or 'open'}); state only what it lacks "
                "(a start or an end it does not give, or an attests row for a later date)",
                field="start",
            )
        for name, value in adds.items():
            imp.add(first.tenure, name, value)
        return first.tenure
    if person not in known.persons:
        imp.typed(person, DG.Person, v["subject_label"])
    key = f"supplement-{person.rsplit('/', 1)[1]}-{post.rsplit('/', 1)[1]}-{v['start']}"
    node = iri.entity("tenure", iri.slug(key))
    imp.typed(node, DG.Tenure, f"{v['subject_label']}, {v['role']} of {v['object_label']}")
    imp.add(node, DG.holder, person)
    imp.add(node, DG.ofPost, post)
    imp.interval(node, start, end, known_until=dates["as_of"])
    return node


def _text(date: Literal | None) -> str | None:
    return None if date is None else str(date)


def _holding(
    imp: Import, where: str, v: dict[str, str], state: URIRef, posts: set[URIRef]
) -> tuple[URIRef, URIRef]:
    """The holder and the post of a leader or post row; the post is described here unless the
    datasets describe it (``post/united-states-of-america-secretary-of-state`` is POCOM's)."""
    if not v["subject_label"]:
        raise imp.skip(where, "a holder needs subject_label (the person's name)", field="subject")
    person = (
        _short_iri(imp, where, v["subject"], "subject", ("person",))
        if v["subject"]
        else iri.entity("person", v["subject_label"])
    )
    if v["kind"] == "leader":
        if v["role"] not in LEADER_ROLES:
            raise imp.skip(
                where,
                f"a leader's role is {' or '.join(LEADER_ROLES)}, not {v['role']!r}",
                field="role",
            )
        types = [LEADER_ROLES[v["role"]]]
    else:
        types = [t.strip() for t in v["role_type"].split(";") if t.strip()]
        if not v["role"] or not types:
            raise imp.skip(where, "a post needs role and role_type", field="role_type")
    try:
        concepts = [role(t) for t in types]
    except KeyError as exc:
        raise imp.skip(where, f"role_type: {exc.args[0]}", field="role_type") from exc
    post = iri.post(state.rsplit("/", 1)[1], v["role"])
    if post not in posts and post not in backbone().posts:
        posts.add(post)
        title = v["role"][0].upper() + v["role"][1:]
        imp.typed(post, DG.Post, f"{title} of {v['object_label']}")
        imp.add(post, DG.postIn, state)
        for concept in concepts:
            imp.add(post, DG.roleType, concept)
        if v["target"]:
            imp.add(post, DG.ofState, _short_iri(imp, where, v["target"], "target", ("state",)))
    return person, post
