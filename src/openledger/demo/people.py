"""Synthetic customers: names from several languages, with the personal data
people really put in complaints (e-mail, phone, account number, address)."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from openledger.demo.company import CITIES, STREETS

#: language -> (first names, last names); weights below give the customer mix
NAMES = {
    "en": (("James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Susan", "Kevin", "Ashley",
            "Brian", "Megan", "Tyler", "Brittany", "Dwayne", "Tamika", "Connor", "Kayla", "Walter", "Doris"),
           ("Miller", "Johnson", "Williams", "Brown", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
            "Jackson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King")),
    "es": (("María", "José", "Guadalupe", "Carlos", "Lucía", "Alejandro", "Sofía", "Javier", "Camila", "Andrés"),
           ("González", "Rodríguez", "Hernández", "López", "Martínez", "Pérez", "Sánchez", "Ramírez", "Torres",
            "Flores")),
    "fr": (("Jean", "Marie", "Sylvie", "Étienne", "Chloé", "François", "Geneviève", "Luc"),
           ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Dupont", "Lefèvre")),
    "de": (("Jürgen", "Anke", "Lukas", "Greta", "Matthias", "Katrin"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker")),
    "pt": (("João", "Ana", "Thiago", "Beatriz", "Rafael"), ("Silva", "Santos", "Oliveira", "Souza", "Pereira")),
    "pl": (("Krzysztof", "Agnieszka", "Tomasz", "Małgorzata"), ("Kowalski", "Nowak", "Wiśniewski", "Wójcik")),
    "vi": (("Minh", "Lan", "Tuấn", "Hương"), ("Nguyễn", "Trần", "Lê", "Phạm")),
    "it": (("Giuseppe", "Francesca", "Marco", "Chiara"), ("Rossi", "Russo", "Ferrari", "Esposito")),
}
LANGUAGE_WEIGHTS = {"en": 62, "es": 16, "fr": 6, "de": 4, "pt": 4, "pl": 3, "vi": 3, "it": 2}
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net")
#: area codes for the fictional 555-01xx range
AREA_CODES = ("217", "614", "518", "860", "609", "804", "919", "717", "517", "302", "401", "802")


@dataclass(frozen=True)
class Person:
    """One customer and their contact points."""

    number: int
    first: str
    last: str
    language: str
    email: str
    phone: str  # written the way people write it: (217) 555-0143
    account: str  # the company's account number: 8 digits in groups
    street: str
    city: str
    state: str
    zip: str
    handle: str  # twitter screen name
    twitter_id: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.zip}"

    @property
    def e164(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return "+1" + digits


def ascii_fold(text: str) -> str:
    """'Côté' -> 'cote': for e-mail addresses and handles."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def make_person(rng: random.Random, number: int) -> Person:
    """A new customer with consistent contact details."""
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    firsts, lasts = NAMES[language]
    first, last = rng.choice(firsts), rng.choice(lasts)
    f, s = ascii_fold(first), ascii_fold(last)
    local = rng.choice(
        (f"{f}.{s}", f"{f[0]}{s}", f"{f}{s}{rng.randint(1, 99)}", f"{f}_{s[:3]}{rng.randint(60, 99)}")
    )
    email = f"{local}@{rng.choice(MAIL_DOMAINS)}"
    index = rng.randrange(len(CITIES))
    city, state, zip_prefix = CITIES[index]
    phone = f"({AREA_CODES[index]}) 555-01{rng.randint(0, 99):02d}"
    account = f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    street = f"{rng.randint(12, 4890)} {rng.choice(STREETS)}"
    handle = rng.choice(
        (f"{f}{s[:1]}{rng.randint(10, 99)}", f"{f}_{s}", f"the{s}s", f"{f[:3]}{s[:4]}{rng.randint(1, 9)}")
    )
    return Person(
        number=number, first=first, last=last, language=language, email=email, phone=phone, account=account,
        street=street, city=city, state=state, zip=f"{zip_prefix}{rng.randint(0, 99):02d}", handle=handle[:15],
        twitter_id=str(1_300_000_000_000_000_000 + number * 7919),
    )
