"""Import the U.S. Diplomatic Mission Status data v0.1 (Kenkel), COW-coded ranges: graph
``dataset/us-missions``.

Model (``ontology/diplo.ttl``): each row (one COW state and an interval with a constant status) is
a ``dg:DiplomaticMission`` at ``mission/us-<slug of state>-<start>`` with ``dg:sendingState``
``state/united-states-of-america``, ``dg:receivingState`` the COW state, ``dg:missionStatus`` one
of the ``mission-status`` concepts (Embassy, Ambassador Nonresident, Legation, Envoy Nonresident,
Consulate, Consul Nonresident, Liaison, Interests, None) and ``xsd:date`` start and end. A range
that runs to the last date of the data (2024-12-31) is ongoing: ``dg:ongoing true``, no end date.
"""

from __future__ import annotations

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    MISSION_STATUS,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    integer,
    iso_literal,
)
from diplograph.graph.datasets.reconcile import reconciler

DATASET = Dataset(
    name="us-missions",
    title="U.S. Diplomatic Mission Status Data v0.1 (COW-coded ranges)",
    version="0.1",
    citation=(
        'Kenkel, Brenton. 2026. "U.S. Diplomatic Mission Status Data", v0.1. '
        "https://github.com/brentonk/us_diplomatic_missions. Sources: Office of the Historian, "
        "U.S. Department of State."
    ),
    license="https://creativecommons.org/licenses/by/4.0/",
    files={"ranges": bundled("datasets", "us_mission_status", "mission_status_range_cow_v0.1.csv")},
    coverage_note=(
        "Mission status ranges (v0.1) run to 2024-12-31, the end of the COW-coded panels; a "
        "status that lasts to then is ongoing in the data."
    ),
)

USA = 2


def convert(imp: Import) -> None:
    """Read the mission-status ranges into ``imp``."""
    rec = reconciler()
    usa = rec.state(USA)
    rows = list(
        imp.rows(
            "ranges", required=("country_code_cow", "date_start", "date_end", "us_mission_status")
        )
    )
    last = max((r["date_end"] for _, r in rows), default="")
    if (last_date := iso_literal(last)) is not None:
        imp.coverage_end[""] = last_date
    for where, row in rows:
        status = row["us_mission_status"].strip()
        record = row.get("country_abbrev_cow") or row["country_code_cow"]
        try:
            try:
                code = integer(row["country_code_cow"], "country_code_cow")
                start, end = iso_literal(row["date_start"]), iso_literal(row["date_end"])
                check_order(start, end)
            except BadValue as exc:
                raise imp.skip(where, str(exc), record=record) from exc
            state = rec.state(code)
            if state is None:
                raise imp.skip(
                    where, f"unknown COW code {code}", field="country_code_cow", record=record
                )
            if status and status not in MISSION_STATUS:
                raise imp.skip(
                    where,
                    f"unknown mission status {status!r}; known: {', '.join(MISSION_STATUS)}",
                    field="us_mission_status",
                    record=record,
                )
            if start is None:
                raise imp.skip(
                    where, "the start date is missing", field="date_start", record=record
                )
        except BadRow:
            continue
        if not status:  # no record for this interval: unknown stays absent
            continue
        m = iri.entity("mission", f"us-{iri.slug(rec.states[code].name)}-{start}")
        imp.typed(
            m,
            DG.DiplomaticMission,
            f"US mission status in {rec.states[code].name} from {start}: {status}",
        )
        imp.add(m, DG.sendingState, usa)
        imp.add(m, DG.receivingState, state)
        imp.add(m, DG.missionStatus, MISSION_STATUS[status])
        imp.interval(m, start, end, ongoing=row["date_end"].strip() == last)
