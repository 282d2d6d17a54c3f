"""The coder reads like an analyst (issue 19): titled speakers, the article's own voice, places
and states as of the date, dates from the text, criticism, whole quotes, review fields. Every
sentence here is written for these tests."""

from __future__ import annotations

from typing import Any

from diplograph.graph.extract.actors import actor_lexicon
from diplograph.graph.extract.coder import Coder
from diplograph.graph.extract.draft import draft_article
from diplograph.graph.extract.text import parse_article, tokens
from diplograph.graph.store import DiploGraph


def _draft(body: str, date: str | None = None) -> dict[str, Any]:
    article = parse_article(f"A test article\n{body}\n")
    return draft_article(article, slug="test-article", date=date).records


def _draft_with(graph: DiploGraph, body: str) -> dict[str, Any]:
    article = parse_article(f"A test article\n{body}\n")
    return draft_article(article, slug="test-article", graph=graph, date="2024-05-02").records


def test_titled_speaker_is_the_person_and_the_title_a_dated_post() -> None:
    records = _draft(
        "Hungarian Foreign Minister Zoltan Varga-Kiss criticized Romania over the border closure.",
        date="2024-05-02",
    )
    claim = records["claims"][0]
    assert claim["speaker"] == "zoltan-varga-kiss" and claim["event_type"] == "111"
    person = records["entities"]["zoltan-varga-kiss"]
    assert person["type"] == "Official" and person["label"] == "Zoltan Varga-Kiss"
    assert person["note"].startswith("REVIEW")  # new: flagged, not a nearest match
    posts = [e for e in records["entities"].values() if e["type"] == "Post"]
    assert [p["role"] for p in posts] == ["Foreign Minister"]
    tenures = [e for e in records["entities"].values() if e["type"] == "Tenure"]
    assert tenures == [
        {
            "type": "Tenure",
            "holder": "zoltan-varga-kiss",
            "post": next(k for k, e in records["entities"].items() if e["type"] == "Post"),
            "as_of": "article",
        }
    ]


def test_background_sentence_is_the_articles_not_a_mentioned_entity() -> None:
    records = _draft(
        "The Council of Europe, based in Strasbourg, counts Georgia among its members."
    )
    claim = records["claims"][0]
    assert claim["speaker"] == "author" and claim["kind"] == "editorial"
    assert records["entities"]["author"]["type"] == "Author"
    assert "georgia" in claim["targets"]


def test_city_is_not_a_historical_state(full_graph: DiploGraph) -> None:
    def resolve(name: str, on: str) -> tuple[str, str | None]:
        found = actor_lexicon(full_graph, on=on).match(tokens(name), 0)
        assert found is not None
        return found[1].key, found[1].state

    # the capital of Bavaria (a state until 1871) is a city of Germany today
    assert resolve("Munich", "2024-05-02") == ("place/munich", "state/germany")
    assert resolve("Hanover", "2024-05-02") == ("state/germany", "state/germany")
    assert resolve("Hanover", "1850-01-01") == ("state/hanover", "state/hanover")
    records = _draft_with(full_graph, "Germany criticized Poland at a summit in Munich.")
    assert "bavaria" not in str(records["entities"]) and "munich" not in records["entities"]
    assert records["claims"][0]["targets"] == ["poland"]


def test_date_in_the_text_is_the_claims_date() -> None:
    records = _draft(
        "Polish President Marek Wolny criticized Belarus on 14 April 2025 over the fence."
    )
    assert records["claims"][0]["date"] == "2025-04-14"


def test_relative_date_needs_a_known_day() -> None:
    body = "Austria rejected the proposal of Serbia on Saturday."
    undated = _draft(body)["claims"][0]
    assert "date" not in undated and "date_text" not in undated
    dated = _draft(body, date="2024-03-06")["claims"][0]  # a Wednesday
    assert (dated["date"], dated["date_text"]) == ("2024-03-02", "on Saturday")


def test_accusation_of_provocation_is_criticism() -> None:
    records = _draft("The Lithuanian government described the drills of Russia as a provocation.")
    assert records["claims"][0]["event_type"][:2] == "11"
    assert records["claims"][0]["rule"].startswith("criticism")


def test_quote_is_never_cut_mid_phrase() -> None:
    records = _draft('Latvia said NATO\'s expansion was "a guarantee of peace in the region".')
    claim = records["claims"][0]
    assert claim["quote"] == "a guarantee of peace in the region"


def test_every_claim_carries_review_span_and_rule() -> None:
    body = (
        "Hungary rejected the plan of Romania. Kremlin spokesman Dmitry Peskov warned Finland "
        "that Russia would respond."
    )
    records = _draft(body)
    text = records["article"]["text"]
    assert len(records["claims"]) == 2
    for claim in records["claims"]:
        assert claim["review"] == "pending" and claim["rule"]
        start, end = claim["span"]
        assert text[start:end] == claim["paraphrase"]


def test_the_next_day_counts_from_the_last_dated_statement() -> None:
    body = (
        "Norway criticized Sweden on 2 May 2024 over the fishing quotas. "
        "Sweden rejected the criticism of Norway the next day."
    )
    claims = _draft(body, date="2024-05-06")["claims"]
    assert [c.get("date") for c in claims] == ["2024-05-02", "2024-05-03"]
    assert claims[1]["date_text"] == "the next day"
    undated = _draft("Sweden rejected the criticism of Norway the next day.")["claims"][0]
    assert "date" not in undated  # no day told before, no publication day: not guessed


def test_a_lower_case_word_is_not_a_person_of_the_graph(full_graph: DiploGraph) -> None:
    coder = Coder(actor_lexicon(full_graph, on="2023-06-28"))
    text = "Russia's savage attacks on Ukraine continued."
    kinds = {m.actor.kind for m in coder.mentions(tokens(text), text)}
    assert kinds == {"State"}  # not Savage, a prime minister of New Zealand in the 1930s
