"""Regular expressions for the name redactor: name tokens and the contexts that announce a name."""

from __future__ import annotations

import re


def _letters(upper: bool) -> str:
    """The Latin letters of one case beyond ASCII, for a character class ("Ł", "ń", "ı", "ệ", "ā")."""
    ranges = [(0xC0, 0x24F), (0x1E00, 0x1EFF)]
    chars = [chr(c) for lo, hi in ranges for c in range(lo, hi + 1) if chr(c).isalpha()]
    return "".join(c for c in chars if (c.isupper() if upper else c.islower() and c not in "ªº"))


UP = "A-Z" + _letters(True)
LOW = "a-z" + _letters(False)
WORD = rf"[{UP}][{LOW}]*(?:[{UP}][{LOW}]+)?(?:['’][{UP}{LOW}]+)?(?:-[{UP}{LOW}][{LOW}]+)?"
# a surname led by an Arabic article or patronymic in lower case: "al-Farsi", "el-Sayed" (not first in a name)
ARTICLE_WORD = rf"(?:al|el|ul|ad|as|ash|az|abd|abu|bin|ibn|bint)-{WORD}"
LOWER_WORD = rf"[{LOW}]+(?:['’-][{LOW}]+)?"
PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|los|las|dos|das|bin|binti|bint|ibn|ben|al|el|ap|ter|ten|y)"
# the same particles capitalised inside a name ("Yannick Le Goff", "Rodrigo De Los Santos", "Jörg Van der Linden")
CAP_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "los", "las", "dos", "das",
                 "des", "bin", "binti", "ibn", "al", "el", "ter", "ten", "ap", "mac", "ni", "nic", "ó", "ní"}
