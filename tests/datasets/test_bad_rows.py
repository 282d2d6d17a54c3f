"""Bad rows: reported with file:line, counted and skipped by default; --strict fails the import
and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.errors import SourceError
from diplograph.graph.datasets import import_dataset, run_import
from diplograph.iri import dataset_graph


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


STATE_HEADER = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"


def test_state_list_bad_dates_and_codes(tmp_path):
    states = _write(
        tmp_path / "statelist2024.csv",
        STATE_HEADER
        + "RUS,365,Russia,1816,1,1,2024,12,31,2024\n"
        + "XXX,abc,Nowhere,1816,1,1,2024,12,31,2024\n"
        + "UKR,369,Ukraine,1991,2,30,2024,12,31,2024\n"
        + "USA,2,United States of America,1816,1,1,1815,12,31,2024\n",
    )
    run = run_import("cow-state-system", files=[states])
    assert [str(p) for p in run.problems] == [
        f"{states}:3: 'ccode' ccode 'abc' is not a number",
        f"{states}:4: 369 impossible date 1991-02-30 (day is out of range for month)",
        f"{states}:5: 2 it ends (1815-12-31) before it starts (1816-01-01)",
        # the bundled majors and capitals then meet states this list does not have
        *[str(p) for p in run.problems[3:]],
    ]
    assert all("unknown COW code" in p.message for p in run.problems[3:])
    source, _ = run.result()
    assert source.rows_skipped == len(run.problems)
    assert source.rows_read == 4 + 14 + 242


def test_igo_unknown_state_unknown_igo_bad_status(tmp_path):
    spells = _write(
        tmp_path / "igo_membership_spells.csv",
        "ccode,state,ioname,status,status_label,start_year,end_year,n_obs\n"
        "365,russia,OSCE,1,full member,1973,2014,42\n"
        "9999,atlantis,OSCE,1,full member,1973,2014,42\n"
        "365,russia,NOSUCH,1,full member,1973,2014,42\n"
        "365,russia,UN,7,?,1973,2014,42\n"
        "365,russia,UN,1,full member,2014,1973,42\n",
    )
    run = run_import("cow-igo", files=[f"memberships={spells}"])
    assert [str(p) for p in run.problems] == [
        f"{spells}:3: 9999/OSCE: 'ccode' unknown COW code 9999",
        f"{spells}:4: 365/NOSUCH: 'ioname' unknown IGO 'NOSUCH' (not in the IGO list)",
        f"{spells}:5: 365/UN: 'status' unknown status '7' (1 full, 2 associate, 3 observer)",
        f"{spells}:6: 365/UN it ends (1973) before it starts (2014)",
    ]
    source, triples = run.result()
    assert (source.rows_read, source.rows_skipped) == (534 + 5, 4)
    memberships = [t for t in triples if str(t[1]).endswith("#member")]
    assert len(memberships) == 1


def test_atop_impossible_entry_date(tmp_path):
    bundled = run_import("atop").paths["members"]
    lines = bundled.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[6], fields[7] = "2", "31"  # moent, dayent: 1815-02-31
    members = _write(tmp_path / "atop-member-level.csv", lines[0] + ",".join(fields))
    run = run_import("atop", files=[members])
    assert [str(p) for p in run.problems if str(members) in p.location] == [
        f"{members}:2: 1005/200 impossible date 1815-02-31 (day is out of range for month)"
    ]


def test_strict_mode_raises_with_every_problem_and_writes_nothing(tmp_path, empty_graph):
    ranges = _write(
        tmp_path / "ranges.csv",
        "country_abbrev_cow,country_code_cow,country_name_cow,country_name_usdos,"
        "date_start,date_end,us_mission_status\n"
        "RUS,365,Russia,Russia,1933-12-13,2024-12-31,Embassy\n"
        "RUS,365,Russia,Russia,1933-12-13,2024-12-31,Palace\n"
        "ZZZ,1234,Nowhere,Nowhere,1933-12-13,2024-12-31,Embassy\n",
    )
    with pytest.raises(SourceError) as err:
        import_dataset("us-missions", files=[ranges], strict=True)
    assert err.value.exit_code == 2
    assert [str(p) for p in err.value.problems] == [
        f"{ranges}:3: RUS: 'us_mission_status' unknown mission status 'Palace'; known: "
        "Embassy, Ambassador Nonresident, Legation, Envoy Nonresident, Consulate, "
        "Consul Nonresident, Liaison, Interests, None",
        f"{ranges}:4: ZZZ: 'country_code_cow' unknown COW code 1234",
    ]
    assert "nothing was written" in str(err.value)
    assert dataset_graph("us-missions") not in empty_graph.named_graphs()
    # the default skips them and says how many
    source, triples = import_dataset("us-missions", files=[ranges])
    assert (source.rows_read, source.rows_skipped) == (3, 2)
    assert empty_graph.replace_graph(source, triples) == len(triples)


def test_a_file_that_is_not_the_dataset_is_refused_before_reading(tmp_path):
    other = _write(tmp_path / "tss.csv", "a,b\n1,2\n")
    with pytest.raises(SourceError, match="not the expected file") as err:
        import_dataset("rivalries", files=[other])
    assert str(err.value.problems[0]).startswith(f"{other}:1: missing column(s) tssr_id, rivalry")


def test_archigos_unknown_gw_code_and_pocom_unknown_person(tmp_path):
    leaders = _write(
        tmp_path / "archigos_4_1_leaders.csv",
        "obsid,gwcode,leadid,leader,yrborn,gender,startdate,enddate,entry,exit,"
        "exitcode\n"
        "XXX-2000,999,abc,Nobody,1950,M,2000-01-01,2001-01-01,Regular,Regular,Regular\n",
    )
    run = run_import("archigos", files=[leaders])
    assert [str(p) for p in run.problems] == [
        f"{leaders}:2: XXX-2000: 'gwcode' GW code 999 maps to COW 999, which is not in the COW "
        "state list"
    ]
    principals = _write(
        tmp_path / "pocom_principal_officers.csv",
        "principal_id,position_id,position,person_id,person_name,appointed,started,"
        "ended,ended_note\n"
        "x-1,secretary,Secretary of State,nobody-at-all,Nobody,,2001-01-01,,\n",
    )
    run = run_import("us-chiefs-of-mission", files=[principals])
    assert [str(p) for p in run.problems if str(principals) in p.location] == [
        f"{principals}:2: x-1: 'person_id' unknown person id 'nobody-at-all' (not in the people "
        "file)"
    ]


def test_the_bundled_data_has_known_bad_rows_that_strict_refuses():
    with pytest.raises(SourceError) as err:
        import_dataset("rivalries", strict=True)
    assert [p.message for p in err.value.problems] == ["unknown COW code 324"] * 2  # Venice


def test_capitals_igo_list_and_pocom_dates(tmp_path):
    capitals = _write(
        tmp_path / "cow_capitals.csv",
        "ccode,statenme,capital,stdate,enddate,lat,lng\n"
        "365,Russia,Moscow,1918-03-12,2024-12-31,95.6,37.6\n"
        "365,Russia,Moscow,1918-13-12,2024-12-31,55.6,37.6\n"
        "999,Nowhere,Nowhere,1918-03-12,2024-12-31,55.6,37.6\n",
    )
    run = run_import("cow-state-system", files=[f"capitals={capitals}"])
    assert [str(p) for p in run.problems] == [
        f"{capitals}:2: 'lat' 95.6 is outside -90..90",
        f"{capitals}:3: 365 month '13' is not 1-12",
        f"{capitals}:4: 999: 'ccode' unknown COW code 999 (not in the state list)",
    ]
    igos = _write(
        tmp_path / "igo_list.csv",
        "ioname,orgname,longorgname,sdate,deaddate\n"
        "NATO,North Atlantic Treaty Org,North Atlantic Treaty Organization (NATO),1949,\n"
        "OLD,Old Org,Old Organization (OLD),1950,1920\n",
    )
    run = run_import("cow-igo", files=[f"igos={igos}"])
    assert str(run.problems[0]) == f"{igos}:3: OLD it ends (1920) before it starts (1950)"
    # every bundled spell of an IGO the short list lacks is then a bad row, and says so
    assert all("not in the IGO list" in p.message for p in run.problems[1:])
    chiefs = _write(
        tmp_path / "pocom_chiefs_of_mission_by_country.csv",
        "chief_id,territory_id,contemporary_territory_id,person_id,person_name,"
        "role_title_id,role_title,appointed,arrived,started,started_note,ended,"
        "ended_note,note\n"
        "ru-x,russia,russia,burns-william-joseph,W,ambassador-e-p,A,,,2005-02-30,,,,\n"
        "ru-y,russia,russia,burns-william-joseph,W,ambassador-e-p,A,,,05/11/2005,,,,\n",
    )
    run = run_import("us-chiefs-of-mission", files=[f"chiefs={chiefs}"])
    assert [str(p) for p in run.problems if str(chiefs) in p.location] == [
        f"{chiefs}:2: ru-x impossible date 2005-02-30 (day is out of range for month)",
        f"{chiefs}:3: ru-y '05/11/2005' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
    ]
