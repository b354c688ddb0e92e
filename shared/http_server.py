"""Serve an ASGI app with uvicorn inside a service's event loop, started and stopped with it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator

import anyio
import uvicorn
from starlette.types import ASGIApp


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signals to the host process (FastStream owns SIGINT/SIGTERM)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class HttpServer:
    """An HTTP listener owned by a service; ``port`` is the bound one (useful when 0 was asked for)."""

    def __init__(self, app: ASGIApp, host: str, port: int, shutdown: anyio.Event | None = None) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                                lifespan="off", timeout_graceful_shutdown=2)
        self._server = _EmbeddedServer(config)
        self._shutdown = shutdown or anyio.Event()
        self._task: asyncio.Task[None] | None = None
        self.port = port

    async def start(self) -> None:
        """Bind and serve in the background; returns once the socket listens."""
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()  # a bind failure surfaces here, typed by uvicorn/OS
                raise RuntimeError("HTTP server stopped while starting")
            await asyncio.sleep(0.01)  # bounded by the bind: uvicorn exposes no started-event to await
        sockets = [s for server in self._server.servers for s in server.sockets]
        self.port = int(sockets[0].getsockname()[1]) if sockets else self.port

    async def stop(self) -> None:
        """End live streams, stop accepting, and wait for the server to finish."""
        self._shutdown.set()
        self._server.should_exit = True
        if self._task is not None:
            await self._task
