"""Address forms beyond the English, German, French and Spanish street lines of :mod:`.addresses`.

- Dutch streets ("Keizersgracht 112-3", "Dorpsstraat 41"), Polish ones led by
  ``ul.``/``al.``/``os.``/``pl.`` ("ul. Piotrkowska 104/12 m. 5");
- postcodes that need a town after them: Dutch ``1015 CW Amsterdam``, Polish
  ``00-697 Warszawa``, Portuguese ``1100-053 Lisboa``;
- what stands before a street line on the same line: flats, rooms, blocks,
  plots and named buildings ("Flat 12, Beacon House, 5 Canal Street",
  "Appt 4, 18 boulevard Voltaire", "Room 603, Building 12, ...");
- what follows it: units and floors ("3. OG rechts", "3r 1a", "scala A",
  "Bât. A" on the next line);
- addresses without a street number: farms, hamlets and estate lots
  ("Lieu-dit La Borie", "Farm Doornkloof 218", "Blk 3 Lot 5"), and romanised
  Japanese blocks before a ward ("3-14-7 Ebisu-Minami, Shibuya-ku").
"""

from __future__ import annotations

from openledger import patterns

UPPER = "A-ZÄÖÜÉÈÊÁÍÓÚÑÀÂÇÎÔÛŁŚŻŹĆŃŠČŽØÅÆ"
LOWER = "a-zäöüßéèêáíóúñàâçîôûłśżźćńšččžøåæąęő"
# a capitalised word of at most 41 characters: bounded, so that every capital inside a long run
# such as "A'A'A'..." reads a few characters, not the rest of the run (a quadratic scan)
CAPW = rf"[{UPPER}][\w'’.-]{{0,40}}"

NL_STREET = patterns.compile(
    # Dutch and Scandinavian streets: the type is a suffix and the number follows ("Storgatan 14", "Nørregade 5")
    rf"(?<![\w-])(?:{CAPW}[ \t]+)?[{UPPER}][{LOWER}]*(?:straat|gracht|weg|laan|plein|kade|singel|dijk|steeg|dreef|wal|markt|hof|"
    r"gatan|gata|gaten|gade|vägen|vej|veien|vegen|gränd|torget|stræde|torv)"
    r"[ \t]+\d{1,4}(?:[ \t]?[A-Za-z](?![\w])|[-/]\d{1,3}(?![\d]))?(?![\w])"
)
PL_STREET = patterns.compile(
    rf"(?<![\w])(?:ul|al|os|pl)\.[ \t]*[{UPPER}0-9][\w'.-]*(?:[ \t]+[{UPPER}][\w'.-]*){{0,3}}"
    r"[ \t]+\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)?(?:[ \t]*(?:m\.|lok\.|m|lok)[ \t]*\d{1,4})?(?![\w])"
)
ROMANCE_STREET = patterns.compile(
    # the type first and the number after the name: Italian, Portuguese, Belgian and Swiss French
    r"(?<![\w])(?:Via|Viale|Piazza|Piazzale|Corso|Largo|Vicolo|Lungomare|Rua|Travessa|Praça|Alameda|Estrada|"
    r"Rue|Avenue|Boulevard|Chemin|Chaussée|Impasse|Quai|All[ée]e)"
    rf"[ \t]+(?:(?:de|del|della|delle|dei|degli|di|da|das|dos|do|des|du|la|le|l'|d')[ \t]*)*{CAPW}"
    rf"(?:[ \t]+(?:(?:de|del|della|delle|dei|di|da|das|dos|do|des|du|la|le|e|l'|d')[ \t]*)*{CAPW}){{0,3}}"
    r",?[ \t]+(?:n[º°o.]\s*)?\d{1,4}(?:[ \t]?[a-zA-Z](?![\w])|/\d{1,3}[a-zA-Z]?)?(?![\w])"
)
POSTAL_TOWN = patterns.compile(
    rf"(?<![\w.,$£€-])(?:\d{{4}}[ \t]?[A-Z]{{2}}|\d{{2}}-\d{{3}}|\d{{4,5}}-\d{{3}}|\d{{3}}[ \t]\d{{2}})[ \t]+[{UPPER}][{LOWER}]+(?:[ -][{UPPER}][{LOWER}]+)?(?![\w])"
)
UNIT_WORDS = (
    r"Flat|Apt|Appt|Apartment|Appartement|Suite|Ste|Unit|Room|Rm|Floor|Fl|Block|Blk|Bldg|Building|Tower|Wing|"
    r"House(?:\s+No)?|H\.?\s?No|Door(?:\s+No)?|Plot(?:\s+No)?|No|Bât|Bâtiment|Esc|Escalier|Étage|Piso|Portal|"
    r"Wohnung|Whg|Top|Lok|Shop|Office|Level|Lvl"
)
BUILDING_TYPES = (
    r"House|Court|Building|Residency|Residences?|Apartments|Enclave|Towers?|Mansions|Lodge|Heights|Chambers|"
    r"Cottage|Farm|Hall|Manor|Villa|Complex|Plaza|Centre|Center|Gardens|Point|Wharf|Works|Mill|Quarter|Annexe|"
    r"Nivas|Niwas|Bhavan|Apts|Residency|Society|Sadan|Kunj|Palace"
)
UNIT_PART = patterns.windowed(60,
    rf"(?:(?:{UNIT_WORDS})\.?\s*(?:No\.?\s*)?#?\s*[A-Za-z]?\d[\w/-]*|(?:{UNIT_WORDS})\.?\s+[A-Z](?![\w])|#\s*\d[\w-]*"
    r"|(?<![\w])\d{1,2}F\d{1,2}"  # an Edinburgh flat: "2F1, 14 Marchmont Road"
    rf"|(?:The[ \t]+)?{CAPW}(?:[ \t]+{CAPW}){{0,3}}[ \t]+(?:{BUILDING_TYPES}))[ \t]*,[ \t]*$"
)


