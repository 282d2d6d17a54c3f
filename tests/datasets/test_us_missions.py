"""US mission status import: the level of US representation in each state over time."""

from __future__ import annotations


def test_mission_status_in_russia_without_code_lists(ask):
    rows = ask("""SELECT ?start ?end ?status WHERE { ?m a dg:DiplomaticMission ;
        dg:receivingState id:state\\/russia ; dg:missionStatus ?status ; dg:startDate ?start .
        OPTIONAL { ?m dg:endDate ?end } } ORDER BY ?start""")
    assert rows == [
        ("1816-01-01", "1898-02-10", "concept/mission-status/legation"),
        ("1898-02-11", "1917-11-06", "concept/mission-status/embassy"),
        ("1917-11-07", "1919-09-13", "concept/mission-status/liaison"),
        ("1919-09-14", "1933-12-12", "concept/mission-status/none"),
        ("1933-12-13", None, "concept/mission-status/embassy"),
    ]


def test_states_with_a_us_embassy_on_a_date(ask, as_of):
    rows = ask(f"""SELECT ?state WHERE {{ ?rel a dg:DiplomaticMission ;
        dg:receivingState ?state ; dg:missionStatus id:concept\\/mission-status\\/embassy .
        {as_of("1925-06-01")} }}""")
    states = {r[0] for r in rows}
    assert "state/russia" not in states  # no relations 1919-1933
    assert {"state/united-kingdom", "state/france", "state/japan"} <= states
