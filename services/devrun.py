"""The dev runner behind ``make run``: embedded broker, four service processes, the sample wire, clean stop."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from shared.broker import ensure_topics
from shared.embedded import EmbeddedBroker, die_with_parent, free_port
from shared.settings import Settings
from shared.topics import Stage

SERVICES = (Stage.PUBLISH, Stage.ENRICH, Stage.NORMALIZE, Stage.INGEST)
"""Start order: consumers of later topics first, so nothing waits on a group join at the end."""

STOP_GRACE_S = 7.0
"""SIGTERM grace before SIGKILL; with the broker's own stop it keeps Ctrl-C under 10 s."""


def sample_files() -> list[Path]:
    """The bundled sample wire (written for this project)."""
    folder = resources.files("services.ingest") / "samples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.is_file())


@dataclass
class ServiceProcess:
    """One service running under ``faststream run``."""

    stage: Stage
    process: subprocess.Popen[bytes]


def _service_env(bootstrap: str, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEWSWIRE_KAFKA__BOOTSTRAP_SERVERS"] = bootstrap
    env.setdefault("NEWSWIRE_DATABASE__URL", f"sqlite:///{workdir / 'newswire.db'}")
    env.setdefault("NEWSWIRE_INGEST__INBOX", str(workdir / "inbox"))
    env.setdefault("NEWSWIRE_LOG__FORMAT", "json")
    return env


def start_service(stage: Stage, env: dict[str, str], logdir: Path) -> ServiceProcess:
    """Start ``stage`` as its own process; its logs go to ``logdir/<stage>.log``, its stdout to ours."""
    log = (logdir / f"{stage}.log").open("ab")
    command = [sys.executable, "-m", "faststream", "run", f"services.{stage}.app:create_app", "--factory"]
    # Own session: the runner decides the shutdown order, whoever receives the terminal's SIGINT.
    process = subprocess.Popen(command, env=env, stdout=None, stderr=log, start_new_session=True,
                               preexec_fn=die_with_parent)
    return ServiceProcess(stage, process)


def stop_all(processes: list[ServiceProcess]) -> None:
    """SIGTERM every service, wait for them together, SIGKILL whatever is left."""
    for sp in processes:
        if sp.process.poll() is None:
            sp.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for sp in processes:
        try:
            sp.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            sp.process.kill()
            sp.process.wait()


@contextmanager
def broker_for(settings: Settings) -> Iterator[str]:
    """Yield bootstrap servers: the configured cluster, or an embedded broker started for the run."""
    if settings.kafka.bootstrap_servers:
        yield settings.kafka.bootstrap_servers
        return
    with EmbeddedBroker(settings.embedded) as broker:
        yield broker.bootstrap_servers


def port_or_free(wanted: int) -> int:
    """``wanted`` if nothing listens there, else a free port (a second run must not fail on a busy port)."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", wanted))
        except OSError:
            return free_port()
    return wanted


def dev_push_source(env: dict[str, str], workdir: Path) -> list[str]:
    """Register a ``dev`` push source for this run (unless a registry is configured); return what to print."""
    from services.ingest.sources import new_key

    if "NEWSWIRE_INGEST__SOURCES_FILE" in env:
        return []
    key, digest = new_key()
    registry = workdir / "sources.toml"
    registry.write_text(f'[[sources]]\nid = "dev"\nkind = "push"\napi_key_sha256 = "{digest}"\n')
    port = port_or_free(int(env.get("NEWSWIRE_INGEST__PUSH__PORT", "8700")))
    env["NEWSWIRE_INGEST__SOURCES_FILE"] = str(registry)
    env["NEWSWIRE_INGEST__PUSH__PORT"] = str(port)
    return [f"newswire: push API at http://127.0.0.1:{port}; try: "
            f"newswire push FILE --url http://127.0.0.1:{port} --key {key}"]


class Stop(Exception):
    """Raised from the signal handler to unwind the runner."""


def run(settings: Settings, *, workdir: Path, samples: bool = True, once: bool = False) -> int:
    """Run the whole pipeline until SIGINT/SIGTERM (or, with ``once``, until every sample is published)."""

    def on_signal(signum: int, _frame: object) -> None:
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    embedded = not settings.kafka.bootstrap_servers
    if embedded and workdir.exists():
        # The embedded broker keeps nothing across runs; start the archive afresh to match it.
        shutil.rmtree(workdir)
    (workdir / "log").mkdir(parents=True, exist_ok=True)
    processes: list[ServiceProcess] = []
    try:
        with ExitStack() as stack:
            bootstrap = stack.enter_context(broker_for(settings))
            kafka = settings.kafka.model_copy(update={"bootstrap_servers": bootstrap})
            asyncio.run(ensure_topics(kafka))
            where = "embedded broker" if embedded else "cluster"
            # Lets `newswire status|dlq|replay` find this run's broker without any setting.
            (workdir / "bootstrap").write_text(bootstrap)
            print(f"newswire: {where} at {bootstrap}; logs in {workdir / 'log'}; Ctrl-C stops", flush=True)
            env = _service_env(bootstrap, workdir)
            from services.publish.admin import dev_subscriber  # the port and demo key of the subscriber API

            for line in dev_subscriber(env):
                print(line, flush=True)
            for line in dev_push_source(env, workdir):
                print(line, flush=True)
            ops_ports = {stage: free_port() for stage in SERVICES}
            for stage in SERVICES:
                processes.append(start_service(stage, {**env, "NEWSWIRE_OPS__PORT": str(ops_ports[stage])},
                                               workdir / "log"))
            ops = " ".join(f"{stage}=http://127.0.0.1:{port}" for stage, port in ops_ports.items())
            print(f"newswire: /metrics /healthz /readyz at {ops}", flush=True)
            if samples:
                inbox = Path(env["NEWSWIRE_INGEST__INBOX"])
                inbox.mkdir(parents=True, exist_ok=True)
                for path in sample_files():
                    shutil.copy(path, inbox / f".{path.name}")  # hidden while copying...
                    (inbox / f".{path.name}").rename(inbox / path.name)  # ...then appears whole
                print(f"newswire: fed {len(sample_files())} sample stories into {inbox}", flush=True)
            while True:
                for sp in processes:
                    if sp.process.poll() is not None:
                        print(f"newswire: {sp.stage} exited with {sp.process.returncode}; "
                              f"see {workdir / 'log' / sp.stage}.log", file=sys.stderr, flush=True)
                        return 1
                if once and _all_published(workdir):
                    return 0
                time.sleep(0.2)
    except Stop as stop:
        print(f"newswire: {stop}, stopping", file=sys.stderr, flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not abandon the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all(processes)


def _all_published(workdir: Path) -> bool:
    """True once the archive holds a version of every sample (``--once`` mode)."""
    import sqlite3

    db = workdir / "newswire.db"
    if not db.exists():
        return False
    with sqlite3.connect(db) as conn:
        try:
            (count,) = conn.execute("SELECT COUNT(DISTINCT story_id) FROM published_versions").fetchone()
        except sqlite3.OperationalError:
            return False
    return int(count) >= len(sample_files())
