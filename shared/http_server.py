"""Serve an ASGI app with uvicorn inside a FastStream service's event loop, on a socket bound up front."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import anyio
import uvicorn
from starlette.types import ASGIApp


class _InProcessServer(uvicorn.Server):
    """uvicorn without its signal handlers: the FastStream app owns SIGINT/SIGTERM and stops us itself."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class HttpServer:
    """An ASGI app listening on ``host:port``; ``port`` is the bound one (useful when 0 was asked for)."""

    def __init__(self, app: ASGIApp, host: str, port: int, shutdown: anyio.Event | None = None) -> None:
        self._config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                                      lifespan="off", timeout_graceful_shutdown=2)
        self._server = _InProcessServer(self._config)
        # Set on stop so long-lived responses (SSE, long-poll) can end before uvicorn waits on them.
        self._shutdown = shutdown or anyio.Event()
        self._task: asyncio.Task[None] | None = None
        self.host, self.port = host, port

    @property
    def url(self) -> str:
        """Base URL of the running server."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Bind (an OSError here is a clear startup failure, not uvicorn's sys.exit) and serve in the background."""
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.setblocking(False)
        self.port = int(sock.getsockname()[1])
        # Connections made before uvicorn is up wait in the listen backlog: nothing is refused.
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))

    async def stop(self) -> None:
        """End live streams, stop accepting, let in-flight requests finish (bounded by uvicorn's graceful timeout)."""
        self._shutdown.set()
        self._server.should_exit = True
        if self._task is not None:
            await self._task
            self._task = None
