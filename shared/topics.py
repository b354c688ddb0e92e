"""Topic names and partition counts: the one place that spells them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    """A pipeline stage; also the suffix of its consumer group."""

    INGEST = "ingest"
    NORMALIZE = "normalize"
    ENRICH = "enrich"
    PUBLISH = "publish"


@dataclass(frozen=True, slots=True)
class Topics:
    """Every topic of one pipeline instance, derived from a prefix.

    A prefix (default ``newswire``) lets tests and parallel environments run
    side by side on one cluster without seeing each other's messages.
    """

    prefix: str = "newswire"

    @property
    def raw(self) -> str:
        """Raw items as received by ingest."""
        return f"{self.prefix}.raw"

    @property
    def normalized(self) -> str:
        """Clean stories produced by normalize."""
        return f"{self.prefix}.normalized"

    @property
    def enriched(self) -> str:
        """Stories with entities, topics and language."""
        return f"{self.prefix}.enriched"

    @property
    def published(self) -> str:
        """Every delivered version, in order per story."""
        return f"{self.prefix}.published"

    @property
    def dlq(self) -> str:
        """Dead letters from any stage."""
        return f"{self.prefix}.dlq"

    def input_of(self, stage: Stage) -> str:
        """Topic a stage consumes (ingest has none: it reads the outside world)."""
        inputs = {
            Stage.NORMALIZE: self.raw,
            Stage.ENRICH: self.normalized,
            Stage.PUBLISH: self.enriched,
        }
        if stage not in inputs:
            raise ValueError(f"stage {stage} consumes no topic")
        return inputs[stage]

    def group_of(self, stage: Stage) -> str:
        """Consumer group of a stage's live workers."""
        return f"{self.prefix}.{stage}"

    def all(self) -> tuple[str, ...]:
        """Every topic, in pipeline order."""
        return (self.raw, self.normalized, self.enriched, self.published, self.dlq)
