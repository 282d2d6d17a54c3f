"""Import the Office of the Historian's Principal Officers and Chiefs of Mission (POCOM): graph
``dataset/us-chiefs-of-mission``.

Model (``ontology/diplo.ttl``, W3C ORG):

- each person as a ``dg:Person`` and ``dg:Official`` at ``person/<slug of forename surname
  suffix>`` (``burns-william-joseph`` → ``person/william-joseph-burns``), unless the curated
  ``persons.csv`` names another IRI (``kerry-john-forbes`` → ``person/john-kerry``); two POCOM ids
  with the same full name get the birth year appended;
- each chief of mission as a ``dg:Tenure`` (``tenure/pocom-<chief_id>``) of a ``dg:Post`` of the
  United States, ``post/united-states-of-america-<role>-to-<state>`` (role: ambassador, minister,
  charge-d-affaires or chief-of-mission, from the role title), whose ``dg:ofState`` is the COW
  state the POCOM territory was on the start date (``pocom_territories.csv``); a territory that
  was no COW state (Hawaii, Texas, the Holy See after 1870) keeps its POCOM id in the post IRI;
- each principal officer (Secretary of State...) as a tenure of
  ``post/united-states-of-america-<slug of position>``.

Start and end dates are the ``started`` and ``ended`` fields at their precision; an empty field
stays absent (appointment dates are kept in the tenure's comment, not as a start).
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    iso_literal,
    role,
)
from diplograph.graph.datasets.reconcile import Reconciler, reconciler

DATASET = Dataset(
    name="us-chiefs-of-mission",
    title="U.S. Principal Officers and Chiefs of Mission (POCOM)",
    version="HistoryAtState/pocom@44d2226",
    citation=(
        'Office of the Historian, U.S. Department of State. "Principal Officers and Chiefs of '
        'Mission". https://history.state.gov/departmenthistory/people/principals-chiefs '
        "(GitHub: HistoryAtState/pocom)."
    ),
    license="https://creativecommons.org/publicdomain/zero/1.0/",
    files={
        "people": bundled("datasets", "us_chiefs_of_mission_pocom", "pocom_people.csv"),
        "chiefs": bundled(
            "datasets", "us_chiefs_of_mission_pocom", "pocom_chiefs_of_mission_by_country.csv"
        ),
        "principals": bundled(
            "datasets", "us_chiefs_of_mission_pocom", "pocom_principal_officers.csv"
        ),
    },
    coverage_note=(
        "POCOM at commit 44d2226 of HistoryAtState/pocom: the latest chief of mission recorded "
        "dates from 2021 and the latest principal officer from 2025. A holder with no end date "
        "is known to hold the post only up to the latest date of that part of the data."
    ),
)

USA = 2
ROLE_NAMES = {
    "ambassador": "Ambassador",
    "minister": "Envoy or Minister",
    "charge-d-affaires": "Chargé d'Affaires",
    "chief-of-mission": "Chief of Mission",
}
FOREIGN_MINISTER_POSITIONS = {"secretary"}  # POCOM position_id of the Secretary of State


def role_kind(role_title_id: str) -> str:
    """The post kind of a POCOM role title id (``ambassador-e-p`` → ``ambassador``)."""
    if role_title_id.startswith("ambassador"):
        return "ambassador"
    if role_title_id.startswith("charge"):
        return "charge-d-affaires"
    if "minister" in role_title_id or "envoy" in role_title_id:
        return "minister"
    return "chief-of-mission"


def convert(imp: Import) -> None:
    """Read people, chiefs of mission and principal officers into ``imp``."""
    rec = reconciler()
    people = _people(imp, rec)
    posts: set[URIRef] = set()
    _chiefs(imp, rec, people, posts)
    _principals(imp, rec, people, posts)


def _usa(rec: Reconciler) -> tuple[URIRef, str]:
    usa = rec.state(USA)
    assert usa is not None
    return usa, rec.states[USA].name


def _chiefs(
    imp: Import, rec: Reconciler, people: dict[str, tuple[URIRef, str]], posts: set[URIRef]
) -> None:
    """The chiefs of mission: a post per kind of mission and country, a tenure per row."""
    usa, usa_name = _usa(rec)
    for where, row in imp.rows(
        "chiefs",
        required=(
            "chief_id",
            "territory_id",
            "person_id",
            "role_title_id",
            "role_title",
            "appointed",
            "started",
            "ended",
        ),
    ):
        chief = row["chief_id"].strip()
        try:
            person = _person(imp, where, row, people, chief)
            start, end = _dates(imp, where, row, chief)
        except BadRow:
            continue
        territory = row["territory_id"].strip()
        when = row["started"] or row["appointed"] or row["ended"]
        code = rec.territory(territory, when)
        kind = role_kind(row["role_title_id"].strip())
        if code is not None:
            target, target_name = iri.slug(rec.states[code].name), rec.states[code].name
        else:
            target, target_name = iri.slug(territory), territory.replace("-", " ").title()
            imp.notes.append(
                f"POCOM territory {territory!r} on {when or '?'} is no COW state (chief {chief})"
            )
        post = iri.entity("post", f"{iri.slug(usa_name)}-{kind}-to-{target}")
        if post not in posts:
            posts.add(post)
            imp.typed(post, DG.Post, f"{ROLE_NAMES[kind]} of the {usa_name} to {target_name}")
            imp.add(post, DG.postIn, usa)
            imp.add(
                post,
                DG.roleType,
                role("ambassador" if kind == "ambassador" else "chief-of-mission"),
            )
            if code is not None:
                imp.add(post, DG.ofState, rec.state(code))
        _tenure(
            imp,
            "chiefs of mission",
            f"pocom-{chief}",
            person,
            post,
            start,
            end,
            f"{people[row['person_id']][1]}, {row['role_title'].strip()} ({target_name})",
            row,
        )


def _principals(
    imp: Import, rec: Reconciler, people: dict[str, tuple[URIRef, str]], posts: set[URIRef]
) -> None:
    """The principal officers of the Department of State: a post per position."""
    usa, usa_name = _usa(rec)
    for where, row in imp.rows(
        "principals",
        required=(
            "principal_id",
            "position_id",
            "position",
            "person_id",
            "appointed",
            "started",
            "ended",
        ),
    ):
        pid = row["principal_id"].strip()
        position = row["position"].strip()
        try:
            person = _person(imp, where, row, people, pid)
            start, end = _dates(imp, where, row, pid)
            if not position:
                raise imp.skip(where, "the position is empty", field="position", record=pid)
        except BadRow:
            continue
        post = iri.entity("post", f"{iri.slug(usa_name)}-{iri.slug(position)}")
        if post not in posts:
            posts.add(post)
            imp.typed(post, DG.Post, f"{position} of the {usa_name}")
            imp.add(post, DG.postIn, usa)
            if row["position_id"].strip() in FOREIGN_MINISTER_POSITIONS:
                imp.add(post, DG.roleType, role("secretary-of-state"))
                imp.add(post, DG.roleType, role("foreign-minister"))
        _tenure(
            imp,
            "principal officers",
            f"pocom-{pid}",
            person,
            post,
            start,
            end,
            f"{people[row['person_id']][1]}, {position}",
            row,
        )


def _people(imp: Import, rec: Reconciler) -> dict[str, tuple[URIRef, str]]:
    """POCOM person id -> (IRI, full name); writes each person."""
    rows = []
    for where, row in imp.rows(
        "people", required=("person_id", "surname", "forename", "genname", "birth")
    ):
        name = " ".join(
            p
            for p in (row["forename"].strip(), row["surname"].strip(), row["genname"].strip())
            if p
        )
        if not row["person_id"].strip() or not name:
            imp.skip(where, "a person needs an id and a name", record=row["person_id"])
            continue
        rows.append((row["person_id"].strip(), name, row["birth"].strip()))
    by_slug: dict[str, int] = {}
    for _, name, _ in rows:
        by_slug[iri.slug(name)] = by_slug.get(iri.slug(name), 0) + 1
    out: dict[str, tuple[URIRef, str]] = {}
    for pid, name, birth in rows:
        person = rec.person("pocom", pid)
        if person is None:
            s = iri.slug(name)
            if by_slug[s] > 1:  # the same full name twice: tell them apart by birth year, else id
                s = f"{s}-{birth}" if birth else iri.slug(pid)
            person = iri.entity("person", s)
        out[pid] = (person, name)
        imp.typed(person, DG.Person, name)
        imp.add(person, RDF.type, DG.Official)
    return out


def _person(
    imp: Import, where: str, row: dict[str, str], people: dict[str, tuple[URIRef, str]], record: str
) -> URIRef:
    found = people.get(row["person_id"].strip())
    if found is None:
        raise imp.skip(
            where,
            f"unknown person id {row['person_id']!r} (not in the people file)",
            field="person_id",
            record=record,
        )
    return found[0]


def _dates(
    imp: Import, where: str, row: dict[str, str], record: str
) -> tuple[Literal | None, Literal | None]:
    try:
        start, end = iso_literal(row["started"]), iso_literal(row["ended"])
        iso_literal(row["appointed"])
        check_order(start, end)
    except BadValue as exc:
        raise imp.skip(where, str(exc), record=record) from exc
    return start, end


def _tenure(
    imp: Import,
    scope: str,
    key: str,
    person: URIRef,
    post: URIRef,
    start: Literal | None,
    end: Literal | None,
    label: str,
    row: dict[str, str],
) -> None:
    t = iri.entity("tenure", imp.unique(iri.slug(key)))
    imp.typed(t, DG.Tenure, label)
    imp.add(t, DG.holder, person)
    imp.add(t, DG.ofPost, post)
    imp.interval(t, start, end, scope=scope)
    notes = [
        f"appointed {row['appointed'].strip()}" if row.get("appointed", "").strip() else "",
        f"started: {row['started_note'].strip()}" if row.get("started_note", "").strip() else "",
        f"ended: {row['ended_note'].strip()}" if row.get("ended_note", "").strip() else "",
        row.get("note", "").strip(),
    ]
    text = "; ".join(n for n in notes if n)
    if text:
        imp.add(t, RDFS.comment, Literal(f"POCOM: {text}", lang="en"))
