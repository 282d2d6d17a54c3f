"""The floor of a Flask app on waitress (issue 21): what any request costs before diplograph
does anything.

``python -m bench.floor --port N`` serves one Flask route, ``/sparql``, that answers every GET
with the same small SPARQL JSON result (a point lookup's ten rows), under waitress with the
options ``diplograph serve`` uses (16 threads, ``channel_request_lookahead``). No store, no
guard, no worker: the HTTP server and the framework the design card asks for, and nothing else.
:mod:`bench.cheap` times it beside ``diplograph serve`` and Oxigraph server in the same run, so
the ratio of this floor to Oxigraph server bounds from below what any diplograph built on Flask
and waitress can reach on the machine. Not a test.
"""

from __future__ import annotations

import argparse
import json
import sys

#: a point lookup's answer: ten rows of a predicate and an object
BODY = json.dumps(
    {
        "head": {"vars": ["p", "o"]},
        "results": {
            "bindings": [
                {
                    "p": {"type": "uri", "value": f"http://example.org/p{i}"},
                    "o": {"type": "literal", "value": f"value {i}"},
                }
                for i in range(10)
            ]
        },
    }
).encode("utf-8")


def make_app():  # type: ignore[no-untyped-def]
    """The Flask app of the floor: one route, one fixed body."""
    from flask import Flask, Response

    app = Flask("diplograph-floor")

    @app.get("/sparql")
    def sparql() -> Response:
        return Response(BODY, content_type="application/sparql-results+json")

    return app


def main(argv: list[str] | None = None) -> int:
    import waitress

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--threads", type=int, default=16)
    args = ap.parse_args(argv)
    waitress.serve(
        make_app(),
        host="127.0.0.1",
        port=args.port,
        threads=args.threads,
        channel_request_lookahead=1,
        ident="floor",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
