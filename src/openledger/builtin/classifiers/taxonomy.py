"""The complaint category taxonomy: keywords per category, configurable.

A company sets its own taxonomy in ``openledger.toml``::

    [taxonomy]
    billing = ["invoice", "bill*", "charged", "refund"]
    delivery = ["parcel", "courier", "tracking"]

Each key is a category name, each value a list of keyword phrases (matched
case-insensitively on word boundaries; a trailing ``*`` matches any ending;
a leading ``~`` marks a generic keyword that weighs half, such as "paid" for
billing).
A configured taxonomy replaces the default one entirely; ``other`` is always
the answer when no keyword matches. Set ``taxonomy_mode = "extend"`` to add
keywords and categories to the default instead of replacing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from openledger.builtin.classifiers.text import PhraseSet, normalise, phrases
from openledger.errors import ConfigError
from openledger.records import Label

OTHER = "other"

DEFAULT_TAXONOMY: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "fraud": (
        "fraud*", "scam*", "unauthori*", "did not make", "did not authori*", "identity theft",
        "stolen card", "card stolen", "card details", "phishing", "fake page", "fake",
        "hacked", "ported my number", "never applied", "used my identity", "safe account",
        "push payment", "estafa", "fraude", "arnaque", "betrug", "sans mon autorisation",
        "non autorisé*", "piraté", "sin mi autorización", "no autorizado*", "hackeado", "gehackt",
        "nicht autorisiert*",
    ),
    "billing": (
        "bill", "bills", "billed", "billing", "invoice*", "~charge", "charged", "charges",
        "charging", "overcharg*", "direct debit", "fee", "fees", "~price*", "pricing", "tariff",
        "subscription", "renewal", "~payment*", "~paid", "~pay", "~refund", "~statement", "~balance",
        "~discount", "~cost", "~£", "~$", "~€", "factura", "cobrado", "cobro", "facture", "frais",
        "rechnung", "tarif", "gebühr",
    ),
    "delivery": (
        "deliver*", "parcel", "package", "~order", "~ordered", "tracking", "courier", "~driver",
        "dispatch*", "shipping", "ship", "shipped", "~arrived", "~arrive", "depot", "~collection",
        "substitution*", "pedido", "envío", "paquete", "colis", "livraison", "livrez", "paket",
        "lieferung", "bestellung", "zustellung",
    ),
    "product-fault": (
        "broken", "broke", "faulty", "defect*", "stopped working", "warranty", "crack*",
        "leak*", "snapped", "peeling", "~zip", "~switch", "~battery", "charger", "~screen",
        "~quality", "~machine", "appliance", "oven", "fridge", "dishwasher", "boiler", "kettle",
        "blender", "lamp", "sofa", "jacket", "boots", "shoes", "trainers", "foundation",
        "headphones", "laptop", "~phone", "~product", "~item", "lavadora", "cafetera", "producto",
        "cassé", "produit", "kaputt", "defekt", "waschmaschine",
    ),
    "technical": (
        "app", "website", "~site", "~online", "login", "log in", "internet", "broadband", "wifi",
        "router", "signal", "network", "outage", "~down", "server*", "~update", "~error",
        "crash*", "bug", "portal", "terminal*", "offline", "reboot*", "~connection", "~speed",
        "~calls", "tv box", "checkout", "dark mode", "réseau", "störung",
    ),
    "account": (
        "~account", "password", "log in", "login", "locked out", "verification", "profile",
        "username", "suspended", "delete my account", "close the account", "~address",
        "membership", "sign up", "cuenta", "compte", "konto", "kundenkonto", "passwort",
    ),
    "travel": (
        "flight", "flights", "airline", "airport", "boarding", "~gate", "luggage", "baggage",
        "suitcase", "train", "trains", "platform", "carriages", "~bus", "hotel", "~booking",
        "holiday", "passenger", "standby", "~seat", "~seats", "check-in", "delay repay",
        "eu261", "uk261", "vuelo", "~vol", "zug", "flug",
    ),
    "insurance": (
        "claim", "claims", "policy", "insur*", "premium", "~cover", "coverage", "~covered",
        "pre-existing", "assessor", "loss adjuster", "~vet", "excess", "policyholder",
        "seguro", "assurance", "versicherung",
    ),
    "banking": (
        "~bank", "banking", "mortgage", "loan", "credit report", "credit file", "credit score",
        "debt", "collection account", "collector", "collection agency", "interest rate",
        "overdraft", "savings", "saver", "foreclos*", "hard inquir*", "credit bureau*",
        "~salary", "~branch", "sort code", "credit", "inquir*", "bureau*", "equifax", "experian",
        "transunion", "fcra", "fdcpa", "credit reporting", "delinquent", "derogatory",
        "collections", "creditor*", "lender", "loan*", "escrow", "servicer", "checking account",
        "savings account", "checking", "deposit*", "atm", "wire transfer", "overdraft*",
        "~account", "~accounts", "banco", "banque", "kredit",
    ),
    "privacy": (
        "gdpr", "personal data", "my data", "data protection", "subject access", "privacy",
        "marketing", "unsubscrib*", "phone number visible", "delete all my data",
        "datos personales", "données personnelles", "datenschutz",
    ),
    "service": (
        "staff", "rude", "manager", "customer service", "~service", "~agent", "on hold",
        "call back", "callback", "called back", "no reply", "no response", "emailed",
        "chatbot", "queue", "waited", "treated", "spoken to", "employee", "barista",
        "security guard", "crew", "~team", "~advisor", "~engineer", "installer", "~helpful",
        "~listen", "departments", "phone line", "call centre", "complaints team", "~support",
        "servicio", "atención", "équipe", "service client", "kundenservice", "~personal",
    ),
})

#: categories that win a tie, most specific first
_PRIORITY = ("fraud", "privacy", "insurance", "banking", "travel", "~account", "product-fault",
             "technical", "delivery", "billing", "service")


@dataclass(frozen=True)
class CategoryCues:
    """The keywords of one category: full-weight ones and ``~`` (half-weight) ones."""

    name: str
    strong: PhraseSet | None
    weak: PhraseSet | None

    def hits(self, text: str) -> list[tuple[str, float]]:
        """(matched text, weight) for every keyword occurrence in normalised ``text``."""
        found = []
        for phrase_set, weight in ((self.strong, 1.0), (self.weak, 0.5)):
            if phrase_set is not None:
                found += [(m, weight * (1.5 if " " in m.strip() else 1.0))
                          for m in phrase_set.find(text)]
        return found


def _cues(name: str, words: tuple[str, ...]) -> CategoryCues:
    strong = [w for w in words if not w.startswith("~")]
    weak = [w[1:] for w in words if w.startswith("~") and w[1:].strip()]
    return CategoryCues(name, phrases(name, strong) if strong else None,
                        phrases(name + "~", weak) if weak else None)


def load_taxonomy(config: Mapping | None) -> dict[str, CategoryCues]:
    """Return the taxonomy from ``config['taxonomy']`` (or the default), compiled.

    Raises :class:`~openledger.errors.ConfigError` when the table is malformed.
    """
    config = config or {}
    table = config.get("taxonomy")
    mode = config.get("taxonomy_mode", "replace")
    if mode not in ("replace", "extend"):
        raise ConfigError(f"taxonomy_mode must be 'replace' or 'extend', not {mode!r}",
                          location="[taxonomy]")
    merged: dict[str, tuple[str, ...]] = {}
    if table is None or mode == "extend":
        merged.update(DEFAULT_TAXONOMY)
    if table is not None:
        if not isinstance(table, Mapping) or not table:
            raise ConfigError("taxonomy must be a non-empty table of category = [keywords]",
                              location="[taxonomy]")
        for name, words in table.items():
            if (not isinstance(name, str) or isinstance(words, str)
                    or not isinstance(words, (list, tuple)) or not words
                    or not all(isinstance(w, str) and w.strip("~ ") for w in words)):
                raise ConfigError(f"category {name!r} needs a non-empty list of keyword strings",
                                  location=f"[taxonomy] {name}")
            merged[name] = tuple(merged.get(name, ())) + tuple(words)
    return {name: _cues(name, words) for name, words in merged.items()}


def categorise(text: str, taxonomy: Mapping[str, CategoryCues], subject: str | None = None) -> Label:
    """Pick the category whose keywords weigh most in ``text`` (and ``subject``).

    A keyword counts 1, a ``~`` keyword 0.5; a phrase of several words 1.5
    times that; subject hits count double. Ties go to the more specific
    category (fraud before billing before service; a company's own
    categories first); no hit at all gives ``other``.
    """
    body = normalise(text)
    head = normalise(subject) if subject else ""
    scores: dict[str, float] = {}
    hits: dict[str, list[str]] = {}
    for name, cues in taxonomy.items():
        found = cues.hits(body) + ([(m, 2 * w) for m, w in cues.hits(head)] if head else [])
        if found:
            hits[name] = sorted({m for m, _ in found})
            scores[name] = sum(w for _, w in found)
    if not scores:
        return Label(OTHER, 0.4, {"matched": {}})
    order = {name: i for i, name in enumerate(_PRIORITY)}
    ranked = sorted(scores, key=lambda n: (-scores[n], order.get(n, -1)))
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    margin = (scores[best] - runner_up) / (scores[best] + runner_up)
    confidence = round(min(0.95, 0.5 + 0.4 * margin + 0.05 * min(scores[best], 2)), 3)
    return Label(best, confidence, {"matched": {n: hits[n] for n in ranked[:3]},
                                    "scores": {n: scores[n] for n in ranked[:3]}})
