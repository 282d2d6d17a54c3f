"""The review fields of claim records (``review``, ``span``, ``rule``): checked with the file,
line and field like every other field; rejected claims are not loaded; the draft header names
the coder."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.errors import ClaimError
from diplograph.graph.records import load_records
from diplograph.graph.records.review import pending_claims

DRAFT = Path(__file__).parent / "data" / "harbour-draft.yaml"


def _variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = DRAFT.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ClaimError) as err:
        load_records(path)
    return [str(p) for p in err.value.problems]


def test_a_draft_with_review_fields_loads_and_names_its_coder() -> None:
    records = load_records(DRAFT)
    assert records.coder == "diplograph-coder 0.1.0"
    assert [c.id for c in pending_claims(records)] == ["c1", "c2", "c3"]


def test_bad_review_span_and_rule_are_reported_at_their_lines(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        ("review: pending\n  span: [0, 85]", "review: maybe\n  span: [0, 85]"),
        ("span: [86, 116]", "span: [86]"),
        ("span: [121, 139]", "span: [121, 400]"),
        ("rule: reject + object", "rule: ''"),
    )
    found = _problems(path)
    where = f"{path}"
    assert (
        f"{where}:30: claim c1: 'review' 'maybe' is not one of 'pending', 'accepted', 'rejected'"
        in found
    )
    assert any(p.startswith(f"{where}:40: claim c2: 'span' [86] is not a span") for p in found)
    assert f"{where}:41: claim c2: 'rule' must not be empty" in found
    assert (
        f"{where}:49: claim c3: 'span' [121, 400] ends after the article text (139 characters)"
        in found
    )
    assert len(found) == 4, found


def test_a_backwards_span_and_a_negative_offset(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, ("span: [0, 85]", "span: [85, 0]"), ("span: [86, 116]", "span: [-1, 5]")
    )
    found = _problems(path)
    assert (
        f"{path}:31: claim c1: 'span' [85, 0] is empty or backwards: the start must be "
        "before the end" in found
    )
    assert any(
        p.startswith(f"{path}:40: claim c2: 'span' -1 is not a character offset") for p in found
    )


def test_rejected_claims_are_not_loaded_and_cannot_be_linked_to(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        (
            "  paraphrase: Denmark rejected the criticism.\n  review: pending",
            "  paraphrase: Denmark rejected the criticism.\n  review: rejected",
        ),
        (
            "targets: [norway]\n  paraphrase: Denmark rejected",
            "targets: [nowhere]\n  paraphrase: Denmark rejected",
        ),
    )
    # a rejected claim's own references are not checked: it is never loaded
    records = load_records(path)
    assert [c.id for c in records.claims] == ["c1", "c3"]
    linked = _variant(
        tmp_path,
        (
            "  paraphrase: Denmark rejected the criticism.\n  review: pending",
            "  paraphrase: Denmark rejected the criticism.\n  review: rejected",
        ),
        (
            "  paraphrase: Denmark offered new talks.",
            "  paraphrase: Denmark offered new talks.\n  responds_to: [c2]",
        ),
    )
    found = _problems(linked)
    assert any(
        "claim c3: 'responds_to' refers to claim c2, which is rejected" in p for p in found
    ), found


def test_accepted_claims_load_as_hand_written_ones(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("review: pending", "review: accepted")
    path = tmp_path / "reviewed.yaml"
    path.write_text(text, encoding="utf-8")
    records = load_records(path)
    assert pending_claims(records) == [] and len(records.claims) == 3
