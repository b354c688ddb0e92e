"""Everyday news words the IPTC labels and definitions lack, each pointing to the topic it signals.

Hand-written for this project. Stems as ``text.stem`` makes them (plural 's' off).
They weigh like words of a concept's name, so a story about a late frost reaches
"weather" although no Media Topic definition says "frost".
"""

from __future__ import annotations

_BY_TOPIC: dict[str, str] = {
    "01000000": "orchestra concert film album singer actor museum exhibition theatre novel festival gallery",
    "02000000": "police court arrested arrest prosecutor trial jail prison verdict suspect judge lawsuit",
    "03000000": "crash collision wildfire earthquake rescue casualty evacuation derailment explosion blaze",
    "04000000": "inflation investor profit shipment exporter importer freight port harvest crop grain vineyard "
                "farmer tariff retailer airline ferry",
    "05000000": "school pupil student teacher university curriculum exam classroom",
    "06000000": "emission pollution biodiversity deforestation recycling wildlife habitat",
    "07000000": "hospital patient vaccine nurse doctor disease outbreak virus clinic",
    "09000000": "strike union wage dockworker worker employer layoff walkout",
    "10000000": "holiday tourism recipe fashion restaurant hobby",
    "11000000": "election parliament lawmaker minister cabinet ballot coalition referendum",
    "12000000": "church mosque temple bishop pope clergy pilgrim",
    "13000000": "scientist researcher laboratory satellite software robot telescope",
    "14000000": "homeless poverty migrant refugee pension",
    "15000000": "goal match coach tournament championship league striker goalkeeper medal chess",
    "16000000": "nato troop ceasefire invasion militant airstrike peacekeeper soldier missile army",
    "17000000": "frost storm rain snow heatwave drought forecast forecaster rainfall temperature gale",
}

CUES: dict[str, str] = {word: code for code, words in _BY_TOPIC.items() for word in words.split()}
"""Stem -> top-level Media Topic code."""
