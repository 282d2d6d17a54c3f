"""OWL 2 DL, as the OWL API (Protege's library) sees it: its OWL2DLProfile checker, run on the
ontology file, finds no violation; run on a broken copy, it finds the break."""

from __future__ import annotations

import subprocess
from pathlib import Path

import owlready2
import pytest

from diplograph.ontology.load import read_bytes

CHECKER = Path(__file__).with_name("OwlProfileCheck.java")
HERMIT_JAR = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"


def profile_check(path: Path) -> list[str]:
    done = subprocess.run(
        ["java", "-cp", str(HERMIT_JAR), str(CHECKER), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.slow
def test_the_ontology_is_in_the_owl2_dl_profile(tmp_path: Path) -> None:
    path = tmp_path / "diplo.ttl"
    path.write_bytes(read_bytes("diplo.ttl"))
    lines = profile_check(path)
    assert lines[-1] == "IN PROFILE", lines
    assert len(lines) == 2 and lines[0].startswith("axioms ")


@pytest.mark.slow
def test_the_checker_finds_a_punned_property(tmp_path: Path) -> None:
    """The draft's mistake: an alias as a datatype property below the annotation skos:altLabel."""
    text = read_bytes("diplo.ttl").decode("utf-8")
    broken = text.replace(
        "dg:alias a owl:AnnotationProperty ;", "dg:alias a owl:DatatypeProperty ;"
    )
    assert broken != text
    path = tmp_path / "broken.ttl"
    path.write_text(broken, encoding="utf-8")
    lines = profile_check(path)
    assert lines[-1] == "NOT IN PROFILE"
    assert any(
        line.startswith("Cannot pun between properties") and "#alias>" in line for line in lines
    ), lines
