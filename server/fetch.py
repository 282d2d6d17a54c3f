"""The sources of an update's ``LOAD`` operations, fetched by the server: network I/O only.

Query workers have no network (:func:`.sandbox.isolate_network`), so the server fetches each
source an update loads before the update goes to a worker, where the source is parsed and
loaded with the other operations (:class:`~.update_delta.Step`). Fetching is bounded: ``http``
and ``https`` only; a redirect is followed only to a source the allow-list (setting
``load_allowlist``) admits, checked again at every hop, at most :data:`MAX_REDIRECTS` hops; all
the sources of one update are read within ``update_timeout`` seconds (connecting, waiting and
reading: a source that trickles is cut at the deadline), and each within ``load_max_bytes``.
The format is the one the ``Content-Type`` names, else the one the IRI's extension names
(:mod:`diplograph.formats`); only formats of triples (a LOAD fills one graph). Each source is
streamed to a temporary file, removed when the update is over, whatever happened.

Failures are :class:`~diplograph.errors.LoadFailed` naming the source: 502 (unreachable, or it
answered an error), 504 (too slow), 413 (too large), 415 (format), 403 (a redirect off the
allow-list, or a scheme other than http/https); a ``LOAD SILENT`` that fails loads nothing and
the update goes on (SPARQL 1.1 Update, section 3.1.4).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from diplograph import formats
from diplograph.errors import ForbiddenQuery, LoadFailed, UnsupportedFormat
from diplograph.server.replicas import LOAD_FOLDER_PREFIX
from diplograph.server.update_delta import Step
from diplograph.server.update_targets import Operation, operations

#: Most redirects followed for one source.
MAX_REDIRECTS = 5
#: Bytes read from the socket at a time.
CHUNK = 64 * 1024
#: Content types that say nothing about the RDF format: the IRI's extension decides first.
GENERIC_TYPES = ("text/plain", "application/octet-stream", "binary/octet-stream")
_NOTHING = "; nothing was written."
#: What LOAD can read: formats of triples.
KINDS: tuple[formats.Kind, ...] = ("graph",)


@dataclass(frozen=True)
class Fetched:
    """A source read to a file."""

    source: str  # the IRI the update names
    url: str  # where it was read (after redirects): the base of its relative IRIs
    path: Path
    format: formats.Format


def allowed(url: str, allowlist: Iterable[str]) -> bool:
    """Whether ``url`` may be loaded: http or https, without user information, under a prefix
    of ``allowlist``, and on the very host and port of a prefix that names them (so that
    ``http://data.example`` admits neither ``http://data.example.evil/`` nor
    ``http://data.example:8080/``).

    >>> allow = ["http://data.example", "https://x.example/rdf/"]
    >>> [allowed(u, allow) for u in ("http://data.example/a.ttl", "http://data.example.evil/",
    ...     "http://data.example@evil.example/", "https://x.example/rdf/b", "ftp://data.example/")]
    [True, False, False, True, False]
    """
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or parts.username is not None:
            return False
        for prefix in allowlist:
            if prefix and url.startswith(prefix):
                named = urlsplit(prefix)
                if not named.netloc or named.netloc == parts.netloc:
                    return True
    except ValueError:  # not a URL at all
        return False
    return False


def _format(source: str, url: str, content_type: str) -> formats.Format:
    """The format of a source: the one ``content_type`` names (unless it is generic), else the
    one the extension of ``url`` or ``source`` names, else a generic type's own (text/plain:
    N-Triples); 415 when none is a format of triples."""
    media = content_type.split(";", 1)[0].strip().lower()
    named = next((f for f in formats.of_kind(*KINDS) if media in f.media_types), None)
    if named is not None and media not in GENERIC_TYPES:
        return named
    for iri in (url, source):
        with contextlib.suppress(UnsupportedFormat):
            return formats.by_suffix(urlsplit(iri).path, kinds=KINDS)
    if named is not None:
        return named
    readable = ", ".join(f"{f.label} ({f.media_type})" for f in formats.of_kind(*KINDS))
    raise LoadFailed(
        f"LOAD <{source}>: cannot read a source of type {media or '(none)'}: LOAD reads "
        f"{readable}, told by Content-Type or by the IRI's extension; nothing was written.",
        415,
    )


class _Deadline:
    """Seconds left until a moment; shuts a socket down when it passes (a source that trickles
    a byte at a time is cut there, whatever the per-read timeout)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.seconds = seconds

    def left(self, source: str) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise LoadFailed(
                f"LOAD <{source}>: the source was not read within {self.seconds:g} s "
                "(setting update_timeout); nothing was written.",
                504,
            )
        return left

    @contextlib.contextmanager
    def guard(self, conn: http.client.HTTPConnection) -> Iterator[None]:
        def cut() -> None:
            if conn.sock is not None:
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(max(self.at - time.monotonic(), 0), cut)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


