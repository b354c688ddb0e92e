"""Enrich test fixtures: the real models, loaded once for the whole session."""

from __future__ import annotations

import pytest

from services.enrich.core import Analyzers
from services.enrich.models import Models, load_models


@pytest.fixture(scope="session")
def models() -> Models:
    """NER pipeline, gazetteer and Media Topics, loaded once (load_models caches per process)."""
    return load_models()


@pytest.fixture(scope="session")
def analyzers(models: Models) -> Analyzers:
    """The analyzers core.enrich runs with in the service."""
    return Analyzers(recognize=models.ner, gazetteer=models.gazetteer, topics=models.topics)
