"""Write ``docs/queries.md``, the catalogue of named queries, from the ``.rq`` headers.

Run ``python -m diplograph.queries.docs > docs/queries.md`` after adding or changing a query; a test
fails when the file and the headers disagree.
"""

from __future__ import annotations

import shlex

from diplograph.queries.registry import NamedQuery, catalogue

INTRO = """\
# The named query catalogue

Canned SPARQL queries for the questions analysts ask of the diplograph graph. Each is a file
`queries/NAME.rq` whose comment header gives its title, description, typed parameters and tags;
the file stem is its name. Run one from Python, the command line or HTTP:

```python
from diplograph.graph.store import open_graph
from diplograph.queries import run_query

with open_graph("oxigraph:data/store") as graph:
    result = run_query(graph, "threats")
    for row in result.bindings():
        print(row["speaker"], row["target"], row.get("condition", ""))
```

```console
$ diplograph queries                      # the list, with titles
$ diplograph query members-on-date --param organization=organization/nato --param on=1999-11-19
$ diplograph query members-on-date -p organization=organization/nato -p on=1999 --format csv
$ diplograph query --file my-query.rq     # any .rq file; a header is optional
$ diplograph query leader-on-date --show  # the query's header and SPARQL; needs no parameter
$ diplograph query leader-on-date --show -p state=state/russia -p on=2014  # as it would run
$ diplograph sparql "SELECT * WHERE { ?s ?p ?o } LIMIT 5" --format json
```

Over HTTP each query has a page with a parameter form at `/queries/NAME` (and a JSON twin).

`--show` prints the query without opening the store: as written when no `--param` is given, or
with the values checked and bound in a `VALUES` block (the text the query page's "view and edit
SPARQL" opens) when they are.

`--format table` (the default) shows labels instead of bare IRIs; `json`, `xml`, `csv` and `tsv` are
the standard SPARQL 1.1 result formats; a CONSTRUCT query also takes `turtle`, `ntriples`, `jsonld`
and `rdfxml`. Every command takes the group's `--store URL`.

## Parameters

Parameter values are parsed by type and bound to the query's variable of the same name as typed RDF
terms (pyoxigraph substitutions on a local store, a `VALUES` block on a remote one); they never
become query text, so a value such as `x" } ; DROP ALL ; SELECT * { "` is just a string. A value
that is not of its type, an unknown parameter and a missing required one are refused with an error
naming the parameter, e.g. `parameter 'on': '2024-13-01' is not a date (YYYY, YYYY-MM or
YYYY-MM-DD).` (exit code 2 on the command line, HTTP 400 on the server).

{param_table}

A parameter with a default takes it when no value is given; an optional parameter without a default
leaves its variable unbound, which the query reads as "no restriction".

## Dates

Dates in the graph have the precision their source gives: `xsd:date` (`1999-11-19`),
`xsd:gYearMonth` (`1999-11`) or `xsd:gYear` (`1999`). Two dates are compared **at the precision
they share**: both are cut to the shorter of the two (as text, `YYYY` < `YYYY-MM` < `YYYY-MM-DD`)
before comparing. So:

- a relation (membership, tenure, participation, mission, rivalry) holds **on** a date D when its
  start, cut to the shared precision, is on or before D, and its end is on or after D. A COW IGO
  membership that starts in `1999` (year precision) therefore counts on every date of 1999, and one
  that ends in `1999` counts until the end of 1999: a year-precision start means "from the start of
  that year at the earliest", a year-precision end "until the end of that year at the latest". The
  answer is "possibly held on that date"; read the start and end columns for the precision.
- an absent start means the start is unknown (the relation counts as begun); an absent end means the
  relation was still in effect (or its end is unknown), as `dg:endDate` is documented. A relation
  with neither date (a tenure an article mentions without dates) cannot be placed in time and is
  left out of every "on a date" answer. A tenure of a post without an end date ends, at the latest,
  when the next holder of that post took it up (sources often omit the end of an interim tenure);
  the queries about posts, leaders and envoys say so in their descriptions.
- a date range (`start`, `end`) includes a claim whose date lies inside at the shared precision; a
  claim dated `2025` is inside a range starting `2025-03-01`. Claims without a date are left out
  when a range is given, and listed when none is.

In SPARQL the rule for "start ≤ D" reads:
`SUBSTR(STR(?startDate), 1, STRLEN(STR(?on))) <= SUBSTR(STR(?on), 1, STRLEN(STR(?startDate)))`.

## Writing a named query

Put a file `queries/NAME.rq` (lower-case words joined by `-`) in the package, starting with a YAML
header in `#` comments:

```sparql
# title: Members of an organisation on a given date
# description: >-
#   The states that were members of an international organisation on a date ...
# params:
#   - name: organization
#     type: iri
#     example: organization/nato
#     description: The organisation.
#   - name: on
#     type: date
#     example: "1999-11-19"
# tags: [organisations, memberships, time]
```

Keys: `title` and `description` (required), `params` (each with `name`, `type`, and optionally
`description`, `default`, `example`, `required`: a parameter is required unless it has a default
or says `required: false`), `tags`. Then, so that the query runs the same on every store:

- project every parameter variable in the top-level `SELECT` (and `GROUP BY` it in an aggregate
  query): Oxigraph substitutes only projected variables;
- do not use a parameter inside a sub-`SELECT`, in `BOUND(?param)` or in `BIND(?param AS ?x)`;
- test whether an optional parameter was given with `COALESCE(IF(isIRI(?p), condition, true),
  true)` (`isLiteral` for literal types): an unbound parameter makes `isIRI` an error, which
  `COALESCE` turns into "no restriction";
- give an `example` for every parameter: the tests run each query with its examples on the bundled
  data and compare the rows with `tests/queries/expected/NAME.json`.

Then regenerate this file: `python -m diplograph.queries.docs > docs/queries.md`.

## The queries
"""