def _connect(deadline: _Deadline, source: str) -> Callable[..., socket.socket]:
    """``socket.create_connection`` for http.client, with the host name resolved by the
    deadline too (the resolver runs in a thread of its own, left to finish when it is late)."""

    def create(address: tuple[str, int], *_: object) -> socket.socket:
        found: list[list[Any]] = []

        def resolve() -> None:
            with contextlib.suppress(OSError):
                found.append(socket.getaddrinfo(*address, type=socket.SOCK_STREAM))

        resolver = threading.Thread(target=resolve, name="load-resolve", daemon=True)
        resolver.start()
        resolver.join(deadline.left(source))
        deadline.left(source)
        if not found or not found[0]:
            raise OSError(f"cannot resolve the host name {address[0]}")
        error: OSError | None = None
        for family, kind, proto, _name, where in found[0]:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(deadline.left(source))
                sock.connect(where)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError("no address to connect to")

    return create


def _get(url: str, deadline: _Deadline, source: str) -> http.client.HTTPConnection:
    """A connection to ``url`` with the GET request sent (its response not read yet)."""
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
    conn = cls(parts.hostname or "", parts.port, timeout=deadline.left(source))
    conn._create_connection = _connect(deadline, source)  # type: ignore[attr-defined]
    accept = ", ".join(f.media_type for f in formats.of_kind(*KINDS)) + ", */*;q=0.1"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    target = quote(target, safe="!#$%&'()*+,/:;=?@[]~")  # an IRI's other characters as UTF-8
    conn.request(
        "GET",
        target,
        headers={"Accept": accept, "Accept-Encoding": "identity", "User-Agent": "diplograph"},
    )
    return conn


def _save(
    response: http.client.HTTPResponse, out: Path, deadline: _Deadline, source: str, cap: int
) -> None:
    """The body of ``response`` into ``out``: at most ``cap`` bytes (0: any), by ``deadline``."""
    length = response.getheader("Content-Length")
    too_large = (
        f"LOAD <{source}>: the source is larger than this server reads ({cap:,} bytes, setting "
        "load_max_bytes); nothing was written."
    )
    if cap and length is not None and length.strip().isdigit() and int(length) > cap:
        raise LoadFailed(too_large, 413)
    size = 0
    with out.open("wb") as f:
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if cap and size > cap:
                raise LoadFailed(too_large, 413)
            f.write(chunk)
            deadline.left(source)


