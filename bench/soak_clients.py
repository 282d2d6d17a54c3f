"""The soak's clients (bench/soak.py): what each kind of client sends and how its answers count.

Kinds of client, each its own process:

- ``cheap``: a small query the result cache has not seen (a random constant in it);
- ``heavy``: a query that runs into the server's query timeout;
- ``malformed``: one of many bad requests (syntax errors, forbidden SERVICE/FROM, deep nesting,
  wrong content types, bodies over the size limit, NUL bytes, invalid UTF-8, updates without a
  token, path tricks);
- ``export``: a whole network view (``/export/full.d3`` and the like), the heaviest page the
  server has.

And :func:`probe`: one paced client beside the storm (a cheap query every tenth of a second),
what a user who is not part of the storm sees; and :func:`hold_idle`: connections that are
opened and then left idle or fed a byte now and
then (slowloris), which must cost the server a socket each and never a request thread.
"""

from __future__ import annotations

import http.client
import random
import socket
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

DG = "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
HEAVY = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x>|!<urn:x>)* ?b . ?c (!<urn:y>)* ?d }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
    'FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a|aa|.)*(b|bb|.)*x$", "i")) }',
]
FORM = "application/x-www-form-urlencoded"

#: What a 503 that sheds load says (with ``Retry-After``), and how the report names it: every
#: query worker busy for ``queue_wait``, or every request slot taken (server/admission.py).
SHEDDING = {b"busy": "busy", b"requests already": "full", b"exports already": "full"}

#: Whole network views, the heaviest pages: each runs the view's queries through the guarded
#: executor and serialises every node and edge.
EXPORTS = [
    "/export/full.d3",
    "/export/full.graphml",
    "/export/actors.gexf",
    "/export/claims.cytoscape",
]


def cheap_query() -> str:
    """A cheap query the result cache has not seen (a random constant in it)."""
    n = random.randrange(10**9)
    return DG + f"SELECT ?s ({n} AS ?k) WHERE {{ ?s a dg:State }} LIMIT 5"


def cheap_request(path: str = "/sparql") -> tuple[str, dict[str, str]]:
    """(URL, headers) of a cheap query: the same request idle, in the storm and for the
    saturation reference (``path``: ``/sparql`` here, ``/query`` for Oxigraph server)."""
    url = path + "?" + urllib.parse.urlencode({"query": cheap_query(), "format": "json"})
    return url, {"Accept": "application/sparql-results+json"}


def malformed() -> tuple[str, str, dict[str, str], bytes]:
    """(method, path, headers, body) of one bad request."""
    q = urllib.parse.quote
    return random.choice(
        [
            ("GET", "/sparql?query=" + q("SELECT * { ?s ?p "), {}, b""),
            ("GET", "/sparql?query=" + q("SELECT * { nope:x ?p ?o }"), {}, b""),
            ("GET", "/sparql?query=" + q("SELECT * { SERVICE <http://x.example/> {} }"), {}, b""),
            ("GET", "/sparql?query=" + q("SELECT * FROM <file:///etc/passwd> {}"), {}, b""),
            ("GET", "/sparql?query=" + q("SELECT * " + "{" * 3000 + "}" * 3000), {}, b""),
            ("GET", "/sparql?query=ASK%20%7B%7D%00", {}, b""),
            ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"),
            ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK { \xff }"),
            ("POST", "/sparql", {"Content-Type": FORM}, b"query=" + b"x" * 1_100_000),
            ("POST", "/update", {"Content-Type": FORM}, b"update=DROP+ALL"),
            ("GET", "/page/..%2f..%2fetc%2fpasswd", {}, b""),
        ]
    )


@dataclass
class Tally:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    cheap_ms: list[float] = field(default_factory=list)
    probe_ms: list[float] = field(default_factory=list)
    idle_opened: int = 0
    idle_closed_by_server: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def merge(self, other: Tally) -> None:
        self.statuses.update(other.statuses)
        self.unexpected += other.unexpected
        self.dropped += other.dropped
        self.cheap_ms += other.cheap_ms
        self.probe_ms += other.probe_ms
        self.idle_opened += other.idle_opened
        self.idle_closed_by_server += other.idle_closed_by_server


