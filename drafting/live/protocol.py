"""The stream server's HTTP protocol: uvicorn's h11 protocol, with a deadline on the first request's head.

uvicorn closes a keep-alive connection that stays idle ``--timeout-keep-alive`` seconds after a response,
but a connection that never sends a request (or sends its head a byte at a time) is kept for ever: one
client held 1,000 of them open after 20 s (issue 22). Here the same timeout runs from the moment the
connection is made until the first request's head is complete, and data arriving does not restart it.
Run with ``uvicorn ... --http drafting.live.protocol:FirstRequestDeadline --timeout-keep-alive 5``
(docker-compose.yml's live service). Imports nothing of Django: uvicorn loads it before the app.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol


class FirstRequestDeadline(H11Protocol):
    """h11 with the first request's head due within ``timeout_keep_alive`` seconds of the connection."""

    first_request_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.first_request_deadline = self.loop.call_later(self.timeout_keep_alive, self._too_slow)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None:  # the head is read: the request is the app's now
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _disarm(self) -> None:
        if self.first_request_deadline is not None:
            self.first_request_deadline.cancel()
            self.first_request_deadline = None

    def _too_slow(self) -> None:
        self.first_request_deadline = None
        if self.cycle is None:
            self.timeout_keep_alive_handler()
