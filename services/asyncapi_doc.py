"""The AsyncAPI document of every channel, generated from the stage apps and the contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from shared.contracts import DeadLetter, EnrichedStory, NormalizedStory, RawItem, StoryPublished
from shared.settings import DatabaseSettings, KafkaSettings, Settings

DOC_PATH = Path("docs/asyncapi.json")


def build_spec() -> str:
    """AsyncAPI 3.0 JSON for the default topic names, stable across runs (sorted keys)."""
    from services.enrich.app import create_app as enrich_app
    from services.ingest.app import create_app as ingest_app
    from services.normalize.app import create_app as normalize_app
    from services.publish.app import create_app as publish_app

    # The address is never dialled: only the declared subscribers are read.
    settings = Settings(
        kafka=KafkaSettings(bootstrap_servers="kafka:9092"),
        database=DatabaseSettings(url="sqlite:///:memory:"),
    )
    topics = settings.kafka.topics
    outputs: dict[str, list[tuple[str, type[Any], str]]] = {
        "ingest": [(topics.raw, RawItem, "Raw items as received, original bytes base64-encoded.")],
        "normalize": [(topics.normalized, NormalizedStory, "Clean stories, keyed by story_id.")],
        "enrich": [(topics.enriched, EnrichedStory, "Stories with entities, places, topics and language.")],
        "publish": [(topics.published, StoryPublished, "Every delivered version, in order per story.")],
    }
    brokers = []
    for name, factory in (("ingest", ingest_app), ("normalize", normalize_app), ("enrich", enrich_app),
                          ("publish", publish_app)):
        broker = factory(settings).broker
        assert isinstance(broker, KafkaBroker)
        # Stages publish with broker.publish (to key by story_id); declare the outputs for the document.
        for topic, model, description in outputs[name]:
            broker.publisher(topic, schema=model, title=f"{topic}:{name}", description=description)
        broker.publisher(topics.dlq, schema=DeadLetter, title=f"{topics.dlq}:{name}",
                         description="Dead letters: stage, error code, attempts, original bytes.")
        brokers.append(broker)
    spec = AsyncAPI(*brokers, title="Newswire", version="1",
                    description="Topics and messages of the Newswire pipeline.").to_specification()
    return json.dumps(json.loads(spec.to_json()), indent=2, sort_keys=True) + "\n"


def write_spec(path: Path = DOC_PATH) -> Path:
    """Regenerate the checked-in document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_spec())
    return path