INITIALS = r"[A-Z]\.(?:[A-Z]\.)?(?!\w)"
NAME_SEQ = rf"(?:{INITIALS}|{WORD})(?:[ \t]+(?:{PARTICLE}[ \t]+){{0,2}}(?:{INITIALS}|{WORD}|{ARTICLE_WORD}))*"
TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Herr|Frau|Fr|Hr|M|Mme|Mlle|Monsieur|Madame|Mademoiselle|"
    r"Sr|Sra|Srta|Señor|Señora|Don|Doña|Dña|Dª|Shri|Smt|Mister|Mistress|Sig|Sig\.ra|Signor|Signora|Dott|Dott\.ssa|"
    r"Pan|Pani|Panie|Panu|Pana|Panią|Meneer|Mevrouw|Mevr|Dhr|meneer|mevrouw|mevr|dhr|heer"
)
TITLE = re.compile(
    rf"\b(?:{TITLES})\.?[ \t]+((?:(?:van|von|de|del|della|di|da|du|le|la|al|el|bin|ter|ten)[ \t]+(?:der|den|la|los|las|de|di|da)?[ \t]*)?"
    rf"(?:[dl]['’](?=[{UP}]))?{NAME_SEQ})"
)
LOWER_TITLE = re.compile(rf"\b(?:mr|mrs|ms|dr|herr|frau|mme|sra)\.?[ \t]+((?:[a-z]['’])?[{LOW}]+(?:-[{LOW}]+)?)(?![\w'’])")
GREETING = re.compile(
    r"(?i:\b(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening)|morning|bonjour|bonsoir|salut|"
    r"hallo|liebe[rs]?|moin|hola|buenos\s+d[ií]as|buenas\s+tardes|estimad[oa]|querid[oa]|cher|ch[èe]re|namaste|"
    r"thanks(?:\s+(?:so\s+much|a\s+lot|again|heaps|a\s+million|muchly|in\s+advance))?|thank\s+you(?:\s+(?:so\s+much|again|in\s+advance))?|"
    r"thanks\s*(?:&|and)\s*regards|thanking\s+you|(?:you'?re|you\s+are)\s+(?:very\s+|most\s+)?welcome|with\s+thanks|cheers(?:\s+(?:mate|again|heaps))?|thx|ty|regards|kind\s+regards|"
    r"best\s+regards|warm\s+regards|warmest\s+regards|best\s+wishes|all\s+the\s+best|"
    r"many\s+thanks|best|sincerely|faithfully|yours\s+(?:sincerely|faithfully|truly)|cordialement|bien\s+[àa]\s+vous|"
    r"mit\s+freundlichen\s+gr[üu](?:ß|ss)en|(?:freundliche|beste|liebe|herzliche|viele|sonnige)\s+gr[üu](?:ß|ss)e|"
    r"gr[üu](?:ß|ss)e|lg|mfg|saludos|atentamente|un\s+saludo|gracias|"
    r"merci|danke|signed|from\s*:|sent\s+by|atenciosamente|cumprimentos|abra[çc]os|cordiali\s+saluti|distinti\s+saluti|"
    r"met\s+vriendelijke\s+groet(?:en)?|groeten|groetjes|pozdrawiam|z\s+powa[żz]aniem|(?:is\s+mise\s+)?le\s+meas|"
    r"med\s+v[äa]nlig\s+h[äa]lsning|v[äa]nliga\s+h[äa]lsningar|mvh|venlig\s+hilsen|hilsen|saludos\s+cordiales|"
    r"ol[áa]|hej|hoi|ciao|buongiorno|buonasera|gr[üu]ezi|servus|beste|geachte|szanown[ya]|respectfully))"
    rf"[ \t]*[,.!:\-–—]?[ \t]*(?:\r?\n[ \t]*)?((?:{NAME_SEQ}))"
)
INTRO_STRONG = re.compile(
    r"(?i:\b(?:my\s+name\s+(?:is|was)|my\s+name's|her\s+name\s+(?:is|was)|his\s+name\s+(?:is|was)|name\s*:|"
    r"name\s+on\s+(?:the\s+)?(?:account|card)\s*:?|account\s+name\s*:?|je\s+m'appelle|mon\s+nom\s+est|"
    r"(?:first|last|given|family|sur|full|middle)\s*name\s*[:-]|(?:vor|nach|familien)name\s*[:-]|"
    r"(?:pr[ée])?nom\s*[:-]|nom\s+de\s+famille\s*[:-]|nombre\s*[:-]|apellidos?\s*[:-]|name\s*-|"
    r"ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|me\s+llamo|mi\s+nombre\s+es|caller|mijn\s+naam\s+is|ik\s+heet|"
    r"nazywam\s+si[ęe]|mam\s+na\s+imi[ęe]|chamo-me|o\s+meu\s+nome\s+[ée]|mi\s+chiamo|te\s+atiende|le\s+atiende|"
    r"u\s+spreekt\s+met|hier\s+(?:ist|spricht)|account\s+holder|policyholder|"
    r"policy\s+holder|on\s+behalf\s+of|signed|kundin|kunde|cliente|cx)\s+)"
    rf"({NAME_SEQ})"
)
INTRO = re.compile(
    r"(?i:\b(?:i\s+am|i'm|i’m|this\s+is|it's|it\s+is|je\s+suis|ich\s+bin|soy|"
    r"customer|client|for|friend|neighbou?r|with|w/|per|called|mit|von|bei|par|por|avec|con|and|&|i,|"
    r"ik\s+ben|jestem|tu|met|sou|sono)\s+)"
    rf"({NAME_SEQ})"
)
KIN = re.compile(
    # "my daughter (Anwuli)", "husband Thaddeus": a relative's name may be rare
    r"(?i:\b(?:wife|husband|son|daughter|mother|father|mum|mom|mam|dad|partner|brother|sister|niece|nephew|uncle|"
    r"aunt(?:ie)?|grandma|grandmother|granny|nan|nana|grandad|grandpa|grandfather|grandson|granddaughter|"
    r"fianc[ée]e?|girlfriend|boyfriend|gf|bf|hubby|stepson|stepdaughter|cousin|mother-in-law|father-in-law|"
    r"carer|tenant|landlord|landlady)[ \t]*[(\[,]?[ \t]*)"
    rf"({NAME_SEQ})"
)
AGENT = re.compile(
    r"(?i:\b(?:(?:spoke|speaking|talked|talking|chat|chatting|chatted|dealt|spoken)\s+(?:to|with)|call\s+with)\s+(?:(?:an?|the|your|one|of)\s+)*"
    r"(?:(?:agent|rep|representative|advisor|adviser|manager|supervisor|colleague|lady|guy|gentleman|man|woman|"
    r"person|associate|engineer|technician)s?\s+)?(?:(?:named|called)\s+)?"
    r"|(?<![\w-])(?:agent|rep|representative|advisor|adviser|manager|supervisor|colleague|engineer|technician|driver|"
    r"courier|associate|employee|staff\s+member|operator|handler|lady|guy|gentleman|person|concierge|teller|"
    r"cashier|dependienta|dependiente|conseill[eè]re?|mitarbeiter(?:in)?|berater(?:in)?|shipper|postman|postwoman|"
    r"installer|fitter|plumber|electrician|delivery\s+(?:boy|man|guy|driver)|livreur|repartidor|bezorger|kurier|"
    r"monteur|techniker(?:in)?|fahrer(?:in)?)s?\s*(?:\(|\[)?\s*(?:named|called|-|:)?\s*"
    r"|\b(?:named|ask\s+for|asked\s+for|transferred\s+to|passed\s+to|according\s+to|assisted\s+by|helped\s+by|"
    r"handled\s+by|served\s+by|cc|attn|attention|hablé\s+con|j'ai\s+parlé\s+(?:à|avec)|shout\s*out\s+to|"
    r"props\s+to|kudos\s+to)\s+)"
    rf"({NAME_SEQ})"
)
NOTE = re.compile(
    r"(?i:\b(?:cust(?:omer)?|caller|client|cx|member|pt|patient|mr|mrs|ms|miss)\.?\s+)"
    rf"({LOWER_WORD}(?:\s+{LOWER_WORD}){{0,2}}?)"
    r"(?i:\s+(?:called|rang|phoned|emailed|wrote|says|said|states|stated|reports|reported|complained|asked|wants|"
    r"is|was|calling|has|had|called\s+in|rang\s+in|came|visited|returned|requested|advised|confirmed|disputes|"
    r"disputed|unhappy|upset|angry|not)\b)"
)
LOWER_CONTEXT = re.compile(
    r"(?i:\b(?:(?:hi|hello|hey)[ \t]*[,!]?[ \t]+(?:it'?s|this\s+is|i'?m)|hi|hello|hey|dear|thanks(?:\s+(?:so\s+much|a\s+lot|again))?|thank\s+you(?:\s+(?:so\s+much|again))?|cheers|regards|spoke\s+(?:to|with)|talked\s+to|agent|rep|"
    r"name\s+(?:is|was)|name's|this\s+is|i'm|i\s+am|its|it's|ty|thx)"
    r"[ \t]*[,:]?[ \t]+)"
    rf"({LOWER_WORD}(?:\s+{LOWER_WORD})?)"
)
#: a lower-case word greeted on its own ("hi nguyen, my order...", "ok ben, thanks", "cheers priyanka!"): the
#: greeting, the word, then a comma, "!" or the end of the line
LOWER_GREETED = re.compile(
    r"(?i:\b(?:hi|hey|hello|hiya|dear|ok|okay|thanks|thank\s+you|thx|ty|cheers|morning|evening)[ \t]*,?[ \t]+)"
    rf"({LOWER_WORD})(?=[ \t]*(?:[,!]|\r?\n|$))"
)
CALL_NOTE = re.compile(
    r"(?i:\b(?:spoke\s+(?:to|with|w/)|talked\s+to|cb\s+to|call\s*back\s+to|called\s+back|rang(?:\s+back)?|phoned|texted|"
    r"emailed|inbound\s+(?:from|-|–)|vm\s+from|voicemail\s+from|call\s+from|shout\s*out\s+to|props\s+to|kudos\s+to|"
    r"(?:ur|your|our|the|a|this)\s+(?:guy|lady|girl|dude|driver|courier|tech|technician|engineer|manager|supervisor|rep|agent)|"
    r"w/|convo\s+w/|ask(?:ed)?\s+for|(?:helped|assisted|served|handled)\s+by|"
    r"(?:my|his|her|their)\s+(?:wife|husband|son|daughter|mum|mom|mam|dad|sister|brother|partner|grandma|gran|nan|uncle|aunt|niece|nephew|cousin)|"
    r"tenant|landlord|landlady|occupant|homeowner|home\s+owner|resident|per)"
    r"[ \t]*[,:]?[ \t]+(?:(?:cust|customer|cx|caller|client)[ \t]+)?)"
    rf"({LOWER_WORD}(?:\s+{LOWER_WORD})?)"
)
CAPS_CONTEXT = re.compile(
    r"\b(?:MY NAME IS|MY NAME'S|NAME:|FULL NAME:|DEAR|HI|HELLO|THANKS|THANK YOU|REGARDS|SINCERELY|I AM|I'M|"
    r"THIS IS|SPOKE TO|SPOKE WITH|TRANSFERRED TO|TRANSFER TO|PASSED TO|ASK FOR|ASKED FOR|NAME AS|CALLBACK FROM|CALL BACK FROM|"
    r"MR|MRS|MS|MISS|DR)\.?,?[ \t]+([A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+){0,2})(?![\w])"
)
PERSON_VERB = re.compile(
    rf"(?<![\w@#'’-])({WORD})(?=[ \t]+(?:said|says|told|promised|called|rang|phoned|emailed|replied|wrote|asked|"
    r"explained|confirmed|agreed|refused|hung\s+up|assured|advised|insisted|offered|claimed|mentioned|helped|"
    r"sorted|fixed|resolved|escalated|apologi[sz]ed|transferred|answered|laughed|shouted|was\s+(?:(?:so|very|really|super|extremely|incredibly|absolutely)\s+)?(?:rude|lovely|"
    r"helpful|great|amazing|unhelpful)|on\s+(?:chat|the\s+phone|live\s+chat)|in\s+(?:billing|support|customer)|"
    r"from\s+(?:the\s+|your\s+)?[a-z]+|at\s+the\s+(?:store|branch|desk|counter|shop)|\((?:tier|agent|support|billing|team))\b)"
)
PERSON_ONLY = re.compile(
    # what a person does and a company does not: a rare word before these is a name ("Tobenna rang me")
    r"[ \t]+(?:rang|hung\s+up|laughed|shouted|apologi[sz]ed|"
    r"was\s+(?:(?:so|very|really|super|extremely|incredibly|absolutely)\s+)?(?:rude|lovely|sweet|helpful|unhelpful|polite|a\s+star|a\s+legend)|"
    r"on\s+(?:chat|the\s+phone|live\s+chat))\b"
)
TEAMS = (
    r"[ \t]+(?:the[ \t]+|your[ \t]+|ur[ \t]+)?(?:billing|retentions?|sales|"
    r"support|accounts?|complaints|customer\s+(?:service|care|relations)|tech(?:nical)?(?:\s+support)?|collections|claims|"
    r"returns|dispatch|escalations|cancellations|loyalty|payments|fraud|disputes|helpdesk|help\s+desk|"
    r"the\s+(?:call\s+)?cent(?:re|er)|(?:head\s+)?office|(?:the\s+)?(?:chat|phone|helpline|store|shop|branch|warehouse|depot))\b"
)
# "big thanks to Amarachi", "hats off to Sipho": a known first name or a rare word after these
THANKS_TO = re.compile(
    rf"(?i:\b(?:thanks|thank\s+you|thx|kudos|credit|hats\s+off|shout\s*-?\s*outs?|props|grateful|gratitude)\s+to)[ \t]+({WORD})(?![\w'’-])"
)
FROM_TEAM = re.compile(rf"(?<![\w@#'’-])({WORD})(?=[ \t]+(?:from|in|at|on|of){TEAMS})")
TOKEN = re.compile(rf"(?<![\w'’-])(?:{INITIALS}|{WORD}|{ARTICLE_WORD})(?![\w])")
