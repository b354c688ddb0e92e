"""Testcontainers helper: run the local Tansu broker image and yield a Kafka bootstrap address."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

# Ryuk (the reaper container) would be pulled from Docker Hub; the context manager cleans up itself.
os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")

import docker
import requests
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from docker.errors import APIError, DockerException, ImageNotFound
from testcontainers.core.container import DockerContainer
from testcontainers.core.docker_client import DockerClient

from shared.embedded import free_port

DEFAULT_IMAGE = "newswire/tansu:v0.6.0-510f3e2"
"""Built locally by ``.ci/docker.sh`` (``deploy/tansu-image/build.sh``); never pulled."""

KAFKA_PORT = 9092
"""Port the broker listens on inside the container."""

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_BIND_ATTEMPTS = 3


class TansuContainerError(RuntimeError):
    """The Docker engine or the broker image is unusable, or the broker did not become ready."""


def docker_problem(image: str = DEFAULT_IMAGE, *, timeout_s: float = 3.0) -> str | None:
    """Say why the container path cannot run, or ``None`` if it can.

    Args:
        image: The broker image that must exist locally.
        timeout_s: Timeout of each Docker API call.

    Returns:
        A one-line reason (engine not answering, image missing), or ``None``.

    """
    try:
        client = docker.from_env(timeout=max(1, round(timeout_s)))
    except (DockerException, requests.RequestException, OSError) as exc:
        return f"no Docker engine answers ({exc.__class__.__name__}: {exc}); run .ci/docker.sh"
    try:
        client.ping()
        client.images.get(image)
    except ImageNotFound:
        return f"Docker image {image} is not built; run .ci/docker.sh"
    except (DockerException, requests.RequestException, OSError) as exc:
        return f"the Docker engine does not answer ({exc.__class__.__name__}: {exc}); run .ci/docker.sh"
    finally:
        client.close()
    return None


def docker_available(image: str = DEFAULT_IMAGE) -> bool:
    """Whether a Docker engine answers and ``image`` exists locally (a few ms when it does).

    Args:
        image: The broker image that must exist locally.

    Returns:
        ``True`` if :func:`tansu_container` can run.

    """
    return docker_problem(image) is None


async def _probe(bootstrap: str, request_timeout_ms: int) -> None:
    """Ask the broker for its topics once; raises if it does not answer properly."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=request_timeout_ms)
    try:
        await admin.start()
        await admin.list_topics()
    finally:
        await admin.close()


def _answers(bootstrap: str, request_timeout_ms: int) -> Exception | None:
    """Run one probe on a private event loop in a worker thread (callers may be inside a loop).

    Returns:
        ``None`` if the broker answered, else the error it gave.

    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tansu-probe") as pool:
        try:
            pool.submit(asyncio.run, _probe(bootstrap, request_timeout_ms)).result()
        except (KafkaError, OSError) as exc:  # TimeoutError is an OSError
            return exc
    return None


def _logs(container: DockerContainer, tail: int = 30) -> str:
    """Return the container's last log lines, for error messages."""
    with contextlib.suppress(Exception):
        stdout, stderr = container.get_logs()
        lines = (stdout + stderr).decode(errors="replace").splitlines()
        return "\n".join(lines[-tail:]) or "(no output)"
    return "(logs unavailable)"


def _wait_ready(container: DockerContainer, bootstrap: str, timeout_s: float) -> None:
    """Poll until the broker answers a metadata request at ``bootstrap`` (bounded by ``timeout_s``).

    Raises:
        TansuContainerError: The container exited or the broker did not answer in time.

    """
    deadline = time.monotonic() + timeout_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        wrapped = container.get_wrapped_container()
        wrapped.reload()
        if wrapped.status in {"exited", "dead"}:
            raise TansuContainerError(
                f"the broker container exited while starting (status {wrapped.status}):\n{_logs(container)}"
            )
        last = _answers(bootstrap, request_timeout_ms=2_000)
        if last is None:
            return
        time.sleep(0.1)  # poll interval between probes, bounded by the deadline
    raise TansuContainerError(
        f"the broker at {bootstrap} did not answer within {timeout_s:.0f} s (last error: {last!r}):\n"
        f"{_logs(container)}"
    )


def _has_bridge_network(client: DockerClient) -> bool:
    """Whether the engine has its default bridge (``dockerd --bridge=none`` has not)."""
    return bool(client.client.networks.list(names=["bridge"]))


def _configure(image: str) -> tuple[DockerContainer, str]:
    """Build a not yet started broker container; return it and the address it will advertise."""
    container = DockerContainer(image)
    engine = container.get_docker_client()
    host = engine.host()
    local = host in _LOCAL_HOSTS
    connect_host = "127.0.0.1" if local else host
    # Free on every local interface, as Docker publishes on 0.0.0.0 (a remote engine may still
    # have it taken: _start then retries with another).
    port = free_port("0.0.0.0")
    if _has_bridge_network(engine):
        # Publish the container's 9092 on a host port chosen first, so it can be advertised.
        listener = f"tcp://0.0.0.0:{KAFKA_PORT}"
        container.with_bind_ports(KAFKA_PORT, port)
    else:
        # An engine without bridge networking: share the host's network namespace instead.
        if not local:
            raise TansuContainerError(f"the Docker engine at {host} has no bridge network to publish ports")
        listener = f"tcp://127.0.0.1:{port}"
        container.with_kwargs(network="host")
    bootstrap = f"{connect_host}:{port}"
    container.with_command(
        [
            "--listener-url",
            listener,
            "--advertised-listener-url",
            f"tcp://{bootstrap}",
            "--storage-engine",
            "memory://tansu/",
        ]
    )
    return container, bootstrap


def _start(image: str) -> tuple[DockerContainer, str]:
    """Create and start the container, retrying with a new port if the chosen one was taken meanwhile."""
    for attempt in range(1, _BIND_ATTEMPTS + 1):
        container, bootstrap = _configure(image)
        try:
            container.start()
        except APIError as exc:
            with contextlib.suppress(Exception):
                container.stop()
            taken = "port is already allocated" in str(exc) or "address already in use" in str(exc)
            if taken and attempt < _BIND_ATTEMPTS:
                continue
            raise TansuContainerError(f"cannot start {image}: {exc}") from exc
        return container, bootstrap
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def tansu_container(image: str = DEFAULT_IMAGE, *, ready_timeout_s: float = 30.0) -> Iterator[str]:
    """Run the Tansu broker in a container for the duration of the block.

    The broker keeps everything in memory, listens on 9092 inside the container and is
    published on a free host port that is also its advertised listener, so Kafka clients
    connect to it directly. The container is removed on exit, whatever happened.

    Args:
        image: A local image whose entrypoint is ``tansu broker``; built by ``.ci/docker.sh``.
        ready_timeout_s: How long to wait for the broker to answer Kafka requests.

    Yields:
        The bootstrap address, ``127.0.0.1:<port>`` for a local engine.

    Raises:
        TansuContainerError: No Docker engine, the image is not built, or the broker did not start.

    Example:
        >>> with tansu_container() as bootstrap:  # doctest: +SKIP
        ...     producer = AIOKafkaProducer(bootstrap_servers=bootstrap)

    """
    problem = docker_problem(image)
    if problem is not None:
        raise TansuContainerError(problem)
    container, bootstrap = _start(image)
    try:
        _wait_ready(container, bootstrap, ready_timeout_s)
        yield bootstrap
    finally:
        with contextlib.suppress(DockerException, requests.RequestException):
            container.stop()
