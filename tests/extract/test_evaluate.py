"""Scoring the event coder: eval-extract on the PLOVER gold standard and on hand-written claim
records, pairing, gold versions, saved results, and the bundled dictionaries' source notes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from diplograph.cli import cli
from diplograph.graph.extract.actors import actor_lexicon
from diplograph.graph.extract.coder import Coder
from diplograph.graph.records import ARTICLES_DIR

SEED = ARTICLES_DIR / "article-001.txt"
GOLD = (
    Path(__file__).resolve().parents[2] / "graph" / "data" / "coder" / "PLOVER_GSR_CAMEO_dev.json"
)


def test_eval_extract_prints_table_and_last_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["eval-extract", "--gold", str(GOLD)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert "| event |" in result.output and "(161 records)" in lines[0]
    assert lines[-1].startswith("event F1 0.") and ", source F1 0." in lines[-1]
    assert ", target F1 0." in lines[-1]


def test_eval_extract_on_a_bad_gold_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text('{"not": "a list"}', encoding="utf-8")
    result = runner.invoke(cli, ["eval-extract", "--gold", str(path)])
    assert result.exit_code == 2 and "must be a JSON list" in result.output


def test_attributions_name_the_speaker() -> None:
    coder = Coder(actor_lexicon())
    [trailing] = coder.code("Russia threatened Ukraine, the United States said.")
    assert trailing.source.code == "RUS" and trailing.speaker.code == "USA"  # type: ignore[union-attr]
    assert trailing.code.startswith("13") and trailing.target.code == "UKR"  # type: ignore[union-attr]
    [according] = coder.code("According to Hungary, Romania rejected the plan.")
    assert according.speaker.code == "HUN" and according.source.code == "ROU"  # type: ignore[union-attr]
    [passive] = coder.code("The offer of Germany was rejected by France.")
    assert passive.source.code == "FRA" and passive.target.code == "DEU"  # type: ignore[union-attr]


def test_score_records_pairs_by_speaker_and_root() -> None:
    from diplograph.graph.extract.evaluate import score_records

    gold = [
        {"speaker": "a", "event_type": "127", "targets": ["x"]},
        {"speaker": "a", "event_type": "1384", "targets": ["y"]},
        {"speaker": "b", "event_type": "037", "targets": []},
    ]
    draft = [
        {"speaker": "a", "event_type": "110", "targets": ["x"]},
        {"speaker": "a", "event_type": "130", "targets": ["y", "z"]},
        {"speaker": "c", "event_type": "037", "targets": []},
    ]
    event, source, target = score_records(draft, gold)
    assert (event.tp, source.tp, target.tp) == (1, 2, 2)
    assert (target.predicted, target.gold) == (3, 2)
    assert round(source.f1, 3) == 0.667


def test_gold_names_by_version(tmp_path: Path) -> None:
    import json

    from diplograph.graph.extract.evaluate import score_gold

    rec = {
        "text": "Greece demanded that Turkey withdraw its troops.",
        "event": "DEMAND",
        "source": [{"actorText": "Greece", "code": "GRC"}],
        "target": [{"actorText": "Turkey", "code": "TUR"}],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps([{"event": "DOCUMENT", "version": "0.5b1"}, rec]), "utf-8")
    scores, n = score_gold(path)
    by = {s.name: s for s in scores}
    assert n == 1 and by["event"].tp == 1 and by["event (2021 names)"].tp == 0
    assert (by["source"].tp, by["target"].tp) == (1, 1)
    path.write_text(json.dumps([rec]), "utf-8")
    scores, _ = score_gold(path)
    assert [s.name for s in scores] == ["event", "source", "target"] and scores[0].tp == 0


def test_eval_extract_saves_its_section(runner: CliRunner, tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n<!-- load:start -->\nkeep me\n<!-- load:end -->\n")
    for _ in range(2):
        result = runner.invoke(
            cli,
            [
                "eval-extract",
                "--gold",
                str(GOLD),
                "--records",
                str(ARTICLES_DIR / "article-001.yaml"),
                "--save",
                str(results),
            ],
        )
        assert result.exit_code == 0, result.output
    text = results.read_text()
    assert "keep me" in text and text.count("<!-- extract:start -->") == 1
    assert "### article-001.yaml: draft vs hand-written claims" in text
    assert "| event (2021 names) |" in text and "\nevent F1 0." in text
    assert result.output.strip().splitlines()[-1].startswith("event F1 ")


def test_eval_extract_on_records_with_inline_text(runner: CliRunner, tmp_path: Path) -> None:
    """The complete example of docs/claim-records.md (text inline, entities of its own): the
    coder finds both speakers from the file's own entities."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "claim-records.md"
    example = docs.read_text(encoding="utf-8").split("```yaml\n")[1].split("```")[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    result = runner.invoke(cli, ["eval-extract", "--gold", str(GOLD), "--records", str(path)])
    assert result.exit_code == 0, result.output
    assert "example.yaml: draft vs hand-written claims (2 records)" in result.output
    assert "| source | 1.000 | 1.000 | 1.000 | 2 | 2 | 2 |" in result.output


def test_bundled_dictionaries_match_their_source_notes() -> None:
    """Every bundled file is listed in SOURCE.md with its sha256; the gold records keep their
    CC BY-SA notice and the PETRARCH2 files their MIT notice."""
    import hashlib
    import re

    folder = GOLD.parent
    notes = (folder / "SOURCE.md").read_text(encoding="utf-8")
    for name in (
        "CAMEO.verbpatterns.150430.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.Countries.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "PLOVER_GSR_CAMEO_dev.json",
    ):
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        row = next(line for line in notes.splitlines() if name in line and digest in line)
        assert re.search(r"\b[0-9a-f]{64}\b", row)
    assert "Creative Commons Attribution-ShareAlike 4.0" in notes
    assert "The MIT License (MIT)" in notes
    assert "MIT License" in (folder / "Phoenix.Countries.actors.txt").read_text()[:3000]


def test_a_country_is_compared_under_one_code(tmp_path: Path) -> None:
    """A gold record writing Italy ``ITL`` (no code list has it) or East Timor ``TLS`` (Phoenix:
    ``TMP``) counts the coded country as right; different actors stay different."""
    import json

    from diplograph.graph.extract.evaluate import country, score_gold

    assert (country("ITLGOV"), country("ITA"), country("TMP"), country("NGO")) == (
        "ITA",
        "ITA",
        "TLS",
        "NGO",
    )

    def record(code: str) -> dict[str, object]:
        return {
            "id": "T-1",
            "event": "DISAPPROVE",
            "text": "Italy criticized Austria over the border checks.",
            "source": [{"actorText": "Italy", "code": code}],
            "target": [{"actorText": "Austria", "code": "AUT"}],
        }

    for code, right in (("ITL", 1), ("ITA", 1), ("FRA", 0)):
        path = tmp_path / f"{code}.json"
        path.write_text(json.dumps([record(code)]), encoding="utf-8")
        scores, n = score_gold(path)
        source = next(s for s in scores if s.name == "source")
        assert (n, source.tp, source.predicted, source.gold) == (1, right, 1, 1)
