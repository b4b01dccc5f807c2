"""Account, order, ticket, booking, policy, claim, customer and member references.

Two kinds of evidence:

- a keyword in English, German, French or Spanish ("order", "Kundennummer",
  "numéro de dossier", "localizador", ...) followed within a few filler words
  ("number", "no.", "#", "is", ":") by an identifier-like token: one with a digit,
  or an upper-case code of 5 to 10 letters after booking words (airline PNRs);
- identifier-shaped tokens on their own: ``#48213``, Amazon-style
  ``112-3456789-1234567``, mixed codes with six or more digits (``INC0012345``)
  and digit runs of eight or more.

Prices, flight numbers (``BA283``), product models (``SM-G991B``, ``XPS 9310``),
versions, years and quantities do not have that shape and stay.

The company's own identifier formats come from ``[[redaction.patterns]]`` in the
config (``name`` and ``regex``); each becomes a redactor whose placeholder is the
upper-cased name, so no plugin is needed for a loyalty or membership number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import hookimpl, patterns
from openledger.builtin.redactors._base import Redactor, section
from openledger.errors import ConfigError
from openledger.records import Span

KEYWORDS = (
    r"account|acct|a/c|policy|order|ticket|booking|reservation|confirmation|claim|customer|"
    r"member(?:ship)?|reference|ref|case|invoice|tracking|consignment|parcel|shipment|contract|"
    r"subscriber|subscription|loyalty|application|complaint|incident|rma|return|refund|transaction|"
    r"txn|serial|pnr|itinerary|voucher|user\s?id|user\s?name|login|client|dossier|meter|mpan|mprn|conf|"
    r"consumer|subscriber|id|sr|crm|cas|"
    r"[a-zäöü]*(?:nummer|nr)|kunden?|bestellung|auftrag|vertrag|rechnung|buchung|versicherung|"
    r"sendung|aktenzeichen|vorgang|referenz|commande|r[ée]f[ée]rence|contrat|r[ée]servation|sinistre|"
    r"facture|adh[ée]rent|colis|suivi|pedido|cliente|referencia|localizador|reserva|p[óo]liza|"
    r"expediente|factura|socio|incidencia|contrato|env[íi]o|seguimiento|zam[óo]wieni[ae]|faktur[ay]|umow[ay]|"
    r"bestelling|factuur|ordine|fattura|encomenda|fatura|sipari[şs]"
)
FILLER = (
    r"(?:\s*(?:(?:number|numbers|num|nos?|nr|id|ref|reference|code|is|was|are|were|ist|lautet|num[ée]ro|n[úu]mero|"
    r"de|du|del|el|la|le|locator|es|est)\b\.?|d'|n°|nº|[#:=]))*"
)
KEYWORD_VALUE = patterns.compile(
    rf"\b(?:{KEYWORDS})\b{FILLER}\s*[:#=]?\s*(?:is\s+)?"
    r"(#?[A-Za-z0-9](?:[A-Za-z0-9_]|[-/.](?=[A-Za-z0-9])|(?<=\d) (?=\d{3,}(?![\w.,]))){2,39})(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
BOOKING_WORDS = patterns.compile(r"booking|reservation|confirmation|conf|pnr|localizador|r[ée]servation|buchung|reserva|ref", re.IGNORECASE)
CARD_TAIL = patterns.compile(
    r"\b(?:card|account|acct)?\s*(?:ending|ends|ending\s+in|ends\s+in|ends\s+with|last\s+(?:4|four)(?:\s+digits)?(?:\s+of\s+\w+)?)"
    r"\s*(?:in|with|of|are|is|was|:)?\s*:?\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)
SORT_CODE = patterns.compile(r"\bsort\s?code\s*(?:is|:)?\s*(\d{2}[- ]?\d{2}[- ]?\d{2})(?!\d)", re.IGNORECASE)
HASH_REF = patterns.compile(r"(?<![\w&])#\s?(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}(?![\w])")
AMAZON = patterns.compile(r"(?<![\d-])\d{3}-\d{7}-\d{7}(?![\d-])")
# the look-aheads read at most what a match can hold (30 characters), not the rest of a run of "/"
MIXED = patterns.compile(r"(?<![\w-])(?=[A-Za-z0-9/\-]{0,29}[A-Za-z])(?=(?:[A-Za-z/\-]{0,29}\d){6})[A-Za-z0-9][A-Za-z0-9/\-]{5,29}(?![\w-])")
SCRAMBLED = patterns.compile(r"(?<![\w-])(?=(?:[A-Z]*\d){2})(?=(?:\d*[A-Z]){3})[A-Z0-9]{8,16}(?![\w-])")
# ASCII edges: a number glued to Chinese or Cyrillic text is still a number of its own
DIGITS = patterns.compile(r"(?<![A-Za-z0-9_.,$£€¥-])\d(?:[-]?\d){7,29}(?![A-Za-z0-9_$£€%]|[.,]\d)")
UNIT = patterns.anchored(
    r"^\d+(?:[.,]\d+)?(?:mah|mg|gb|tb|mb|kb|km|mi|kg|lbs?|ml|mm|cm|hz|khz|mhz|ghz|w|kw|kwh|v|px|k|p|x|st|nd|rd|th|s)$",
    re.IGNORECASE,
)
DATE_SHAPE = patterns.anchored(r"^(?:\d{1,2}-\d{1,2}-(?:19|20)?\d\d|(?:19|20)\d\d-\d{1,2}-\d{1,2})$")
YEAR = patterns.anchored(r"^(?:19|20)\d\d$")
TIME_OR_DATE = patterns.anchored(r"^\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?$|^\d{1,2}(?:am|pm)$", re.IGNORECASE)


def _looks_like_reference(token: str, keyword: str) -> bool:
    """Whether a token after a reference keyword is an identifier and not a count or a word."""
    core = token.lstrip("#")
    compact = re.sub(r"[-/.]", "", core)
    if YEAR.match(compact) or TIME_OR_DATE.match(core) or UNIT.match(compact):
        return False
    if any(c.isdigit() for c in compact):
        if compact.isdigit() and len(compact) < 4:
            return False
        return len(compact) >= 4 and not re.fullmatch(r"\d{1,3}(?:[.,]\d{1,2})?", core)
    # letters only: an upper-case booking code after booking words ("ref XKPQRT")
    return bool(core.isupper() and 5 <= len(core) <= 10 and BOOKING_WORDS.search(keyword))


def find_references(text: str) -> Iterator[Span]:
    """Identifier-like tokens next to reference keywords, and identifier-shaped tokens."""
    for match in KEYWORD_VALUE.finditer(text):
        token = match.group(1)
        keyword = match.group(0)[: match.start(1) - match.start()]
        if _looks_like_reference(token, keyword):
            yield Span(match.start(1), match.end(1), "REFERENCE", 0.95)
    for pattern in (CARD_TAIL, SORT_CODE):
        for match in pattern.finditer(text):
            yield Span(match.start(1), match.end(1), "REFERENCE", 0.9)
    for pattern, score in ((HASH_REF, 0.8), (AMAZON, 0.9), (DIGITS, 0.6)):
        for match in pattern.finditer(text):
            if pattern is DIGITS and DATE_SHAPE.match(match.group()):
                continue
            yield Span(match.start(), match.end(), "REFERENCE", score)
    for match in SCRAMBLED.finditer(text):
        # a transaction code where letters and digits alternate ("QK81HZ2TLM"); a model keeps one run of each ("WRF555")
        if len(re.findall(r"[A-Z]+|\d+", match.group())) >= 5:
            yield Span(match.start(), match.end(), "REFERENCE", 0.7)
    for match in MIXED.finditer(text):
        if not UNIT.match(match.group()) and not re.fullmatch(r"0x[0-9A-Fa-f]+", match.group()):
            yield Span(match.start(), match.end(), "REFERENCE", 0.7)


def custom_redactors(config) -> list[Redactor]:
    """One redactor per ``[[redaction.patterns]]`` entry (``name``, ``regex``)."""
    found = []
    for i, entry in enumerate(section(config, "redaction").get("patterns") or ()):
        name = str(entry.get("name", "")).strip() if hasattr(entry, "get") else ""
        regex = entry.get("regex") if hasattr(entry, "get") else None
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) or not regex:
            raise ConfigError(
                "each [[redaction.patterns]] needs a 'name' (letters, digits, _) and a 'regex'",
                location=f"redaction.patterns[{i}]",
            )
        try:
            pattern = re.compile(regex)
        except re.error as error:
            raise ConfigError(f"invalid regex for {name}: {error}", location=f"redaction.patterns[{i}]") from None
        kind = name.upper()

        def finder(text: str, pattern=pattern, kind=kind) -> Iterator[Span]:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    yield Span(match.start(), match.end(), kind, 1.0)

        found.append(Redactor(f"pattern:{name.lower()}", finder, description=f"config pattern {kind}"))
    return found


@hookimpl
def register_redactors(register, config):
    """Register the reference redactor and the config's own identifier patterns."""
    register(Redactor("reference", find_references, description="account, order, ticket... references"))
    for redactor in custom_redactors(config):
        register(redactor)
