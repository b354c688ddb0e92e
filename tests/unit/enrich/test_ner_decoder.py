"""The numpy NER decoder finds exactly the spans spaCy's own greedy parser finds."""

from __future__ import annotations

import pytest

from services.enrich.models import Models
from services.enrich.ner_decoder import GreedyNerDecoder
from tests.conftest import SHARED_DIR
from tests.unit.enrich.stories import MATCH, SUMMIT

SEED = SHARED_DIR / "seed"  # the raw seed story too, when ../shared is there

EDGE_TEXTS = [
    "",
    " ",
    "\n\n",
    "Paris",
    "Angela Merkel",
    "Emmanuel Macron met Olaf Scholz in Berlin",  # an entity on the last token
    "  Hello   Emmanuel Macron  \n\n\n The U.N. said.  ",
    "He said he didn't know. The U.S. and Gov. Smith's aides can't go. It's 5 p.m. on Apr. 3rd.",
    "“We’re here,” said Jens Stoltenberg of NATO at the Munich Security Conference on Feb. 16, 2024.",
]


def _texts() -> list[str]:
    stories = [SUMMIT, MATCH]
    texts = ["\n\n".join((headline, *paragraphs)) for headline, paragraphs in stories]
    texts.append("\n\n".join(texts * 4))  # ~1,500 tokens in one doc
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.txt"))]
    return texts + EDGE_TEXTS


@pytest.mark.parametrize("text", _texts())
def test_decoder_matches_spacy(models: Models, text: str) -> None:
    ner = models.ner
    assert ner.decoder is not None, "the shipped model should be decoded in numpy"
    doc = ner.nlp(text)
    assert ner.decoder(ner.nlp.make_doc(text)) == [(e.start, e.end, e.label_) for e in doc.ents]
    assert list(ner(text)) == list(ner.reference(text))


def test_decoder_refuses_a_model_it_does_not_know(models: Models) -> None:
    class Beam:
        """The ner pipe as it would be configured for beam search."""

        def __init__(self, pipe: object) -> None:
            self.model, self.moves = pipe.model, pipe.moves  # type: ignore[attr-defined]
            self.cfg = {**pipe.cfg, "beam_width": 4}  # type: ignore[attr-defined]

    with pytest.raises(ValueError, match="greedy"):
        GreedyNerDecoder(Beam(models.ner.nlp.get_pipe("ner")))
