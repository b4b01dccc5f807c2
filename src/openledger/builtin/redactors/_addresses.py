"""Postal addresses: street lines, PO boxes and postcodes.

A street line is a house number with a street name and a street type in
English ("221B Baker Street", "1600 Pennsylvania Ave NW"), German
("Hauptstraße 12", "Am Markt 3"), French ("12 rue de la Paix"), Spanish
("Calle Mayor 5, 3º B") or Indian ("12, MG Road") form, or one of the forms
of :mod:`._address_forms` (Dutch, Scandinavian, Polish, Italian, Portuguese,
Belgian streets, units and buildings before the street, romanised Japanese
blocks, farms, hamlets and estate lots, a street without a number before its
house "Mpaka Road, Hse No. 14"). From a street line the
span grows over the following comma or line separated parts that look like an
address (town, county, state, postcode), so the whole address becomes one
``[ADDRESS]``. Postcodes are found on their own where their shape is
distinctive (UK, Canada, Ireland) or where the context says so (US ZIP after a
state, five digits or the Dutch, Polish, Portuguese and Swedish shapes before
a town, Indian PIN after a city or "PIN"); a postcode grows back over the
comma-separated parts before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._address_forms import (
    CAPW,
    JP_STREET,
    LOWER,
    NL_STREET,
    NUMBERED_PART,
    PL_STREET,
    POSTAL_TOWN,
    ROMANCE_STREET,
    RURAL_LED,
    UNIT_AFTER,
    grow_units,
)
from openledger.builtin.redactors._address_native import native_addresses
from openledger.records import Span

CAP = CAPW
EN_TYPES = (
    r"Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Close|Court|Ct|Way|Place|Pl|Boulevard|Blvd|"
    r"Crescent|Cres|Terrace|Tce|Gardens|Gdns|Grove|Square|Sq|Hill|Park|Row|Parkway|Pkwy|Highway|Hwy|"
    r"Circle|Cir|Trail|Trl|Mews|Walk|Rise|View|Green|Parade|Quay|Wharf|Broadway|Alley|Loop|Pike|"
    r"Heights|Hts|Cross|Marg|Nagar|Layout|Colony|Estate|Plaza|Causeway|Embankment|Esplanade|Strand|"
    r"Wynd|Brae|Vale|Loan|Vennel|Croft|Meadows?|Fold|Drove|Yard|Cottages|Cotts|Buildings|Villas|Mansions|Approach|Chase|"
    r"Circus|Gate|Glen|Grange|Mount|Ridge|Dale|Hollow|Paddock|Orchard|Pde|Cct|Circuit|Esp"
)
UNIT = r"(?:(?:Flat|Apt|Apartment|Suite|Ste|Unit|Room|Floor|House|Block|Bldg|Building|No\.?|#)\s*[A-Za-z0-9/-]+\s*,?\s*)"
EN_STREET = patterns.compile(
    rf"(?:{UNIT}){{0,3}}(?<![\w$£€.,:/-])\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}}[A-Za-z]?)?,?\s+"
    rf"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
    rf"(?:(?:\d{{1,3}}(?:st|nd|rd|th)|\d{{1,3}}(?=\s+(?:St|Street|Ave|Avenue|Rd|Road)\b)|{CAP}|of|the|de|la)\s+){{1,4}}(?:{EN_TYPES})\b\.?"
    rf"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
    rf"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*[A-Za-z0-9-]+)?"
)
# the same in lower case, as people type on a phone ("12008 blue ridge blvd"): only street types that
# are not everyday words, and no filler or unit words as the street's name ("3 hours on the road" stays)
_NOT_NAME = r"(?:the|on|in|at|to|for|of|my|a|an|and|or|from|by|per|more|than|hours?|days?|minutes?|mins?|times?|weeks?|months?|years?|miles?|km|dollars?|bucks|calls?|emails?)"
EN_STREET_LOWER = patterns.compile(
    r"(?<![\w$£€.,:/-])\d{1,5}[a-z]?\s+(?:(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?\s+)?"
    rf"(?:(?!{_NOT_NAME}\b)[a-z][a-z'’-]+\s+){{1,3}}"
    r"(?:street|st|road|rd|avenue|ave|blvd|boulevard|dr|ln|ct|pkwy|hwy|highway|parkway|terrace|crescent|cres)\b\.?"
)
# its town, state and ZIP code, in lower case too: ", grandview mo 64030", ", phx,85029"
LOWER_TAIL = patterns.anchored(
    r",?[ \t]*(?:[a-z][a-z.'’-]*(?:[ \t]+[a-z][a-z.'’-]*){0,2}[ \t]*,?[ \t]*)?"
    r"(?:\d{5}(?:-\d{4})?(?!\d)|[a-z]{1,2}\d[a-z\d]?[ \t]?\d[a-z]{2}(?![\w])|(?:nsw|vic|qld|sa|wa|tas|act|nt),?[ \t]+\d{4}(?!\d))"
)
# a unit before a lower-case street: "flat 3b, 40 chalk farm rd"
LOWER_UNIT_BEFORE = patterns.windowed(24, r"(?<![\w])(?:flat|apt|apartment|unit|suite)\.?[ \t]*[a-z]?\d{1,4}[a-z]?[ \t]*[,/]?[ \t]*$")
DE_STREET = patterns.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad|markt)"
    r"|(?:Am|An der|An den|Auf dem|Auf der|Im|In der|In den|Zum|Zur|Unter den|Hinter der)\s+[A-ZÄÖÜ][\wäöüß-]+"
    # "Berliner Straße 12", "Alten Gasse 3a", "Karl-Marx-Allee 90" (not "auf Platz 3")
    r"|(?!(?:Auf|Der|Die|Das|Dem|Den|Im|Am|Zum|Zur|Mein|Meine|Unser|Ihr|Ihre)\s)[A-ZÄÖÜ][\wäöüß]*(?:-[A-ZÄÖÜ][\wäöüß]*)*[ -]"
    r"(?:Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Steig|Pfad|Markt))"
    r"\s+\d{1,4}\s?[a-z]?(?![\w])"
)
FR_STREET = patterns.compile(
    r"(?<![\w.,])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|all[ée]e|chemin|place|impasse|quai|route|cours|square|passage)"
    r"\s+(?:(?:de|du|des|la|le|les|l'|d')\s*)*[A-ZÉÈ][\w'’-]*(?:[ \t]+(?:(?:de|du|des|la|le|l'|d')[ \t]*)*[A-ZÉÈ][\w'’-]*)*",
    re.IGNORECASE,
)
CY_STREET = patterns.compile(
    # Welsh and Irish: "12 Heol y Bryn", "Ffordd Penrhos", "Lôn Isaf", "22 Bóthar na Trá" (the type comes first)
    r"(?<![\w])(?:\d{1,4}[A-Za-z]?,?\s+)?(?:Heol|Ffordd|L[ôo]n|Stryd|Rhodfa|Maes|Cilgant|Clos|Llwybr|Teras|"
    r"B[óo]thar|Sr[áa]id|Ascal|Cearn[óo]g)"
    r"\s+(?:(?:y|yr|'r|ap|ab|na|an|an\s+t-?)\s+)?[A-ZÂÊÎÔÛŴŶ][\w'’ôâêîûŵŷ-]*(?:[ -](?:y|yr|[A-ZÂÊÎÔÛŴŶ][\w'’ôâêîûŵŷ-]*)){0,2}"
)
IE_COUNTIES = (
    r"Antrim|Armagh|Carlow|Cavan|Clare|Cork|Derry|Londonderry|Donegal|Down|Dublin|Fermanagh|Galway|Kerry|Kildare|"
    r"Kilkenny|Laois|Leitrim|Limerick|Longford|Louth|Mayo|Meath|Monaghan|Offaly|Roscommon|Sligo|Tipperary|Tyrone|"
    r"Waterford|Westmeath|Wexford|Wicklow"
)
IE_COUNTY = patterns.compile(rf"\b(?:Co\.?|County)\s+(?:{IE_COUNTIES})\b")
ES_STREET = patterns.compile(
    r"(?<![\w])(?:Calle|C/|Plaça|Passeig|Rua|Avenida|Avda\.?|Av\.|Paseo|Pº|Plaza|Pza\.|Camino|Carrer|Ronda|Traves[íi]a|Rambla|Carretera|Ctra\.)"
    r"\s*(?:(?:de|del|la|las|los|el)\s+)*[A-ZÁÉÍÓÚÑ0-9][\w'-]*(?:\s+(?:de|del|la|las|los|el|y|[A-ZÁÉÍÓÚÑ][\w'-]*))*"
    r",?\s*(?:n[º°o]\.?\s*)?\d{1,4}(?:\s*,?\s*\d{1,2}\s*[º°ª](?:\s*(?:\d{1,2}\s*[º°ª]|[A-Za-z](?![\w])))?"
    r"(?:\s*(?:izq(?:da|uierda)?|dcha|der(?:echa)?|esq(?:uerdo)?|dto|dir(?:eito)?|centro|ctro|pta\.?\s*\d{1,2}|puerta\s+\d{1,2})\.?(?![\w]))?)?"
)
UNIT_LED = patterns.compile(
    rf"(?<![\w])(?:Flat|Apt\.?|Apartment|Villa|House|H\.\s?No\.?|H\s?No\.?|Plot(?:\s+No\.?)?|Door(?:\s+No\.?)?|Unit|Suite|Room|Block|#)"
    rf"\s*[A-Za-z]?\d[\w/-]*(?:[ \t]+(?:Tower|Bldg|Building|Block|Blk|Wing|Floor)[ \t]*[A-Za-z]?\d{{1,3}}[A-Za-z]?)?"
    rf"\s*,\s*{CAP}(?:\s+{CAP}){{0,3}}(?:[ \t]+\d{{1,3}}(?:-?[A-Z])?(?![\w-]))?"
)
NAMED_STREET_UNIT = patterns.compile(
    rf"(?<![\w]){CAP}(?:[ \t]+{CAP}){{0,2}}[ \t]+(?:Road|Rd|Street|St|Avenue|Ave|Lane|Drive|Crescent|Close|Way)\.?"
    r"[ \t]*,[ \t]*(?:Hse|House|Plot|Flat|Apt|Apartment|Unit|Block|Door)\.?[ \t]*(?:No\.?[ \t]*)?\d{1,4}[A-Za-z]?(?![\w])"
)
PARTICLES = r"upon|on|de|la|le|am|sur|y|yr|the|of|del|di|an|der|na|nan"
LEFT_PART = patterns.anchored(
    rf"(?:{NUMBERED_PART}|(?:Co\.\s+)?{CAP}(?:[ \t]+(?:{CAP}|{PARTICLES})){{0,3}}|\d{{1,5}}[A-Za-z]?,?[ \t]+{CAP}(?:[ \t]+(?:{CAP}|{PARTICLES})){{0,4}})"
    rf"[ \t]*(?:,[ \t]*\n?|\n)[ \t]*$"
)
TOWN_BEFORE = patterns.windowed(40, rf"{CAP}(?:[ \t]+{CAP})?[ \t]+$")
PO_BOX = patterns.compile(
    r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box|Postfach|Postbus|Postboks|Bo[îi]te postale|BP|Apartado(?: de correos| postal)?|"
    r"Caixa Postal|Casilla(?: de correo)?|Skrytka pocztowa|Casella postale|GPO Box|Private Bag|"
    r"(?:RR|R\.R\.|Rural Route|HC|Star Route)\s*\d{1,3}\s+Box)\s+\d(?:[\d ]{0,8}\d)?(?:-\d{3,5})?\b",
    re.IGNORECASE,
)
# a rural route without a box number, before its town: "Rural Route 1, Vankleek Hill ON K0B 1R0"
RURAL_ROUTE = patterns.compile(r"(?<![\w])(?:Rural[ \t]+Route|R\.R\.|RR)[ \t]*#?[ \t]*\d{1,3}(?![\w])")
UK_POSTCODE = r"(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})"
CA_POSTCODE = r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d"
EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?(?=[0-9AC-FHKNPRTV-Y]{0,3}\d)[0-9AC-FHKNPRTV-Y]{4}"
STATES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|"
    r"OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|Alabama|Alaska|Arizona|Arkansas|California|Colorado|"
    r"Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|"
    r"Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|"
    r"New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
    r"South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
AU_STATES = r"NSW|VIC|QLD|SA|WA|TAS|ACT|NT"
US_ZIP = patterns.compile(rf"\b(?:{STATES}),?\s+\d{{5}}(?:-\d{{4}})?(?!\d)")
AU_POSTCODE = patterns.compile(rf"\b(?:{AU_STATES})\s+\d{{4}}(?!\d)")
POSTCODE = patterns.compile(rf"(?<![\w-])(?:{UK_POSTCODE}|{CA_POSTCODE}|{EIRCODE})(?![\w-])")
NOT_TOWNS = {
    "euro", "euros", "eur", "dollar", "dollars", "usd", "points", "punkte", "miles", "meilen", "km", "kilometer",
    "kilometres", "steps", "units", "pieces", "stück", "followers", "views", "users", "customers", "kunden",
    "clients", "mal", "fois", "veces", "times", "items", "orders", "tickets", "calls", "emails", "messages",
}
EU_TOWN = patterns.compile(r"(?<![\w.,$£€-])(?:[A-Z]{1,2}-)?\d{5}[ \t]+([A-ZÄÖÜÉÈÁ][a-zäöüßéèêàçáíóúñ'’-][\wäöüßéèêàç'’-]*(?:[ -](?:am|an der|sur|en|de|la|le|[A-ZÄÖÜÉÈ][\w'’-]+))*)")
IN_CITIES = (
    r"Mumbai|Delhi|New Delhi|Bengaluru|Bangalore|Hyderabad|Ahmedabad|Chennai|Kolkata|Pune|Jaipur|Surat|Lucknow|"
    r"Kanpur|Nagpur|Indore|Thane|Bhopal|Visakhapatnam|Patna|Vadodara|Ghaziabad|Ludhiana|Agra|Nashik|Noida|"
    r"Gurgaon|Gurugram|Kochi|Coimbatore|Chandigarh|Mysuru|Mysore|Thiruvananthapuram|Guwahati|Bhubaneswar|"
    # states and union territories before a PIN ("Haryana 122102", "Tamil Nadu 600090")
    r"Andhra Pradesh|Arunachal Pradesh|Assam|Bihar|Chhattisgarh|Goa|Gujarat|Haryana|Himachal Pradesh|Jharkhand|"
    r"Karnataka|Kerala|Madhya Pradesh|Maharashtra|Manipur|Meghalaya|Mizoram|Nagaland|Odisha|Punjab|Rajasthan|"
    r"Sikkim|Tamil Nadu|Telangana|Tripura|Uttar Pradesh|Uttarakhand|West Bengal|Puducherry|Jammu and Kashmir"
)
# an Indian locality before its city after a cue, without a street or PIN: "from Kukatpally, Hyderabad"
IN_LOCALITY = patterns.compile(
    rf"(?i:\b(?:from|lives?[ \t]+(?:in|at)|living[ \t]+(?:in|at)|lives|resident[ \t]+of|address|addr|located[ \t]+at|residing[ \t]+at))"
    rf"[ \t]*[:,-]?[ \t]+((?!(?:{IN_CITIES})\b){CAP}(?:[ \t]+{CAP})?,[ \t]*(?:{IN_CITIES}))(?![\w])"
)
IN_CITY = patterns.compile(rf"\b(?:{IN_CITIES})\b")
IN_PIN = patterns.compile(rf"(?:\b(?:{IN_CITIES})\s*[-,]?\s*|\bPIN(?:\s?code)?\s*[:-]?\s*)[1-9]\d{{2}}\s?\d{{3}}(?!\d)")
POSTCODE_CUE = patterns.compile(
    r"\b(?:post\s?code|postal\s+code|zip(?:\s?code)?|eircode|plz|code\s+postal|c[óo]digo\s+postal|c\.p\.|pin\s?code)"
    r"(?:\s+(?:is|was|ist|est|es))?\s*[:#-]?\s*([A-Z0-9]{2,4}(?:[ -]?[A-Z0-9]{2,4})?)(?![\w])",
    re.IGNORECASE,
)
SEGMENT_STOP = {
    "i", "the", "my", "we", "please", "thanks", "thank", "regards", "kind", "best", "dear", "hi", "hello", "it",
    "this", "they", "he", "she", "and", "but", "order", "ticket", "account", "yours", "sincerely", "cheers",
    "phone", "tel", "email", "mobile", "call", "sent", "still", "nothing", "no", "not", "why", "when", "what",
    "how", "if", "so", "then", "also", "you", "your", "our", "us", "me", "can", "could", "would", "is", "was",
    "im", "i'm", "danke", "merci", "gracias", "mit", "cordialement", "saludos", "atentamente", "bitte", "ich",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "re", "subject",
}
TAIL_PART = patterns.anchored(
    rf"(?:[ \t]*,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*|[ \t]+-[ \t]+|[ \t]+)(?:"
    rf"(?P<post>{UK_POSTCODE}|{CA_POSTCODE}|{EIRCODE}|\d{{6}}|\d{{3}}-\d{{4}}|\d{{4}}[ \t]?[A-Z]{{2}}|\d{{2}}-\d{{3}}|\d{{4,5}}-\d{{3}}|\d{{3}}[ \t]\d{{2}}|\d{{4}}|(?:{STATES}|{AU_STATES}),?\s+\d{{4,5}}(?:-\d{{4}})?|\d{{5}}(?:-\d{{4}})?|[1-9]\d{{2}}\s?\d{{3}})"
    rf"|(?P<words>(?:Co\.[ \t]+)?{CAP}(?:[ \t]+(?:{CAP}|upon|on|de|la|am|sur|na)){{0,3}}(?:[ \t]+\d{{1,3}}(?:-?[A-Z])?(?![\w-]))?)"
    rf")(?![\w])"
)


STATE_POSTCODE_BEFORE = patterns.windowed(16, rf"(?<![\w])(?:{AU_STATES}|[A-Z]{{2}}),?[ \t]+\d{{4,5}}(?:-\d{{4}})?$")
# a state and postcode right after a town: "Dee Why NSW 2099"
STATE_POSTCODE_AFTER = patterns.anchored(rf"[ \t]+(?:{AU_STATES}|[A-Z]{{2}}),?[ \t]+\d{{4,5}}(?!\d)")


STREET_LINE_BEFORE = patterns.windowed(
    60,
    rf"(?:(?<=[\n,:])|(?<![\s\S]))[ \t]*({CAP}(?:[ \t]+{CAP}){{0,2}}[ \t]+\d{{1,4}}[A-Za-z]?(?:/\d{{1,4}}[A-Za-z]?)?"
    r"(?:[ \t]+m\.?[ \t]*\d{1,4})?)[ \t]*(?:,[ \t]*|\n[ \t]*)$",
)
# a district, ward or barangay part of an address: "Binh Thanh District", "Ward 7", "Quận 1", "Brgy. San Isidro"
ADMIN_PART = patterns.compile(
    rf"(?<![\w])(?:{CAP}(?:[ \t]+{CAP}){{0,2}}[ \t]+(?:District|Ward|Subdistrict|Township|Municipality|Regency|Commune)"
    rf"|(?:District|Ward|Qu[ậa]n|Ph[ưu][ờo]ng|Huy[ệe]n|Barangay|Brgy\.?)[ \t]+(?:\d{{1,2}}|{CAP}))(?![\w])"
)

ADMIN_WORD = patterns.compile(r"District|Ward|Qu[ậa]n|Ph[ưu][ờo]ng|Huy[ệe]n|Barangay|Brgy|Township|Municipality|Regency|Commune")


def _extend(text: str, end: int, limit: int = 6) -> int:
    """Grow an address over following town/county/postcode parts."""
    after_post = after_town = False
    for _ in range(limit):
        unit = UNIT_AFTER.match(text, end)
        if unit:
            end = unit.end()  # "Rua das Flores 45, apto 12"
            continue
        match = TAIL_PART.match(text, end)
        if not match:
            break
        part = match.lastgroup
        assert part is not None  # "post" or "words": one of the two always matches
        separator = text[end : match.start(part)]
        if re.fullmatch(r"\d{4}", match.group("post") or "") and "," not in separator and "\n" not in separator and not after_town:
            if not re.match(rf"[ \t]+{CAP}", text[match.end() :]):
                break  # four digits after a street are a postcode only after a comma or before a town
        stop = match.end()
        if match.group("words"):
            words = match.group("words").split()
            period = re.search(r"\.(?=\s|$)", match.group("words"))
            if period and (
                (after_post and "," not in separator and "\n" not in separator)
                or (
                    re.search(rf"[{LOWER}]{{3}}$", match.group("words")[: period.start()])
                    and any(w.lower() in SEGMENT_STOP for w in match.group("words")[period.end() :].split())
                )
            ):
                # a town after a postcode ("8001 Zürich. Danke") or ending a sentence ("Wuse 2, Abuja. I will"):
                # up to the end of the sentence
                stop = match.start("words") + period.start()
                words = text[match.start("words") : stop].split()
            before_state = STATE_POSTCODE_AFTER.match(text, stop) or (
                re.fullmatch(rf"{AU_STATES}|[A-Z]{{2}}", words[-1]) and re.match(r"[ \t]+\d{4,5}(?!\d)", text[stop:])
            )
            if words[0].lower().strip(".,") in SEGMENT_STOP or (
                not before_state and any(w.lower() in SEGMENT_STOP for w in words)
            ):
                break
            if re.match(r"[ \t]*:", text[match.end() :]):
                break  # a form's next label ("Details:")
            if "," not in separator and "\n" not in separator and not after_post:
                # a town right after the street without a comma only before a postcode (or after one)
                after = TAIL_PART.match(text, match.end())
                if not (after and after.group("post")):
                    break
        if match.group("words") and "," not in separator and "\n" not in separator and STATE_POSTCODE_BEFORE.search(text, max(0, end - 16), end):
            break  # "Brookvale NSW 2100 NBN tech never came": the town comes before an Australian or US postcode
        end = stop
        after_post = bool(match.group("post"))
        after_town = bool(match.group("words")) and ("," in separator or "\n" in separator)
        if stop < match.end():
            break
    if re.search(r"[a-z]{4}\.$", text[max(0, end - 5) : end]) and (end == len(text) or text[end].isspace()):
        end -= 1  # the full stop of the sentence ("... Hse No. 14, Nairobi."), not an abbreviation ("St.")
    return end


def _grow_left(text: str, start: int, limit: int = 6) -> int:
    """Grow a postcode leftwards over town, county and house-name parts ("Cloonagh, Dromore West, Co. Sligo, ...")."""
    town = TOWN_BEFORE.search(text, max(0, start - 40), start)
    if town and town.end() == start and town.group().split()[0].lower() not in SEGMENT_STOP:
        start = town.start()
    for _ in range(limit):
        part = _left_part(text, start)
        if part is None:
            break
        start = part
    return start


def _left_part(text: str, end: int) -> int | None:
    """Where the address part ending at ``end`` starts, when one does."""
    for pos in range(max(0, end - 80), end):
        if pos and not text[pos - 1].isspace():
            continue
        match = LEFT_PART.match(text, pos, end)
        if not match:
            continue
        words = match.group().replace(",", " ").split()
        if words[0].lower() in SEGMENT_STOP - {"the"}:
            continue
        before = text[:pos].rstrip(" \t")
        # only a part that starts a line, follows a comma or "at", "to", "in" belongs to the address
        if before and before[-1] not in ",\n:" and not re.search(r"\b(?:at|to|in|from|is|address|addr|of|na|op|au|en)$", before, re.IGNORECASE):
            continue
        return pos
    return None


def find_addresses(text: str) -> Iterator[Span]:
    """Street addresses (grown over town and postcode), PO boxes and postcodes."""
    for pattern in (EN_STREET, DE_STREET, FR_STREET, ES_STREET, CY_STREET, NL_STREET, PL_STREET, ROMANCE_STREET, PO_BOX):
        for match in pattern.finditer(text):
            yield Span(grow_units(text, match.start()), _extend(text, match.end()), "ADDRESS", 0.85)
    for match in EN_STREET_LOWER.finditer(text):
        tail = LOWER_TAIL.match(text, match.end())
        end = tail.end() if tail else match.end()
        unit = LOWER_UNIT_BEFORE.search(text, max(0, match.start() - 24), match.start())
        yield Span(unit.start() if unit else grow_units(text, match.start()), _extend(text, end), "ADDRESS", 0.8)
    for match in JP_STREET.finditer(text):
        yield Span(match.start(), _extend(text, match.end()), "ADDRESS", 0.85)
    for pattern in (UNIT_LED, RURAL_LED, RURAL_ROUTE):
        for match in pattern.finditer(text):
            end = _extend(text, match.end())
            if end > match.end():
                yield Span(grow_units(text, match.start()), end, "ADDRESS", 0.8)
    for match in NAMED_STREET_UNIT.finditer(text):
        # a street without a number, the house after it: "Westlands, Mpaka Road, Hse No. 14, Nairobi"
        yield Span(_grow_left(text, match.start()), _extend(text, match.end()), "ADDRESS", 0.8)
    for match in IE_COUNTY.finditer(text):
        # an Irish address needs no house number: "Cloonfad, Ballyhaunis, Co. Mayo"
        yield Span(_grow_left(text, match.start()), _extend(text, match.end()), "ADDRESS", 0.8)
    for match in POSTCODE.finditer(text):
        yield Span(_grow_left(text, match.start()), match.end(), "ADDRESS", 0.8)
    for pattern in (US_ZIP, AU_POSTCODE, IN_PIN):
        for match in pattern.finditer(text):
            start = match.start()
            town = re.search(rf"(?<![\w'’.-])(?:{CAP}(?:[ \t]+{CAP}){{0,2}}),?[ \t]*$", text[max(0, start - 40) : start])
            if town and town.group().split()[0].lower() not in SEGMENT_STOP:
                start = _grow_left(text, start - len(town.group()))
            yield Span(start, match.end(), "ADDRESS", 0.8)
    for match in POSTCODE_CUE.finditer(text):
        if any(c.isdigit() for c in match.group(1)):
            yield Span(match.start(1), match.end(1), "ADDRESS", 0.85)
    for match in POSTAL_TOWN.finditer(text):
        # a street line without a type before the postcode: "Zielona 4\n05-500 Piaseczno"
        street = STREET_LINE_BEFORE.search(text, max(0, match.start() - 60), match.start())
        yield Span(street.start(1) if street else match.start(), match.end(), "ADDRESS", 0.75)
    for match in ADMIN_PART.finditer(text) if ADMIN_WORD.search(text) else ():
        # a district or ward after a numbered street without a type: "208 Nguyen Huu Canh, Binh Thanh District"
        start = _grow_left(text, match.start())
        if start < match.start() and re.search(r"\d", text[start : match.start()]):
            yield Span(start, _extend(text, match.end()), "ADDRESS", 0.75)
    for match in IN_LOCALITY.finditer(text) if IN_CITY.search(text) else ():
        yield Span(match.start(1), match.end(1), "ADDRESS", 0.75)
    for match in EU_TOWN.finditer(text):
        if match.group(1).lower() not in NOT_TOWNS:
            yield Span(match.start(), match.end(), "ADDRESS", 0.75)
    yield from native_addresses(text)
