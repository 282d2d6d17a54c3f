"""The checks behind :func:`diplograph.graph.records.load_records`.

A :class:`Checker` takes one parsed record file (with lines, :mod:`.yaml_lines`) whose JSON
Schema errors its :class:`~diplograph.graph.records.schema.Reporter` base has already reported,
then checks what a schema cannot:
every reference names a declared or known entity of the right kind, IRIs are minted once, CAMEO
codes are in the scheme, PLOVER overrides and role types exist, dates exist in the calendar, claim
ids are unique, claim links point to claims, sections are the article's, quotes are verbatim.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from diplograph import iri
from diplograph.graph.records.crossref import CLAIM_ID, CrossChecks, group_of
from diplograph.graph.records.dates import parse_date
from diplograph.graph.records.fields import claim_fields, derived_iri
from diplograph.graph.records.model import (
    CLAIM_LINKS,
    DATE_FIELDS,
    ENTITY_TYPES,
    EXPECTS,
    EXPECTS_IN,
    MULTI_REFS,
    SINGLE_REFS,
    ClaimRecord,
    Entity,
    EntityType,
    RecordFile,
    as_list,
    last_segment,
)
from diplograph.graph.records.review import check_review
from diplograph.graph.records.sources import check_sources
from diplograph.graph.records.yaml_lines import LineDict, LineList


def _type_of(ent: object) -> EntityType | None:
    """The entity type of a declaration, if it names one."""
    name = ent.get("type") if isinstance(ent, dict) else None
    return ENTITY_TYPES.get(name) if isinstance(name, str) else None


@dataclass
class Checker(CrossChecks):
    """Collects every problem of one record file; :meth:`check` returns the checked file."""

    _iris: dict[str, URIRef] = field(default_factory=dict)  # entity key -> IRI
    _by_iri: dict[URIRef, str] = field(default_factory=dict)  # IRI -> entity key
    _refs: dict[str, URIRef] = field(default_factory=dict)

    # -- checking ----------------------------------------------------------------------------
    def check(self) -> RecordFile | None:
        """Run every check; the checked file, or ``None`` if it is too broken to build."""
        article = self.data.get("article")
        article = article if isinstance(article, LineDict) else LineDict()
        slug = article.get("id") if isinstance(article.get("id"), str) else None
        slug = slug if slug and iri.is_slug(slug) else None
        self.format = 2 if self.data.get("format") == 2 else 1
        self.needs_format_2()
        text, text_path = self._text(article)
        entities = self._entities(slug or "article")
        rejected = check_review(self, text)  # never loaded, so not checked further
        claims = self._claims(slug or "article", article, text, rejected)
        self._article(article)
        self.chronology(claims, slug or "article")
        if slug is None or text is None:
            return None
        records = RecordFile(
            path=self.path,
            location=self.location,
            slug=slug,
            article=article,
            text=text,
            text_path=text_path,
            entities=entities,
            claims=claims,
            content_hash="",
            refs=dict(self._refs),
            links=dict(self._links),
            dates={n: self._dates[r] for r, n in self._dated_nodes(entities, claims)},
            format=self.format,
        )
        records.index[records.iri] = (self.data.key_lines.get("article", 1), "article")
        for ent in entities.values():
            records.index.setdefault(ent.iri, (ent.line, f"entity {ent.key}"))
        for claim in claims:
            records.index[claim.iri] = (claim.line, f"claim {claim.id}")
        return records

    def _text(self, article: LineDict) -> tuple[str | None, Path | None]:
        if isinstance(article.get("text"), str):
            return article["text"], None
        name = article.get("text_file")
        if not isinstance(name, str):
            return None, None
        text_path = (self.path.parent / name).resolve()
        try:
            return text_path.read_text(encoding="utf-8"), text_path
        except (OSError, UnicodeDecodeError) as exc:
            reason = "no such file" if isinstance(exc, FileNotFoundError) else str(exc)
            self.add(
                article.key_lines["text_file"],
                "article",
                "text_file",
                f"{name!r} cannot be read ({reason}); the path is relative to this file",
            )
            return None, None

    def _article(self, article: LineDict) -> None:
        line = article.key_lines.get
        if isinstance(article.get("publisher"), str):
            self.resolve(article["publisher"], "article", "publisher", line("publisher"))
        self.date(article.get("date"), "article", "date", line("date"), ("article", "date"))

    def flagged(self, *where: Any) -> bool:
        """True when the schema already reported the value at ``where`` (a path of keys)."""
        return where in self._bad

    def date(
        self, value: Any, record: str, fld: str, line: int | None, bad: tuple[Any, ...]
    ) -> None:
        if value is None or bad in self._bad or (*bad[:2], fld) in self._bad:
            return
        try:
            parse_date(value)
        except ValueError as exc:
            self.add(line, record, fld, f"{value} is not a valid date: {exc}")

    def resolve(self, value: Any, record: str, fld: str, line: int | None) -> URIRef | None:
        """The IRI a reference stands for, checking it names an entity of the right kind."""
        if not isinstance(value, str) or not value:
            return None
        group: str | None = None
        if "/" in value or ":" in value:
            found = self.node_of(value, record, fld, line)
            if found is None:
                return None
            node = found
            if node in self._by_iri:
                group = self._types[self._by_iri[node]].group
            elif self.known is not None and str(node) in self.known:
                group = group_of(node)
            else:
                self.add(
                    line,
                    record,
                    fld,
                    f"refers to unknown entity {value!r}: declare it "
                    "under 'entities' (an IRI path must be declared or already in the graph)",
                )
                return None
        elif value in self._types:
            minted = self._iris.get(value)
            if minted is None:
                return None  # its own problem is reported where it is declared
            node, group = minted, self._types[value].group
        elif isinstance(self.data.get("entities"), dict) and value in self.data["entities"]:
            return None  # declared with a bad type: reported where it is declared
        else:
            near = difflib.get_close_matches(value, list(self._types), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            self.add(
                line,
                record,
                fld,
                f"refers to unknown entity {value!r}{hint}: declare it under 'entities'",
            )
            return None
        mine = record.startswith("entity ") and self._types.get(record[7:])
        expected = EXPECTS_IN.get((mine.group, fld)) if mine else None
        expected = expected or EXPECTS.get(fld)
        if expected and group and group not in expected:
            self.add(
                line,
                record,
                fld,
                f"{value!r} is a {group}, but {fld!r} must be a {' or '.join(sorted(expected))}",
            )
        self._refs[value] = node
        return node

    @property
    def _types(self) -> dict[str, EntityType]:
        entities = self.data.get("entities")
        out: dict[str, EntityType] = {}
        if isinstance(entities, dict):
            for key, ent in entities.items():
                etype = _type_of(ent)
                if etype is not None:
                    out[key] = etype
        return out

    # -- entities ----------------------------------------------------------------------------
    def _entities(self, slug: str) -> dict[str, Entity]:
        raw = self.data.get("entities")
        if not isinstance(raw, LineDict):
            return {}
        decl = {k: e for k, e in raw.items() if isinstance(e, LineDict) and _type_of(e) is not None}
        for key, ent in decl.items():
            etype = ENTITY_TYPES[ent["type"]]
            for name in ent:
                if name not in etype.allowed and ("entities", key, name) not in self._bad:
                    self.add(
                        ent.key_lines[name],
                        f"entity {key}",
                        name,
                        f"does not apply to a {etype.name}",
                    )
        # mint IRIs: posts need their organisation, tenures their holder and post
        order = sorted(decl, key=lambda k: {"Post": 1, "Tenure": 2}.get(decl[k]["type"], 0))
        for key in order:
            self._mint(key, decl[key], raw.key_lines[key], slug)
        out: dict[str, Entity] = {}
        for key, ent in decl.items():
            record, etype = f"entity {key}", ENTITY_TYPES[ent["type"]]
            self._refs_of(ent, record, ("entities", key))
            for name in DATE_FIELDS & set(ent):
                self.date(ent[name], record, name, ent.key_lines[name], ("entities", key, name))
            if "start" in ent and "end" in ent:
                self._ordered(ent, record)
            self.as_of(ent, record, self._published())
            check_sources(self, key, ent)
            if "role_type" in ent and isinstance(ent["role_type"], str):
                from diplograph.ontology.schemes import ROLE_TYPE

                if ent["role_type"] not in ROLE_TYPE:
                    self.add(
                        ent.key_lines["role_type"],
                        record,
                        "role_type",
                        f"{ent['role_type']!r} is not a role type; known: "
                        f"{', '.join(c.label for c in ROLE_TYPE.concepts)}",
                    )
            if key in self._iris:
                label = ent.get("label") or self._tenure_label(ent)
                out[key] = Entity(key, etype, self._iris[key], raw.key_lines[key], ent, str(label))
        return out

    def _tenure_label(self, ent: LineDict) -> str:
        """``Sergey Lavrov as Minister of Foreign Affairs of Russia`` for an unlabelled tenure."""
        names = []
        for name in ("holder", "post"):
            ref = ent.get(name)
            other = self.data["entities"].get(ref) if isinstance(ref, str) else None
            if isinstance(other, dict) and isinstance(other.get("label"), str):
                names.append(other["label"])
            else:
                names.append(last_segment(self._refs[ref]) if ref in self._refs else str(ref))
        return " as ".join(names)

    def _ordered(self, ent: LineDict, record: str) -> None:
        try:
            start, end = parse_date(ent["start"]), parse_date(ent["end"])
        except ValueError:
            return
        if start and end:
            n = min(len(start.text), len(end.text))
            if end.text[:n] < start.text[:n]:
                self.add(
                    ent.key_lines["end"],
                    record,
                    "end",
                    f"{end.text} is before the start, {start.text}",
                )

    def _mint(self, key: str, ent: LineDict, line: int, slug: str) -> None:
        etype, record = ENTITY_TYPES[ent["type"]], f"entity {key}"
        given = ent.get("iri")
        node: URIRef | None = None
        if "same_as" in ent:
            node = self.same_as(key, ent, etype)
            if node is None:
                return
        elif isinstance(given, str) and ("entities", key, "iri") not in self._bad:
            kind = given.split("/", 1)[0]
            if kind not in etype.kinds:
                self.add(
                    ent.key_lines["iri"],
                    record,
                    "iri",
                    f"{given!r} is not an IRI of a "
                    f"{etype.name}: it must start with {' or '.join(k + '/' for k in etype.kinds)}",
                )
                return
            node = iri.ID[given]
        elif given is not None:
            return
        else:
            node = derived_iri(self, ent, etype, record, slug)
        if node is None:
            return
        other = self._by_iri.get(node)
        if other is not None:
            self.add(
                line,
                record,
                "iri" if "iri" in ent else "label",
                f"gives the IRI "
                f"{node.removeprefix(iri.ID)} that entity {other} already has; give one of "
                "them another label or an explicit 'iri'",
            )
            return
        self._iris[key], self._by_iri[node] = node, key

    def _refs_of(self, rec: LineDict, record: str, where: tuple[Any, ...]) -> None:
        for name in (SINGLE_REFS | MULTI_REFS) & set(rec):
            if (*where, name) in self._bad:
                continue
            value = rec[name]
            if name in SINGLE_REFS:
                self.resolve(value, record, name, rec.key_lines[name])
                continue
            lines = value.item_lines if isinstance(value, LineList) else []
            for i, item in enumerate(as_list(value)):
                line = lines[i] if i < len(lines) else rec.key_lines[name]
                self.resolve(item, record, name, line)

    # -- claims ------------------------------------------------------------------------------
    def _claims(
        self, slug: str, article: LineDict, text: str | None, rejected: set[str]
    ) -> list[ClaimRecord]:
        raw = self.data.get("claims")
        if not isinstance(raw, LineList):
            return []

        seen: dict[str, int] = {}
        ids = {c["id"] for c in raw if isinstance(c, dict) and isinstance(c.get("id"), str)}
        sections = article.get("sections")
        out: list[ClaimRecord] = []
        for i, claim in enumerate(raw):
            if not isinstance(claim, LineDict) or str(claim.get("id")) in rejected:
                continue
            raw_id = claim.get("id")
            cid = raw_id if isinstance(raw_id, str) else ""
            m = CLAIM_ID.match(cid)
            record, line = (
                (f"claim {cid}" if isinstance(raw_id, str) else f"claim #{i + 1}"),
                raw.item_lines[i],
            )
            k = claim.key_lines.get
            if m is not None and cid in seen:
                self.add(k("id"), record, "id", f"{cid} is used twice (first at line {seen[cid]})")
            elif m is not None:
                seen[cid] = line
            self._refs_of(claim, record, ("claims", i))
            claim_fields(self, claim, i, record, text, sections)
            self.date(claim.get("date"), record, "date", k("date"), ("claims", i, "date"))
            self.claim_date(claim, record, self._published(), text)
            self.topics_of(claim, record)
            for link in CLAIM_LINKS:
                if link in claim and ("claims", i, link) not in self._bad:
                    self._claim_links(claim, link, record, cid, ids, slug)
            if m is not None and seen.get(cid) == line:
                out.append(
                    ClaimRecord(cid, int(m.group(1)), iri.claim(slug, m.group(1)), line, claim)
                )
        return out