RURAL_LED = patterns.compile(
    # addresses without a street number: a hamlet, farm, estate lot or lane led by its type
    rf"(?<![\w])(?:Lieu-dit|Lieudit|Localit[àa]|Loc\.|S[íi]tio|Fazenda|Ch[áa]cara|Farm(?=[ \t]+[A-Z][\w-]+[ \t]+\d)|Plaas|Gali[ \t]+No\.?[ \t]*\d{{1,4}}"
    rf"|Blk\.?[ \t]*\d{{1,4}}[ \t]+Lot[ \t]*\d{{1,4}}|Block[ \t]+\d{{1,4}}[ \t]+Lot[ \t]+\d{{1,4}})"
    rf"(?:[ \t]+(?:(?:de|du|des|la|le|les|da|do|dos|das|di)[ \t]+)?{CAPW}){{0,3}}(?:[ \t]+\d{{1,4}})?"
)
JP_STREET = patterns.compile(
    # romanised Japanese: "3-14-7 Ebisu-Minami, Shibuya-ku", "2-5-10 Umeda, Kita-ku"
    rf"(?<![\w-])\d{{1,2}}-\d{{1,2}}(?:-\d{{1,3}})?[ \t]+{CAPW}(?:[ \t]+{CAPW})?,?[ \t]*\n?[ \t]*"
    rf"[{UPPER}][{LOWER}]+-(?:ku|shi|cho|machi|gun|ken|mura)(?![\w])"
)
NUMBERED_PART = (
    # parts of Indian, Chinese and Nigerian address lines: "3rd Cross Road", "Road No. 14", "Sector 22-B", "H.No. 8-2-293"
    rf"(?:(?:{UNIT_WORDS})\.?\s*(?:No\.?\s*)?[A-Za-z]?\d[\w/-]*|\d{{1,2}}(?:st|nd|rd|th)[ \t]+{CAPW}(?:[ \t]+{CAPW}){{0,2}}"
    rf"|{CAPW}(?:[ \t]+{CAPW})?[ \t]+(?:No\.?[ \t]*)?\d{{1,3}}(?:-?[A-Z]\d{{0,2}})?(?![\w]))"
)


# before a house number: a unit, or an Australian roadside mail box, New Zealand rural delivery ("RMB 4410 Mount Barker Rd")
BARE_UNIT = patterns.windowed(12, r"(?<![\w])(?:Unit|Apt|Flat|Suite|Shop|Lot|No|Nr|N[º°o]|RMB|RSD|CMB|RD[ \t]*\d{1,2})\.?[ \t]*$")
UNIT_AFTER = patterns.anchored(
    r"(?:,[ \t]*(?i:apto|apt|ap|appt|app|flat|unit|piso|bus|bte|bo[îi]te|lok|whg|top|stiege|scala|sc|int|interno|dpto|depto|m|"
    r"b[âa]t|b[âa]timent|esc|escalier|hse(?:[ \t]+no)?)"
    # a unit on the next line of a letter head: "7, impasse des Lilas\nBât. A, appt 12"
    r"|[ \t]*\n[ \t]*(?i:apto|apt|appt|app|flat|unit|b[âa]t|b[âa]timent|escalier|scala|whg|wohnung))\.?"
    r"[ \t]*(?:\d{1,4}[A-Za-z]?|[A-Z])(?![\w])"
    # floors: "3. OG rechts", "2. Stock links", "3r 1a", "6è 2a"
    r"|,[ \t]*(?:\d{1,2}\.?[ \t]*(?:OG|Stock|Etage|piano|étage)(?:[ \t]+(?:links|rechts|mitte|li\.|re\.))?"
    r"|\d{1,2}(?:r|n|t|è|er|º|ª|o)[ \t]+\d{1,2}(?:a|ª|º)?)(?![\w])"
)


def grow_units(text: str, start: int, limit: int = 3) -> int:
    """Move ``start`` left over flat, block and building parts on the same line ("Flat 12, Beacon House, ")."""
    bare = BARE_UNIT.search(text, max(0, start - 12), start)
    if bare and text[start : start + 1].isdigit():
        start = bare.start()  # "Unit 5/12 Smith St", "No. 16 Xueyuan Road"
    for _ in range(limit):
        match = UNIT_PART.search(text, max(0, start - 60), start)
        if not match:
            break
        start = match.start()
    return start
