"""Import the Thompson-Sakuwa-Suhas strategic rivalries (1494-2020): graph ``dataset/rivalries``.

Model (``ontology/diplo.ttl``): each rivalry is a ``dg:Rivalry`` at ``rivalry/tss-<tssr_id>``
labelled with its name in the data ("Russia-United States"), with two ``dg:rival`` COW states,
``dg:rivalryType`` for each of positional, spatial, ideological and interventionary it is coded
with, and ``xsd:gYear`` start and end. A rivalry that runs to the last year of the data (2020) is
ongoing: ``dg:ongoing true``, no end date.
"""

from __future__ import annotations

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    RIVALRY_TYPES,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    flags,
    integer,
    year_literal,
)
from diplograph.graph.datasets.reconcile import reconciler

DATASET = Dataset(
    name="rivalries",
    title="Strategic rivalries (Thompson, Sakuwa and Suhas), 1494-2020",
    version="2021 (peacesciencer tss_rivalries)",
    citation=(
        "Thompson, William R., Kentaro Sakuwa, and Prashant Hosur Suhas. 2021. Analyzing "
        "Strategic Rivalries in World Politics. Springer. Typed in by Steven V. Miller for the "
        "peacesciencer R package."
    ),
    license="No data licence beyond the peacesciencer package's GPL-2; cite the authors.",
    files={"rivalries": bundled("datasets", "peacesciencer_extras", "tss_strategic_rivalries.csv")},
    coverage_note=(
        "Strategic rivalries are coded 1494-2020; a rivalry still running in 2020 is ongoing in"
        " the data."
    ),
)


def convert(imp: Import) -> None:
    """Read the rivalries into ``imp``."""
    rec = reconciler()
    rows = list(
        imp.rows(
            "rivalries",
            required=("tssr_id", "rivalry", "ccode1", "ccode2", "start", "end", *RIVALRY_TYPES),
        )
    )
    last = max((r["end"].strip() for _, r in rows if r["end"].strip().isdigit()), default="")
    if (last_year := year_literal(last)) is not None:
        imp.coverage_end[""] = last_year
    for where, row in rows:
        rid = row["tssr_id"].strip()
        try:
            states = []
            for col in ("ccode1", "ccode2"):
                try:
                    code = integer(row[col], col)
                except BadValue as exc:
                    raise imp.skip(where, str(exc), field=col, record=rid) from exc
                state = rec.state(code)
                if state is None:
                    raise imp.skip(where, f"unknown COW code {code}", field=col, record=rid)
                states.append(state)
            try:
                start, end = year_literal(row["start"]), year_literal(row["end"])
                check_order(start, end)
            except BadValue as exc:
                raise imp.skip(where, str(exc), record=rid) from exc
            if not rid:
                raise imp.skip(where, "the rivalry has no tssr_id", field="tssr_id")
        except BadRow:
            continue
        r = iri.entity("rivalry", f"tss-{iri.slug(rid)}")
        imp.typed(r, DG.Rivalry, row["rivalry"].strip() or f"Rivalry {rid}")
        for state in states:
            imp.add(r, DG.rival, state)
        for col in flags(row, RIVALRY_TYPES):
            imp.add(r, DG.rivalryType, RIVALRY_TYPES[col])
        imp.interval(r, start, end, ongoing=row["end"].strip() == last)