def _body(
    response: http.client.HTTPResponse,
    source: str,
    url: str,
    deadline: _Deadline,
    cap: int,
    out: Path,
) -> Fetched:
    """The source in a response of 200 (from ``url``) saved to ``out``, with its format."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip()
    if encoding.lower() != "identity":  # identity was asked for; anything else would not parse
        raise LoadFailed(
            f"LOAD <{source}>: the source came with Content-Encoding {encoding}, which LOAD "
            f"does not read{_NOTHING}",
            415,
        )
    fmt = _format(source, url, response.getheader("Content-Type") or "")
    _save(response, out, deadline, source, cap)
    deadline.left(source)  # cut while the body trickled in: 504
    return Fetched(source, url, out, fmt)


def fetch(
    source: str, *, allowlist: Iterable[str], deadline: _Deadline, cap: int, out: Path
) -> Fetched:
    """Read ``source`` into the file ``out`` (module docstring); raises :class:`LoadFailed`."""
    allow = list(allowlist)
    url = source
    for _ in range(MAX_REDIRECTS + 1):
        if not allowed(url, allow):
            via = "" if url == source else f" redirects to <{url}>, which"
            raise ForbiddenQuery(
                f"LOAD <{source}>{via} is not allowed on this server: only http(s) "
                "sources on the allow-list (setting load_allowlist) may be loaded; nothing was "
                "written."
            )
        conn = None
        try:
            conn = _get(url, deadline, source)
            with deadline.guard(conn):
                response = conn.getresponse()
                deadline.left(source)  # cut while the headers trickled in: 504
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise LoadFailed(
                            f"LOAD <{source}>: a redirect without a Location{_NOTHING}"
                        )
                    url = urljoin(url, location.strip())
                    continue
                if response.status != 200:
                    raise LoadFailed(
                        f"LOAD <{source}>: the source answered {response.status} "
                        f"{response.reason}"
                        + (f" (from <{url}>)" if url != source else "")
                        + _NOTHING
                    )
                return _body(response, source, url, deadline, cap, out)
        except (OSError, ValueError, http.client.HTTPException) as exc:  # ValueError: a bad port
            deadline.left(source)  # 504 when the deadline cut it
            raise LoadFailed(
                f"LOAD <{source}>: the source is unreachable: {exc}{_NOTHING}"
            ) from None
        finally:
            if conn is not None:
                conn.close()
    raise LoadFailed(f"LOAD <{source}>: more than {MAX_REDIRECTS} redirects{_NOTHING}")


@contextlib.contextmanager
def steps(
    text: str, *, allowlist: Iterable[str], timeout: float, max_bytes: int
) -> Iterator[list[Step]]:
    """The update ``text`` (its LOAD sources allow-listed by the guard) as steps for a worker,
    in order: each run of other operations as one step, each LOAD as its source fetched (within
    ``timeout`` seconds in all) to a temporary file, removed when the ``with`` block ends. A
    ``LOAD SILENT`` whose source fails is left out."""
    ops = operations(text)
    deadline = _Deadline(timeout)
    # named by this server's pid: a folder a killed server left is removed at the next start
    folder = Path(tempfile.mkdtemp(prefix=f"{LOAD_FOLDER_PREFIX}{os.getpid()}-"))
    try:
        out: list[Step] = []
        run: list[Operation] = []  # operations (not LOAD) since the last step
        for n, op in enumerate([*ops, None]):
            if op is not None and op.load is None:
                run.append(op)
                continue
            if run:
                body = run[0].body
                lines = "\n" * text.count("\n", 0, body)  # errors name the update's own line
                out.append(Step(f"{lines}{text[body : run[-1].end]}", run[0].declared))
                run = []
            if op is not None:
                step = _load(op, allowlist, deadline, max_bytes, folder / f"source-{n}")
                out += [step] if step is not None else []
        yield out
    finally:
        for f in folder.glob("*"):
            f.unlink(missing_ok=True)
        folder.rmdir()


def _load(
    op: Operation, allowlist: Iterable[str], deadline: _Deadline, cap: int, out: Path
) -> Step | None:
    """The step of a LOAD: its source fetched to ``out``; None for a LOAD SILENT that failed."""
    assert op.load is not None
    try:
        got = fetch(op.load, allowlist=allowlist, deadline=deadline, cap=cap, out=out)
    except (LoadFailed, ForbiddenQuery):
        if op.silent:
            return None
        raise
    return Step(
        source=op.load,
        path=str(got.path),
        format=got.format.oxigraph or "",
        label=got.format.label,
        base=got.url,
        graph=op.into or "",
        silent=op.silent,
        declared=op.declared,
    )
