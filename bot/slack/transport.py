"""A Slack `WebClient` whose calls reuse kept-alive connections.

slack_sdk's `WebClient` sends every call through `urllib.request.urlopen`, which opens a new
TCP (and TLS) connection per call and closes it after: a handshake for every card, notice
and reply, about a third of an outbox post's time after a burst. `KeptAliveWebClient` sends
the same requests through a urllib3 connection pool instead (thread-safe, keep-alive, a few
connections per host). Everything else stays slack_sdk's: the request building, the retry
handlers (HTTP 429 with Retry-After is still waited out by `RateLimitErrorRetryHandler`,
which sees the same `HTTPError` as before) and the response parsing.
"""

from __future__ import annotations

import io
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient

POOL_SIZE = 8
"""Connections kept per host: the courier's workers and the outbox sender."""


class KeptAliveWebClient(WebClient):
    """`WebClient` over a urllib3 pool (see the module); a proxy falls back to urllib."""

    def __init__(self, *args: Any, pool_size: int = POOL_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=pool_size, block=False, ssl_context=self.ssl, retries=False
        )

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)
        try:
            answer = self._pool.request(
                "POST",
                url,
                body=req.data,  # type: ignore[arg-type]
                headers=dict(req.header_items()),
                timeout=self.timeout,
                preload_content=True,
            )
        except urllib3.exceptions.HTTPError as error:
            raise _as_urllib_error(error) from error
        headers = HTTPMessage()
        for name, value in answer.headers.items():
            headers[name] = value
        if answer.status >= 400:  # as urlopen: the retry handlers and slack_sdk expect it
            raise HTTPError(
                url, answer.status, answer.reason or "", headers, io.BytesIO(answer.data)
            )
        if headers.get_content_type() == "application/gzip":
            return {"status": answer.status, "headers": headers, "body": answer.data}
        charset = headers.get_content_charset() or "utf-8"
        return {"status": answer.status, "headers": headers, "body": answer.data.decode(charset)}


def _as_urllib_error(error: urllib3.exceptions.HTTPError) -> OSError:
    """What urlopen would have raised: a dropped kept-alive connection stays a
    `ConnectionResetError` or `RemoteDisconnected`, so that slack_sdk's
    `ConnectionErrorRetryHandler` retries it once, as it did a fresh connection's."""
    if isinstance(error, urllib3.exceptions.ProtocolError):
        cause = error.args[1] if len(error.args) > 1 else None
        return cause if isinstance(cause, OSError) else ConnectionResetError(str(error))
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return TimeoutError(str(error))
    return URLError(str(error))
