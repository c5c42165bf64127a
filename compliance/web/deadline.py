"""One deadline for a whole request, enforced at every read and write of its socket.

An HTTP client's read timeout starts again with every byte that arrives, so a server that
drips its headers one byte a second, or answers `100 Continue` for ever, holds a request
open as long as it likes: the client waits inside its own loop, where no deadline checked
between redirect hops or body chunks can reach. The network backend made here gives every
socket operation at most the time left before the deadline of the request the calling
thread is making (`request_deadline`), and fails the operation once none is left. This
module knows nothing of HTTP; the fetcher sets the deadline around each request.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore

_current = threading.local()


@contextlib.contextmanager
def request_deadline(at: float) -> Iterator[None]:
    """Socket operations of this thread end by `at` (a `time.monotonic()` value) while inside."""
    before = getattr(_current, "at", None)
    _current.at = at
    try:
        yield
    finally:
        _current.at = before


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    """`timeout` cut to what is left of the thread's request deadline."""
    at = getattr(_current, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise timeout_error("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """The standard blocking backend, with each operation bounded by the request deadline."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport(**options: Any) -> Any:
    """An httpx transport (the options are HTTPTransport's) whose connections keep the
    request deadline. httpx takes no network backend of its own accord: its connection pool
    is given one (the attribute has been httpcore's since 1.0; a test fails if it goes)."""
    import httpx

    transport = httpx.HTTPTransport(**options)
    pool = transport._pool
    if not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpcore's connection pool no longer takes a network backend")
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return transport
