"""Import Archigos 4.1 (political leaders, 1840-2015): graph ``dataset/archigos``.

Archigos records each state's *effective* ruler (a president, prime minister, monarch or party
leader, whoever held power), so its post is named for that: ``post/<state slug>-leader``,
labelled "Effective leader of Russia (Archigos)", with ``dg:roleType`` ``effective-leader``.

Model (``ontology/diplo.ttl``): each leader spell is a ``dg:Tenure`` (``tenure/archigos-<obsid>``)
of that post with ``dg:holder`` a ``dg:Person``; start and end are ``xsd:date``. A leader still in
office at the end of the data (exit "Still in Office") has ``dg:ongoing true`` and no end date.

Archigos codes states with Gleditsch-Ward codes; they are mapped to COW states by date through the
documented ``data/reconcile/gw_cow.csv`` (see :mod:`.reconcile`): Kohl (GW 260, 1982-1998) holds
the post of the German Federal Republic (COW 260) until 1990-10-02 and of Germany (COW 255) from
1990-10-03, so such a spell becomes two tenures (``…-gfr-1982``, ``…-gfr-1982-255``). A GW state
with no COW counterpart (Tibet) gets a state IRI of its own with ``dg:gwCode`` only.

Persons: an Archigos leader is ``person/vladimir-putin`` only when ``persons.csv`` has a row for
its ``leadid`` citing the evidence; otherwise ``person/<slug of name>-<slug of first obsid>``
(``person/grant-usa-1869``), since Archigos often gives a surname only.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    integer,
    iso_literal,
    role,
)
from diplograph.graph.datasets.reconcile import Reconciler, reconciler

DATASET = Dataset(
    name="archigos",
    title="Archigos 4.1: a dataset of political leaders",
    version="4.1",
    citation=(
        'Goemans, Henk E., Kristian Skrede Gleditsch, and Giacomo Chiozza. 2009. "Introducing '
        'Archigos: A Dataset of Political Leaders." Journal of Peace Research 46(2): 269-283.'
    ),
    license="Free with a citation request (no open licence); copy from the peacesciencer R "
    "package (GPL-2).",
    files={"leaders": bundled("datasets", "archigos_leaders", "archigos_4_1_leaders.csv")},
    coverage_note=(
        "Archigos 4.1 (2016) records leader spells up to 2015-12-31. A leader still in office "
        "then is ongoing in the data; whether they stayed in office after that date is not in "
        "it."
    ),
)

STILL_IN_OFFICE = "Still in Office"


def leader_post(state: URIRef) -> URIRef:
    """The Archigos post of a state (``state/russia`` → ``post/russia-leader``)."""
    return iri.entity("post", f"{str(state).rsplit('/', 1)[1]}-leader")


def _segments(
    imp: Import, rec: Reconciler, where: str, row: dict[str, str], gw_states: set[URIRef]
) -> tuple[int, list[tuple[int | None, URIRef, str, str, str]]]:
    """A leader spell's GW code and its pieces by COW state: (COW code or None, state, name,
    from, to); a GW-only state is written the first time. Raises BadRow (skipped, counted)."""
    obsid = row["obsid"].strip()
    try:
        gw = integer(row["gwcode"], "gwcode")
        start, end = iso_literal(row["startdate"]), iso_literal(row["enddate"])
        check_order(start, end)
    except BadValue as exc:
        raise imp.skip(where, str(exc), record=obsid) from exc
    if start is None or end is None:
        raise imp.skip(where, "a leader spell needs a start and an end date", record=obsid)
    if not row["leader"].strip() or not row["leadid"].strip():
        raise imp.skip(where, "the leader's name or id is empty", record=obsid)
    segments = []
    for cow, lo, hi, _gw_name in rec.gw_to_cow(gw, str(start), str(end)):
        if cow is None:
            found = rec.gw_only_state(gw)
            assert found is not None
            state, name = found
            if state not in gw_states:
                gw_states.add(state)
                imp.typed(state, DG.State, name)
                imp.notes.append(f"GW {gw} ({name}) has no COW code: {state}")
        elif (state_or_none := rec.state(cow)) is None:
            raise imp.skip(
                where,
                f"GW code {gw} maps to COW {cow}, which is not in the COW state list",
                field="gwcode",
                record=obsid,
            )
        else:
            state, name = state_or_none, rec.states[cow].name
        segments.append((cow, state, name, lo, hi))
    if not segments:
        raise imp.skip(
            where,
            f"GW code {gw} has no COW mapping for {start}..{end}",
            field="gwcode",
            record=obsid,
        )
    return gw, segments


def convert(imp: Import) -> None:
    """Read the leader spells into ``imp``."""
    rec = reconciler()
    first_obsid: dict[str, str] = {}
    posts: set[URIRef] = set()
    people: set[URIRef] = set()
    gw_states: set[URIRef] = set()
    gw_seen: dict[URIRef, int] = {}
    for where, row in imp.rows(
        "leaders", required=("obsid", "gwcode", "leadid", "leader", "startdate", "enddate", "exit")
    ):
        obsid = row["obsid"].strip()
        try:
            gw, segments = _segments(imp, rec, where, row, gw_states)
        except BadRow:
            continue

        leadid = row["leadid"].strip()
        first_obsid.setdefault(leadid, obsid)
        person = rec.person("archigos", leadid) or iri.entity(
            "person", f"{iri.slug(row['leader'])}-{iri.slug(first_obsid[leadid])}"
        )
        if person not in people:
            people.add(person)
            imp.typed(person, DG.Person, row["leader"].strip())
        ongoing = row["exit"].strip() == STILL_IN_OFFICE
        for n, (cow, state, name, lo, hi) in enumerate(segments):
            if gw_seen.get(state) != gw:
                gw_seen[state] = gw
                imp.add(state, DG.gwCode, Literal(gw, datatype=XSD.integer))
            post = leader_post(state)
            if post not in posts:
                posts.add(post)
                imp.typed(post, DG.Post, f"Effective leader of {name} (Archigos)")
                imp.add(post, DG.postIn, state)
                imp.add(post, DG.roleType, role("effective-leader"))
            key = f"archigos-{obsid}" if n == 0 else f"archigos-{obsid}-{cow}"
            t = iri.entity("tenure", iri.slug(key))
            imp.typed(t, DG.Tenure, f"{row['leader'].strip()}, effective leader of {name}")
            imp.add(t, DG.holder, person)
            imp.add(t, DG.ofPost, post)
            last = n == len(segments) - 1
            imp.interval(t, iso_literal(lo), iso_literal(hi), ongoing=ongoing and last)
