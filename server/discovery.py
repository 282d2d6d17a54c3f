"""How the ``diplograph`` command finds a running server on the same store: the discovery file.

``diplograph serve`` over an on-disk store (``oxigraph:PATH``) holds the store's lock, so no
other process can write to it. Once it listens, it writes ``PATH/diplograph-serve.json``
(:data:`FILENAME`) with the URL that reaches it from this machine, its process id, the store
URL and a token made for this run (:func:`new_token`); the file is created with mode 0600, so
only the user who runs the server can read it, and it is removed when the server stops. A
writing command (``ingest``, ``build``, ``drop``, ``link``, ``import``, ``extract --accept``)
that finds the file sends its operation to the server's local write route
(:mod:`.local_writes`) with that token instead of opening the store.

A file whose process is gone (the server was killed) is stale: :func:`find` removes it and
answers None. A file that is not the user's own, or that others may read, is ignored.

This module needs only the standard library: the command line imports it without Flask.

>>> local_url("0.0.0.0", 5000), local_url("::", 8080), local_url("127.0.0.1", 5000)
('http://127.0.0.1:5000', 'http://[::1]:8080', 'http://127.0.0.1:5000')
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

#: The discovery file's name inside an on-disk store's folder.
FILENAME = "diplograph-serve.json"


@dataclass(frozen=True)
class Discovery:
    """What a running server wrote about itself."""

    path: Path
    url: str
    pid: int
    store: str
    token: str
    started: str = ""


def store_folder(store_url: str) -> Path | None:
    """The folder of an on-disk store URL (``oxigraph:PATH``); None for any other store."""
    if not store_url.startswith("oxigraph:") or len(store_url) == len("oxigraph:"):
        return None
    return Path(store_url[len("oxigraph:") :]).expanduser()


def file_for(store_url: str) -> Path | None:
    """Where the discovery file of a store is (None: a store that has none)."""
    folder = store_folder(store_url)
    return folder / FILENAME if folder is not None else None


def new_token() -> str:
    """A fresh random token for one server run (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def local_url(host: str, port: int) -> str:
    """The base URL that reaches a server bound to ``host``:``port`` from this machine."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def publish(store_url: str, url: str, token: str) -> Path | None:
    """Write the discovery file of ``store_url`` (mode 0600, replaced atomically); returns its
    path, or None for a store that has none."""
    target = file_for(store_url)
    if target is None:
        return None
    data = {
        "url": url,
        "pid": os.getpid(),
        "store": store_url,
        "token": token,
        "started": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    tmp = target.with_name(f".{FILENAME}.{os.getpid()}.partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
        os.chmod(tmp, 0o600)  # whatever the umask
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def withdraw(path: Path, token: str) -> None:
    """Remove the discovery file at ``path`` if it is still the one holding ``token`` (a server
    never removes another run's file)."""
    found = _read(path)
    if found is not None and secrets.compare_digest(found.token, token):
        path.unlink(missing_ok=True)


def find(store_url: str) -> tuple[Discovery | None, str | None]:
    """The running server that holds ``store_url``, if one published itself, and a note for
    the user (a stale file removed, a file ignored) or None."""
    path = file_for(store_url)
    if path is None or not path.exists():
        return None, None
    try:
        info = path.stat()
    except OSError:
        return None, None
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return None, (
            f"Ignored {path}: it must belong to you and be readable by you alone (mode 0600)."
        )
    found = _read(path)
    if found is None:
        return None, f"Ignored {path}: it is not a discovery file diplograph can read."
    if not alive(found.pid):
        remove_stale(found)
        return None, f"Removed the stale {path} (server pid {found.pid} is gone)."
    return found, None


def remove_stale(found: Discovery) -> None:
    """Remove a discovery file whose server is gone (unless a new server replaced it)."""
    withdraw(found.path, found.token)


def alive(pid: int) -> bool:
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _read(path: Path) -> Discovery | None:
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        data = json.loads(path.read_text(encoding="utf-8"))
        found = Discovery(
            path=path,
            url=str(data["url"]),
            pid=int(data["pid"]),
            store=str(data["store"]),
            token=str(data["token"]),
            started=str(data.get("started", "")),
        )
        if found.url.startswith("http://") and found.token and found.pid > 0:
            return found
    return None