def run_client(kind: str, port: int, stop: float, read_timeout: float, think: float) -> Tally:
    """One client (its own process): ``kind`` requests until ``stop``, each followed by a pause
    drawn from an exponential distribution of mean ``think`` seconds (0: back to back). Heavy
    clients never pause: their queries already wait for the timeout."""
    tally = Tally()
    rng = random.Random()
    while time.time() < stop:
        one(port, kind, tally, read_timeout)
        if think > 0 and kind not in ("heavy", "export"):
            time.sleep(min(rng.expovariate(1 / think), max(stop - time.time(), 0)))
    tally.lock = None  # type: ignore[assignment]  # a lock does not cross processes
    return tally


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes, timeout: float
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        try:
            conn.request(method, path, body=body or None, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            # waitress answers a body over max_body with 413 as soon as it sees the length and
            # closes; the answer is there to read although the upload was cut (HTTP allows it)
            if len(body) < 1_000_000:
                raise
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def one(port: int, kind: str, tally: Tally, read_timeout: float) -> None:
    if kind == "cheap":
        path, headers = cheap_request()
        method, body = "GET", b""
    elif kind == "heavy":
        query = random.choice(HEAVY)
        method, path = "POST", "/sparql"
        headers = {"Content-Type": FORM, "Accept": "application/sparql-results+json"}
        body = urllib.parse.urlencode({"query": query}).encode()
    elif kind == "export":
        method, path, headers, body = "GET", random.choice(EXPORTS), {}, b""
    else:
        method, path, headers, body = malformed()
    start = time.perf_counter()
    try:
        status, data = request(port, method, path, headers, body, read_timeout)
    except (OSError, http.client.HTTPException) as exc:
        with tally.lock:
            tally.dropped.append(f"{kind} {method} {path[:80]}: {type(exc).__name__}: {exc}")
        return
    elapsed = (time.perf_counter() - start) * 1000
    with tally.lock:
        tally.statuses[(kind, status)] += 1
        if kind == "cheap" and status == 200:
            tally.cheap_ms.append(elapsed)
        shed = [name for marker, name in SHEDDING.items() if status == 503 and marker in data]
        if status >= 500 and not (shed or (status == 503 and b"ran longer" in data)):
            tally.unexpected.append(f"{kind} {status} {path[:80]}: {data[:200]!r}")
        for name in shed:
            tally.statuses[(f"{kind} {name}", status)] += 1


def probe(port: int, stop: float, every: float = 0.1) -> Tally:
    """A cheap query every ``every`` seconds until ``stop`` (paced, not back to back): its
    latencies, in ms, in ``probe_ms``; any other answer counts as unexpected or dropped."""
    tally = Tally()
    while time.time() < stop:
        url, headers = cheap_request()
        start = time.perf_counter()
        try:
            status, data = request(port, "GET", url, headers, b"", 60)
        except (OSError, http.client.HTTPException) as exc:
            tally.dropped.append(f"probe: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - start
        if status == 200:
            tally.probe_ms.append(elapsed * 1000)
        else:
            tally.unexpected.append(f"probe {status}: {data[:200]!r}")
        time.sleep(max(every - elapsed, 0))
    tally.lock = None  # type: ignore[assignment]
    return tally


def _open_idle(port: int, trickle: bool) -> socket.socket:
    """A connection that sends nothing, or (``trickle``) only the start of a request line."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    if trickle:
        sock.sendall(b"GET /sparql?query=")
    return sock


def hold_idle(port: int, count: int, stop: float) -> Tally:
    """Keep ``count`` idle connections open until ``stop``: half send nothing, half trickle a
    byte of a never-ending request line every few seconds. A connection the server closes (its
    idle timeout) is counted and opened again, so ``count`` stay open all along."""
    tally = Tally()
    socks: list[tuple[socket.socket, bool]] = []
    for i in range(count):
        socks.append((_open_idle(port, i % 2 == 1), i % 2 == 1))
        tally.idle_opened += 1
    while time.time() < stop:
        time.sleep(min(3.0, max(stop - time.time(), 0)))
        for i, (sock, trickle) in enumerate(socks):
            try:
                if trickle:
                    sock.sendall(b"a")
                else:
                    sock.setblocking(False)
                    if sock.recv(1) == b"":
                        raise ConnectionResetError("closed by the server")
            except BlockingIOError:
                pass
            except OSError:
                sock.close()
                tally.idle_closed_by_server += 1
                socks[i] = (_open_idle(port, trickle), trickle)
                tally.idle_opened += 1
    for sock, _ in socks:
        sock.close()
    tally.lock = None  # type: ignore[assignment]
    return tally