_PARAM_ROWS = (
    (
        "`iri`",
        "an absolute IRI (`https://…`, `urn:…`, optionally in `<…>`); a CURIE with a known "
        "prefix (`dg:Claim`, `skos:Concept`, `id:state/russia`); or a short path under the data "
        "base: `state/russia` means `https://w3id.org/diplograph/id/state/russia` (any entity "
        "type: `state`, `person`, `post`, `organization`, `agreement`, `claim`, `concept`, "
        "`cameo` …) and "
        "`graph/links` means `https://w3id.org/diplograph/graph/links`",
        "IRI",
    ),
    ("`string`", "any text", "`xsd:string` literal"),
    (
        "`date`",
        "`YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar date)",
        "`xsd:gYear`, `xsd:gYearMonth` or `xsd:date` literal",
    ),
    ("`integer`", "a whole number, optionally signed", "`xsd:integer` literal"),
    (
        "`cameo`",
        "a CAMEO event code of the bundled code list (`12`, `0311`; leading zeros count)",
        "the code's SKOS concept, `id/cameo/CODE`",
    ),
)


def _param_table() -> str:
    lines = ["| type | accepted values | bound as |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in _PARAM_ROWS]
    return "\n".join(lines)


def _example_command(q: NamedQuery) -> str:
    parts = ["diplograph", "query", q.name]
    for name, value in q.example_params().items():
        parts += ["--param", f"{name}={value}"]
    return " ".join(shlex.quote(p) for p in parts)


def _cell(text: str | None) -> str:
    return "" if text is None else text.replace("|", "\\|")


def render(queries: dict[str, NamedQuery] | None = None) -> str:
    """The whole catalogue page as Markdown."""
    found = catalogue() if queries is None else queries
    out = [INTRO.replace("{param_table}", _param_table())]
    for q in found.values():
        out.append(f"- [{q.title}](#{q.name}) (`{q.name}`)")
    out.append("")
    for q in found.values():
        out.append(f'<a id="{q.name}"></a>\n### {q.title}\n')
        out.append(f"`{q.name}` · tags: {', '.join(q.tags) or '(none)'}\n")
        out.append(q.description + "\n")
        if q.params:
            out.append("| parameter | type | required | default | example | description |")
            out.append("|---|---|---|---|---|---|")
            for p in q.params:
                out.append(
                    f"| `{p.name}` | {p.type} | {'yes' if p.required else 'no'} "
                    f"| {_cell(p.default)} | {_cell(p.example)} | {_cell(p.description)} |"
                )
            out.append("")
        out.append(f"```console\n$ {_example_command(q)}\n```\n")
        out.append(
            f"<details><summary>SPARQL</summary>\n\n```sparql\n{q.body.strip()}\n```\n</details>\n"
        )
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - a command
    print(render(), end="")
