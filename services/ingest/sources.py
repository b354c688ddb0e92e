"""The sources registry: one TOML file listing every source, validated by pydantic; API keys stored hashed."""

from __future__ import annotations

import hashlib
import secrets
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class SourceKind(StrEnum):
    """How a source delivers its items."""

    PUSH = "push"
    FOLDER = "folder"
    FEED = "feed"


class Source(BaseModel):
    """One entry of the registry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$", description="Source id, stamped on items.")]
    kind: Annotated[SourceKind, Field(description="push, folder or feed.")]
    url: Annotated[str | None, Field(pattern=r"^https?://", description="Feed URL (kind = feed).")] = None
    path: Annotated[Path | None, Field(description="Watched folder (kind = folder).")] = None
    interval_s: Annotated[float, Field(ge=1, description="Feed polling interval.")] = 300.0
    agency: Annotated[str | None, Field(description="Agency to assume when an item names none.")] = None
    api_key_sha256: Annotated[
        str | None,
        Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the push API key; the key itself is never stored."),
    ] = None
    fetch_article: Annotated[bool, Field(description="Feed: also fetch each entry's linked page.")] = False
    enabled: Annotated[bool, Field(description="Disabled sources are refused (push) or not polled.")] = True

    @model_validator(mode="after")
    def _kind_needs_its_address(self) -> Source:
        if self.kind is SourceKind.FEED and not self.url:
            raise ValueError(f"feed source {self.id!r} needs a url")
        if self.kind is SourceKind.FOLDER and self.path is None:
            raise ValueError(f"folder source {self.id!r} needs a path")
        return self


class SourcesRegistry(BaseModel):
    """Every configured source, ids unique."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _ids_unique(self) -> SourcesRegistry:
        ids = [s.id for s in self.sources]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate source ids: {', '.join(duplicates)}")
        return self

    def get(self, source_id: str) -> Source | None:
        """The source with this id, if configured."""
        return next((s for s in self.sources if s.id == source_id), None)

    def by_key(self, api_key: str) -> Source | None:
        """The source whose hashed key matches ``api_key``."""
        digest = hash_key(api_key)
        # compare_digest: no early exit that would time how much of a hash matched.
        return next((s for s in self.sources
                     if s.api_key_sha256 and secrets.compare_digest(s.api_key_sha256, digest)), None)

    def of_kind(self, kind: SourceKind) -> tuple[Source, ...]:
        """Enabled sources of one kind."""
        return tuple(s for s in self.sources if s.kind is kind and s.enabled)


class RegistryError(ValueError):
    """The sources file is missing, not TOML, or not a valid registry."""


def hash_key(api_key: str) -> str:
    """sha256 of an API key; keys are 256-bit random tokens, so a fast unsalted hash is enough."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh random API key and the hash to put in the registry."""
    key = secrets.token_urlsafe(32)
    return key, hash_key(key)


def load_registry(path: Path | None) -> SourcesRegistry:
    """Read and validate the registry; no file configured means no sources."""
    if path is None:
        return SourcesRegistry()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return SourcesRegistry.model_validate({"sources": data.get("sources", [])})
    except OSError as exc:
        raise RegistryError(f"cannot read sources file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"sources file {path} is not valid TOML: {exc}") from exc
    except ValidationError as exc:
        raise RegistryError(f"sources file {path} is invalid: {exc}") from exc
