"""waitress, embedded: a WSGI server on its own thread with a read deadline per request.

waitress (`create_server`, `TcpWSGIServer`) already gives the HTTP edge what it needs: a
body limit answered 413 with the connection closed and the rest of its input dropped, a
header limit (431), a fixed pool of worker threads that only ever see requests read whole,
a connection limit, an idle timeout (`channel_timeout`) and TCP_NODELAY. Two things are
added here, through the hooks waitress's own tests and WebTest use (`channel_class`,
`maintenance`, running the loop):

* a read deadline: waitress's `channel_timeout` counts from the last byte received, so a
  client sending a header byte every second would never be cut off; `read_timeout` counts
  from a request's first byte;
* start and stop from another thread, with sub-second timeouts (waitress's settings are
  whole seconds), and `poll()` rather than `select()`, which cannot watch more than 1,024
  sockets.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any, cast

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

logger = logging.getLogger(__name__)

STOP_GRACE = 5.0
"""Seconds `stop()` waits for requests in progress."""


class _Channel(HTTPChannel):
    """A connection that knows since when it has been reading its current request."""

    reading_since = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.reading_since = time.time()
        return super().received(data)


class _Server(TcpWSGIServer):
    channel_class = _Channel
    read_timeout = 10.0

    def maintenance(self, now: float) -> None:
        """waitress closes connections idle past `channel_timeout`; here also those whose
        request has not arrived whole within `read_timeout` of its first byte."""
        super().maintenance(now)  # type: ignore[arg-type]  # the stubs say int; it is time()
        channels = cast(dict[int, _Channel], self.active_channels)
        for channel in list(channels.values()):
            if channel.request is not None and now - channel.reading_since > self.read_timeout:
                logger.info("closed a connection whose request took over %gs", self.read_timeout)
                channel.will_close = True


class EdgeServer:
    """`application` on `host:port` (0: a free port) from `start()` until `stop()`, its I/O
    loop on a thread of its own. `settings` are waitress's adjustments."""

    def __init__(
        self,
        application: Any,
        *,
        host: str,
        port: int,
        read_timeout: float,
        idle_timeout: float,
        **settings: Any,
    ) -> None:
        adjustments = Adjustments(
            host=host,
            port=port,
            ident="Bryggan",
            asyncore_use_poll=True,
            log_socket_errors=False,  # a client hanging up is routine, not a traceback
            **settings,
        )
        # Whole seconds in waitress's parser; the attributes themselves take any number.
        tick = max(0.05, min(read_timeout, idle_timeout) / 5)
        adjustments.channel_timeout = idle_timeout  # type: ignore[assignment]
        adjustments.cleanup_interval = tick  # type: ignore[assignment]
        adjustments.asyncore_loop_timeout = tick  # type: ignore[assignment]
        self._map: dict[int, Any] = {}
        # After parsing, `listen` holds socket addresses (the stubs say text).
        address: Any = adjustments.listen[0]
        self._server = _Server(application, map=self._map, adj=adjustments, sockinfo=address)
        self._server.read_timeout = read_timeout
        self._stopping = threading.Event()
        self._tick = tick
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.effective_port)  # type: ignore[attr-defined]

    def start(self, name: str) -> None:
        """Serve on a daemon thread called `name`."""
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        """Until `stop()`: accept, read, hand whole requests to the worker threads."""
        while not self._stopping.is_set():
            wasyncore.loop(timeout=self._tick, map=self._map, use_poll=True, count=1)
        wasyncore.dispatcher.close(self._server)  # stop accepting
        ends = time.monotonic() + STOP_GRACE
        while self._busy() and time.monotonic() < ends:
            wasyncore.loop(timeout=self._tick, map=self._map, use_poll=True, count=1)
        self._close()

    def _busy(self) -> bool:
        channels = cast(dict[int, _Channel], self._server.active_channels)
        return any(c.requests or c.total_outbufs_len for c in list(channels.values()))

    def _close(self) -> None:
        wasyncore.close_all(self._map)
        self._server.task_dispatcher.shutdown(timeout=int(STOP_GRACE))

    def stop(self) -> None:
        """Stop accepting, answer the requests in progress (at most STOP_GRACE seconds),
        close every connection; returns when done. A second call does nothing."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._thread is None:
            self._close()
            return
        # Wake the loop now rather than at its next tick; if it saw the flag first, it has
        # already closed the trigger.
        with contextlib.suppress(OSError):
            self._server.pull_trigger()
        self._thread.join(timeout=3 * STOP_GRACE)
