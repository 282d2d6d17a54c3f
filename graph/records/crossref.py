"""Format 2 of claim records: references across sources, topics, dates as written, holdings.

:class:`CrossChecks` is the part of the record checker (:class:`~.check.Checker` builds on it)
that format 2 adds:

- references by IRI path (``claim/article-001/3``), CURIE (``id:person/sergey-lavrov``) or full
  IRI, to entities and claims of other articles and of the datasets, checked against ``known``
  (the store at ingest, and the files ingested together);
- claim links (``supports``, ``contests``, ``contradicts``, ``responds_to``) across articles; a
  reply dated before the claim it answers is refused;
- ``topics`` from the topic scheme (:mod:`diplograph.ontology.topics`);
- ``date_text``, the words of the text that date a claim ("on Saturday"), resolved against the
  article's publication date only (:func:`resolve_relative`), never guessed;
- a tenure's ``as_of``: a date (or ``article``, its publication date) on which the source says the
  post was held;
- an entity's ``same_as`` (it is that existing entity) and ``distinct_from``.

A format 1 file that uses any of these is told that it needs ``format: 2``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rdflib import URIRef

from diplograph import iri
from diplograph.graph.records.dates import RecordDate, parse_date
from diplograph.graph.records.model import (
    ENTITY_TYPES,
    FORMAT_2_FIELDS,
    FORMAT_2_GROUP_FIELDS,
    FORMAT_2_TYPES,
    GROUP_OF_KIND,
    as_list,
)
from diplograph.graph.records.schema import Reporter
from diplograph.graph.records.yaml_lines import LineDict, LineList

CLAIM_ID = re.compile(r"^c([1-9][0-9]*)$")
_CLAIM_PATH = re.compile(r"^claim/[a-z0-9]+(?:[-.][a-z0-9]+)*/[1-9][0-9]*$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"^(?:on |this |last |next |the )?(today|yesterday|tomorrow|day before|"
    r"previous day|next day|(?:mon|tues|wednes|thurs|fri|satur|sun)day|week|month|year)$"
)


def group_of(node: URIRef) -> str | None:
    """The kind of entity a diplograph IRI names, by its first path segment (``person``)."""
    if not str(node).startswith(str(iri.ID)):
        return None
    return GROUP_OF_KIND.get(str(node)[len(iri.ID) :].split("/", 1)[0])


def resolve_relative(text: str, published: RecordDate | None) -> RecordDate:
    """The date that relative words ("on Saturday", "yesterday", "last month") name, counted
    from the publication date. Weekdays and "on"/"last" mean the most recent such day before
    publication, "next" the first one after it. Raises ``ValueError`` saying why it cannot.

    >>> resolve_relative("on Saturday", parse_date("2025-08-18")).text
    '2025-08-16'
    >>> resolve_relative("last month", parse_date("2025-01-10")).text
    '2024-12'
    >>> resolve_relative("on Saturday", None)
    Traceback (most recent call last):
    ValueError: the article's publication date is unknown, so 'on Saturday' cannot be placed
    """
    words = " ".join(text.casefold().replace(",", " ").split())
    m = _RELATIVE.match(words)
    if m is None:
        raise ValueError(
            f"{text!r} is not a relative date diplograph reads (today, yesterday, the day "
            "before, the next day, on/last/next <weekday>, this/last/next week, month or year): "
            "give the date itself in 'date'"
        )
    if published is None:
        raise ValueError(f"the article's publication date is unknown, so {text!r} cannot be placed")
    unit, step = m.group(1), -1 if words.startswith(("last ", "on ", "the ")) else 0
    step = 1 if words.startswith("next ") else step
    if unit in ("year", "month") or unit == "week":
        return _calendar(unit, step, published, text)
    if published.precision != "day":
        raise ValueError(
            f"the article's publication date, {published.text}, is not a day, so {text!r} "
            "cannot be placed"
        )
    day = date.fromisoformat(published.text)
    shift = {"today": 0, "yesterday": -1, "tomorrow": 1, "day before": -1, "previous day": -1}
    if unit in shift or unit == "next day":
        day += timedelta(days=shift.get(unit, 1))
    else:
        wanted = _WEEKDAYS.index(unit)
        if step == 1:
            day += timedelta(days=(wanted - day.weekday() - 1) % 7 + 1)
        else:
            day -= timedelta(days=(day.weekday() - wanted - 1) % 7 + 1)
    return RecordDate(day.isoformat(), "day")


def _calendar(unit: str, step: int, published: RecordDate, text: str) -> RecordDate:
    year = published.year
    if unit == "year":
        return RecordDate(f"{year + step:04d}", "year")
    if unit == "week" or published.precision == "year":
        raise ValueError(f"{text!r} names no day, month or year that diplograph can record")
    month = int(published.text[5:7]) + step
    year, month = (year - 1, 12) if month == 0 else (year + 1, 1) if month == 13 else (year, month)
    return RecordDate(f"{year:04d}-{month:02d}", "month")


@dataclass
class CrossChecks(Reporter):
    """References across sources and the other checks of format 2 (see the module)."""

    format: int = 1
    _dates: dict[str, RecordDate] = field(default_factory=dict)  # "claim c3"/"entity x" -> date
    _links: dict[str, URIRef] = field(default_factory=dict)

    def needs_format_2(self) -> None:
        """Report every format 2 field or type in a format 1 file."""
        if self.format >= 2:
            return
        entities = self.data.get("entities")
        for key, ent in entities.items() if isinstance(entities, LineDict) else []:
            if not isinstance(ent, LineDict):
                continue
            name = ent.get("type") if isinstance(ent.get("type"), str) else None
            etype = ENTITY_TYPES.get(name) if name is not None else None
            if name in FORMAT_2_TYPES:
                self._format_2(ent.key_lines["type"], f"entity {key}", "type", name)
            for name in ent:
                group = etype.group if etype else ""
                if name in FORMAT_2_FIELDS or (group, name) in FORMAT_2_GROUP_FIELDS:
                    self._format_2(ent.key_lines[name], f"entity {key}", name, None)
        claims = self.data.get("claims")
        for claim in claims if isinstance(claims, LineList) else []:
            if isinstance(claim, LineDict):
                for name in FORMAT_2_FIELDS & set(claim):
                    self._format_2(claim.key_lines[name], self._claim_name(claim), name, None)

    def _format_2(self, line: int | None, record: str, fld: str, value: Any) -> None:
        what = f"type {value}" if value is not None else "field"
        self.add(
            line, record, fld, f"is a format 2 {what}: write 'format: 2' at the top of the file"
        )
        self._bad.add(("format-2", record, fld))

    @staticmethod
    def _claim_name(claim: LineDict) -> str:
        return f"claim {claim.get('id')}"

    def node_of(self, value: str, record: str, fld: str, line: int | None) -> URIRef | None:
        """The IRI an IRI path, CURIE or full IRI stands for; reports forms it cannot read."""
        if ":" not in value:
            return iri.ID[value]
        if self.format < 2:
            self.add(
                line,
                record,
                fld,
                f"{value!r} is an IRI or CURIE: references by IRI need 'format: 2' (format 1 "
                "takes IRI paths such as state/russia)",
            )
            return None
        from diplograph.graph.describe.labels import expand_iri

        node = expand_iri(value)
        if node is None or (node.startswith(str(iri.BASE)) and not node.startswith(str(iri.ID))):
            self.add(line, record, fld, f"{value!r} is not an IRI, a known CURIE or an IRI path")
            return None
        return node

    def same_as(self, key: str, ent: LineDict, etype: Any) -> URIRef | None:
        """The existing entity that ``same_as`` names: the declared entity lands on its IRI."""
        record, line, value = f"entity {key}", ent.key_lines["same_as"], ent["same_as"]
        if "iri" in ent:
            self.add(line, record, "same_as", "and 'iri' are both given: give one")
            return None
        if not isinstance(value, str):
            return None
        if "/" not in value and ":" not in value:
            self.add(
                line,
                record,
                "same_as",
                f"{value!r} is not an IRI: same_as names an entity already in the store by its "
                "IRI, CURIE or IRI path (person/sergey-lavrov)",
            )
            return None
        node = self.node_of(value, record, "same_as", line)
        if node is None:
            return None
        if self.known is None or str(node) not in self.known:
            self.add(
                line,
                record,
                "same_as",
                f"{value!r} is not in the store or the files loaded with it: same_as names an "
                "existing entity (to mint a new one, give 'iri' or nothing)",
            )
            return None
        group = group_of(node)
        if group is not None and group != etype.group:
            self.add(line, record, "same_as", f"{value!r} is a {group}, not a {etype.group}")
            return None
        return node

    # -- claim links -----------------------------------------------------------------------
    def claim_link(
        self, other: str, link: str, record: str, line: int | None, ids: set[str], slug: str
    ) -> URIRef | None:
        """The claim a link names: a claim id of this file or a claim of another source."""
        m = CLAIM_ID.match(other)
        if m is not None:
            if other not in ids:
                self.add(line, record, link, f"refers to unknown claim {other!r}")
                return None
            return iri.claim(slug, m.group(1))
        if ":" not in other and not _CLAIM_PATH.match(other):
            self.add(line, record, link, f"refers to unknown claim {other!r}")
            return None
        node = self.node_of(other, record, link, line)
        if node is None:
            return None
        if group_of(node) != "claim" or self.known is None or str(node) not in self.known:
            where = "in the store or the files loaded with it" if self.known is not None else ""
            self.add(
                line,
                record,
                link,
                f"refers to unknown claim {other!r}" + (f" (not {where})" if where else ""),
            )
            return None
        return node

    def chronology(self, claims: list[Any], slug: str) -> None:
        """A reply cannot be dated before the claim it responds to (when both dates are known)."""
        dated = {c.iri: self._dates.get(f"claim {c.id}") for c in claims}
        date_of = getattr(self.known, "date_of", None)
        for c in claims:
            mine = dated[c.iri]
            for j, other in enumerate(as_list(c.data.get("responds_to"))):
                node = self._links.get(f"{c.id} {other}")
                theirs = dated.get(node) if node in dated else None
                if node is not None and node not in dated and date_of is not None:
                    theirs = date_of(node)
                if mine is None or theirs is None:
                    continue
                n = min(len(mine.text), len(theirs.text))
                if mine.text[:n] < theirs.text[:n]:
                    lines = c.data["responds_to"]
                    line = lines.item_lines[j] if isinstance(lines, LineList) else c.line
                    self.add(
                        line,
                        f"claim {c.id}",
                        "responds_to",
                        f"{other!r} is dated {theirs.text}, after this claim ({mine.text}): "
                        "a reply comes after what it answers",
                    )

    def _claim_links(
        self, claim: LineDict, link: str, record: str, cid: Any, ids: set[str], slug: str
    ) -> None:
        value = claim[link]
        lines = value.item_lines if isinstance(value, LineList) else []
        for j, other in enumerate(as_list(value)):
            line = lines[j] if j < len(lines) else claim.key_lines[link]
            if other == cid:
                verb = "respond to" if link == "responds_to" else link.rstrip("s")
                self.add(line, record, link, f"a claim cannot {verb} itself")
                continue
            node = self.claim_link(other, link, record, line, ids, slug)
            if node is not None:
                self._links[f"{cid} {other}"] = node

    def _dated_nodes(self, entities: dict[str, Any], claims: list[Any]) -> Any:
        for ent in entities.values():
            if f"entity {ent.key}" in self._dates:
                yield f"entity {ent.key}", ent.iri
        for c in claims:
            if f"claim {c.id}" in self._dates:
                yield f"claim {c.id}", c.iri

    def _published(self) -> Any:
        article = self.data.get("article")
        try:
            return parse_date(article.get("date")) if isinstance(article, dict) else None
        except ValueError:
            return None

    # -- topics, dates, holdings -----------------------------------------------------------
    def topics_of(self, claim: LineDict, record: str) -> None:
        from diplograph.ontology.topics import find_topic, topics

        value = claim.get("topics")
        lines = value.item_lines if isinstance(value, LineList) else []
        for j, name in enumerate(as_list(value)):
            if not isinstance(name, str) or find_topic(name) is not None:
                continue
            names = [t.key for t in topics().values()] + [t.label for t in topics().values()]
            near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            self.add(
                lines[j] if j < len(lines) else claim.key_lines["topics"],
                record,
                "topics",
                f"{name!r} is not a topic of the topic scheme{hint}; the topics are listed in "
                "ontology/data/topics.ttl",
            )

    def claim_date(
        self, claim: LineDict, record: str, published: RecordDate | None, text: str | None
    ) -> None:
        """The claim's date: ``date`` as given, else resolved from ``date_text``."""
        k = claim.key_lines.get
        said = claim.get("date_text")
        if isinstance(said, str) and text is not None and norm_text(said) not in norm_text(text):
            self.add(k("date_text"), record, "date_text", f"{said!r} is not in the article text")
            return
        try:
            given = parse_date(claim.get("date"))
        except ValueError:
            return  # reported with the other dates
        if given is not None:
            self._dates[record] = given
        elif isinstance(said, str):
            try:
                self._dates[record] = resolve_relative(said, published)
            except ValueError as exc:
                self.add(k("date_text"), record, "date_text", str(exc))

    def as_of(self, ent: LineDict, record: str, published: RecordDate | None) -> None:
        value = ent.get("as_of")
        if value is None:
            return
        if value == "article":
            if published is None:
                self.add(
                    ent.key_lines["as_of"],
                    record,
                    "as_of",
                    "is 'article' but the article's publication date is unknown: give the "
                    "date the source states",
                )
                return
            self._dates[record] = published
            return
        try:
            when = parse_date(value)
        except ValueError as exc:
            self.add(ent.key_lines["as_of"], record, "as_of", f"{value} is not a valid date: {exc}")
            return
        if when is None:
            self.add(ent.key_lines["as_of"], record, "as_of", "must be a date or 'article'")
        else:
            self._dates[record] = when


def norm_text(text: str) -> str:
    """Text as quotes are compared: typographic quotes plain, spaces collapsed, case folded."""
    text = text.translate(str.maketrans("’‘“”", "''\"\""))
    return " ".join(text.split()).casefold()
