"""Plugin: the influence labels: leverage and tone of the customer's text, moves_private and gag of the replies.

These labels feed the audits of leverage, deflection, retaliation and gag
requests (issue 21). Each classifier is exact rules over explicit phrases,
written to the labelling guide (``docs/labelling-guide.md``), and tone adds
VADER and the star rating:

- ``leverage`` (inbound): ``legal`` (a lawyer, a suit, court, small claims,
  legal action), ``regulator`` (CFPB, FCA, FTC, FCC, an ombudsman, the BBB, an
  attorney general, trading standards...), ``press`` (newspapers, TV,
  journalists, the media) or ``publicity`` (posting it on social media, a
  review site, telling everyone) when the writer threatens it or says it is
  done or under way; otherwise ``none``. When several apply the strongest
  lever wins in that order (legal, regulator, press, publicity). A
  chargeback or a dispute with the card issuer is ``none``: a payment
  remedy, not an outside audience or authority.
- ``tone`` (inbound): ``hostile`` for abuse (insults, swearing at the
  company, calling it thieves or scammers), otherwise VADER's compound
  score, with the star rating as evidence where the source has one (1-2
  stars: negative at best; 4-5: positive unless the text is hostile or
  plainly negative; 3: the text decides).
- ``moves_private`` (outbound): ``yes`` when a reply asks the customer to
  continue in private: a DM or private message, a call, an e-mail, a form,
  a chat or a link to contact support.
- ``gag`` (outbound): ``yes`` when a reply asks the customer to delete, edit,
  take down or not post a review or comment, or ties a remedy to silence or
  non-disparagement. Its ``detail`` holds the ``sentence`` that asks (the
  engine redacts it before it is recorded). A request not to post personal
  data publicly ("please don't share your account number here") protects
  the customer and is not a gag.

The outbound classifiers abstain on a case without replies (nothing to
judge yet): the label is then absent from the ``classified`` event, not
``no``. Every label's ``detail`` says which rule decided (``rule``) and the
words that matched (``cue``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from openledger import hookimpl
from openledger.builtin.classifiers.sentiment import sentiment
from openledger.records import LABEL_VALUES, ClassifyInput, Label

VERSION = "1.0"

_I = r"(?:i|we|i'm|i am|we're|we are|i've|we've|i'll|we'll|i'd|my (?:husband|wife|family)|me)"
_WILL = (r"(?:will|'ll|shall|am going to|'m going to|are going to|going to|gonna|plan to|intend to|have to|"
         r"would|may|might|could|want to|need to|no choice but to|have no choice but to|be forced to|"
         r"have (?:already )?|had |'ve (?:already )?|already |have now |now )")

#: leverage rules, strongest lever first: (value, name, pattern)
LEVERAGE: tuple[tuple[str, str, str], ...] = (
    ("regulator", "regulator named",
     r"\b(?:cfpb|consumer financial protection bureau|fca|financial conduct authority|ftc|federal trade commission|"
     r"fcc|federal communications commission|ofcom|ofgem|ofwat|ombudsman|better business bureau|bbb|"
     r"attorneys? general|trading standards|consumer protection (?:agency|bureau|office|division)|"
     r"department of (?:insurance|financial services|banking|consumer affairs|transportation)|"
     r"insurance (?:commissioner|department)|(?:state|federal) regulators?|occ|comptroller of the currency|"
     r"financial ombudsman|citizens advice|consumer council|sec\b|securities and exchange commission|"
     r"dot complaint|civil aviation authority|caa)\b"),
    ("legal", "legal action",
     r"\b(?:lawyers?|attorneys?|solicitors?|legal (?:action|counsel|advice|team|route|proceedings)|"
     r"(?:law ?suit|class action)|small claims|sue|suing|sued|take (?:you|them|this|it|legal)\b[\w ]{0,20}"
     r"(?:to court|action)|in court|court case|see you in court|litigation|lawyer up|cease and desist)\b"),
    ("press", "press or media",
     r"\b(?:press|the media|news ?papers?|journalists?|reporters?|news (?:station|channel|outlet|desk)|"
     r"local news|(?:tv|television) (?:station|show|programme|program)|bbc|watchdog|cbc marketplace|"
     r"consumer (?:reporter|show)|channel \d+ news|the (?:times|guardian|daily mail|sun|telegraph|post)|"
     r"which\?|money ?saving ?expert|go public with the (?:story|media))\b"),
    ("publicity", "going public",
     r"\b(?:(?:post|share|put|spread|blast|air|broadcast)\w*\b[\w ,]{0,40}\b(?:on|all over|across|to) "
     r"(?:social media|twitter|x|facebook|instagram|tiktok|youtube|reddit|linkedin|the internet|online|"
     r"my (?:\d+k? )?followers|every ?(?:where|platform|site))|"
     r"(?:leave|leaving|write|writing|post|posting|give|giving)\b[\w -]{0,30}\b(?:reviews?|ratings?)\b|"
     r"(?:tell|telling|warn|warning) (?:everyone|everybody|all my (?:friends|followers)|the world|others)|"
     r"go(?:ing)? (?:viral|public)|make (?:this|it) (?:go )?viral|my followers|trustpilot|yelp|glassdoor|"
     r"retweet|rt if)\b"),
)

#: a leverage cue counts only with a first-person threat or deed near it, or an imperative to the company
_THREAT = re.compile(
    rf"\b{_I}\b[\w ,'/-]{{0,40}}\b(?:{_WILL})?[\w ,'/-]{{0,30}}\b(?:contact|call|calling|consult|hire|hiring|"
    r"get|getting|involve|involving|speak|speaking|talk|talking|go|going|went|take|taking|took|file|filing|"
    r"filed|report|reporting|reported|complain|complaining|complained|escalate|escalating|escalated|submit|"
    r"submitting|submitted|write|writing|wrote|lodge|lodging|lodged|open|opened|bring|sue|suing|sued|post|posting|"
    r"posted|share|sharing|shared|tell|telling|told|leave|leaving|left|contacted|consulted|hired|reached out|"
    r"reach out|notify|notified|send|sending|sent|forward|forwarding|forwarded|pursue|pursuing|seek|seeking|"
    r"sought|retain|retained|spoke|talked|alert|alerting|alerted|warn|warning|make|making)\b", re.I)
_LEVERAGE = [(value, name, re.compile(pattern, re.I)) for value, name, pattern in LEVERAGE]
_OTHERS = re.compile(r"\b(?:you|they|he|she|the (?:company|bank|collector|agent|rep))\b", re.I)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def leverage_of(text: str) -> Label:
    """The strongest lever the customer's text threatens or says it used, or ``none``."""
    sentences = _sentences(text)
    for value, name, pattern in _LEVERAGE:
        for sentence in sentences:
            cue = pattern.search(sentence)
            if cue is None:
                continue
            if _THREAT.search(sentence) or re.search(r"\b(?:cc|cc'd|copied|see you in court|rt if)\b",
                                                      sentence, re.I):
                return Label(value, 0.9, {"rule": name, "cue": cue.group(0)})
    mentioned = next((m.group(0) for _, _, p in _LEVERAGE if (m := p.search(text))), None)
    if mentioned:
        return Label("none", 0.7, {"rule": "mentioned without a threat", "cue": mentioned})
    return Label("none", 0.95, {"rule": "no lever named"})


_HOSTILE = re.compile(
    r"\b(?:f+u+c+k+\w*|f\*+\w*|fck\w*|fuk\w*|wtf|stfu|sh[i1]t+\w*|bullshit|bs|crap|crappy|damn|goddamn|"
    r"ass(?:hole)?s?|bastards?|bitch\w*|dick\w*|piss(?:ed)?|scam+(?:mers?|ming|s)?|scum\w*|thie(?:f|ves|ving)|"
    r"crooks?|crooked|liars?|lying|frauds?(?:ters?)?|criminals?|robbers?|robbing|rip-?off|ripping (?:me|us|people) "
    r"off|idiots?|idiotic|morons?|moronic|stupid|clowns?|incompetent|incompetence|pathetic|disgusting|disgrace\w*|"
    r"shameful|shame on you|garbage|trash|rubbish|joke of a|you suck|sucks|suck|worst \w+ ever|hate you|"
    r"go to hell|burn in hell|screw you|screw (?:this|them)|useless|dishonest|greedy|despicable|deplorable|"
    r"a total joke|what a joke|ridiculous|absurd|unacceptable|outrageous|appalling|atrocious|horrendous|"
    r"nightmare|never again)\b", re.I)
#: hostility proper: abuse, swearing and accusations; the milder words above only deepen a negative tone
_ABUSE = re.compile(
    r"\b(?:f+u+c+k+\w*|f\*+\w*|fck\w*|fuk\w*|wtf|stfu|sh[i1]t+\w*|bullshit|ass(?:hole)?s?|bastards?|bitch\w*|"
    r"dick\w*|scam+(?:mers?|ming|s)?|scum\w*|thie(?:f|ves|ving)|crooks?|crooked|liars?|frauds?(?:ters?)?|"
    r"criminals?|robbers?|rip-?off|idiots?|idiotic|morons?|moronic|stupid|clowns?|pathetic|disgusting|"
    r"disgrace\w*|shame on you|garbage|trash|joke of a|you suck|sucks|hate you|go to hell|burn in hell|"
    r"screw you|useless|despicable|greedy)\b", re.I)
_SHOUT = re.compile(r"\b[A-Z]{4,}\b(?:\W+\b[A-Z]{3,}\b){2,}")


def tone_of(text: str, rating: float | None = None) -> Label:
    """hostile, negative, neutral or positive from the words, VADER and the star rating."""
    abuse = _ABUSE.search(text)
    found = sentiment(text) if text.strip() else None
    compound = float(found.detail.get("compound", 0.0)) if found is not None else 0.0
    shouting = bool(_SHOUT.search(text))
    detail: dict = {"compound": round(compound, 4)}
    if rating is not None:
        detail["rating"] = rating
    if abuse or (shouting and compound <= -0.3):
        detail.update(rule="abuse" if abuse else "shouting", cue=abuse.group(0) if abuse else "capitals")
        if rating is not None and rating >= 4:
            return Label("positive", 0.6, detail)
        return Label("hostile", 0.85, detail)
    if rating is not None:
        if rating <= 2:
            detail["rule"] = "rating"
            return Label("negative", 0.9, detail)
        if rating >= 4:
            if compound <= -0.5 and rating < 5:
                detail["rule"] = "words against the rating"
                return Label("negative", 0.6, detail)
            detail["rule"] = "rating"
            return Label("positive", 0.9, detail)
    detail["rule"] = "vader"
    if compound >= 0.4 or (compound >= 0.05 and not re.search(r"\b(?:not|never|no|still|again|but)\b", text, re.I)):
        return Label("positive", round(0.55 + 0.4 * min(1.0, compound), 3), detail)
    if compound <= -0.05 or _HOSTILE.search(text) or re.search(
            r"\b(?:still|yet again|again|waiting|waited|no one|nobody|never|can't|cannot|won't|doesn't|didn't|"
            r"isn't|not working|broken|wrong|charged|refund|cancel\w*|disappointed|frustrat\w*|annoy\w*|"
            r"terrible|horrible|awful|poor|bad|worst|delay\w*|late|missing|lost|problem|issue)\b", text, re.I):
        return Label("negative", round(0.55 + 0.4 * min(1.0, abs(compound)), 3), detail)
    return Label("neutral", 0.7, detail)


#: private channels a reply may ask for: (name, pattern)
MOVES_PRIVATE: tuple[tuple[str, str], ...] = (
    ("direct message",
     r"\b(?:dm|dms|dm'd|d\.m\.|direct message|direct messages|direct msg|private message|private msg|pm|"
     r"privately|in private|message us|send us a (?:message|note|msg)|drop us a (?:message|msg|line|note)|"
     r"shoot us a (?:message|msg|dm|note)|inbox us|slide into our dms|follow (?:and|&) dm|reach out (?:to us )?via "
     r"(?:dm|direct message|private message)|chat with us|live chat|chat team|messenger)\b"),
    ("call", r"\b(?:call us|give us a (?:call|ring|shout on)|phone us|ring us|calling us|contact us (?:by|on|at) "
             r"(?:phone|\+?\d)|speak (?:to|with) (?:us|our|a member|one of)|our (?:team|number) (?:at|on) \+?\d|"
             r"(?:call|reach|contact)\w* (?:our|the) [\w ]{0,30}(?:team|line|department|desk|number|support)|"
             r"at \d[\d -]{6,}|1-?8\d\d-?\d{3}-?\d{4}|phone number|callback|call back)\b"),
    ("e-mail", r"(?:\be-?mail us\b|\bemail (?:the|our|us)\b|\bsend (?:us )?an e-?mail\b|\bvia e-?mail\b|"
               r"\b[\w.+-]+@[\w-]+\.[\w.]+\b)"),
    ("form or link",
     r"\b(?:(?:fill|complete) (?:out|in)? ?(?:this|the|our) (?:form|request)|contact form|webform|web form|"
     r"(?:via|using|through|at|visit|use|click|here:?) (?:this|the) (?:link|form)|(?:reach|contact) (?:us|our "
     r"\w+(?: \w+)?) (?:here|at|via|through|using|on)|get in touch (?:with us )?(?:here|at|via|through)|"
     r"visit us at|contact us\b[^.!?]{0,30}https?://|support (?:here|at):?|open a (?:ticket|case) (?:at|here|via)|"
     r"log a ticket|submit a (?:ticket|request))\b"),
)
_PRIVATE = [(name, re.compile(pattern, re.I)) for name, pattern in MOVES_PRIVATE]


def moves_private_of(replies: Sequence[str]) -> Label:
    """``yes`` when one of the company's replies asks the customer to go private."""
    for reply in replies:
        for name, pattern in _PRIVATE:
            cue = pattern.search(reply)
            if cue:
                return Label("yes", 0.95, {"rule": name, "cue": cue.group(0)})
    return Label("no", 0.9, {"rule": "no private channel asked for"})


_CONTENT = (r"(?:review|reviews|rating|post|posts|tweet|tweets|comment|comments|feedback|video|thread|"
            r"complaint online|what you (?:wrote|posted|said)|it)")
#: gag requests: (name, pattern)
GAG: tuple[tuple[str, str], ...] = (
    ("remove or edit", rf"\b(?:remove|removing|delete|deleting|take down|taking down|taken down|pull|pulling|"
                       rf"retract|retracting|withdraw|withdrawing|edit|editing|amend|amending|update|updating|"
                       rf"revise|revising|change|changing|reconsider|modify|modifying|take|taking)\b[\w ,']{{0,25}}"
                       rf"\b(?:your|the|this|that|these|those)\b[\w -]{{0,25}}\b{_CONTENT}\b(?:[\w ,']{{0,15}}\b"
                       rf"(?:down|off|offline))?"),
    ("take down", rf"\btake\b[\w ,']{{0,20}}\b{_CONTENT}\b[\w ,']{{0,15}}\b(?:down|off|offline)\b"),
    ("not post", r"\b(?:(?:do not|don't|dont|please not|refrain from|avoid|stop|hold off (?:on)?|before you|"
                 r"instead of|rather than|not to|without) (?:post|posting|tweet|tweeting|review|reviewing|share|"
                 r"sharing|publish|publishing|writ\w+ (?:a|any) (?:review|post)|leave|leaving|go(?:ing)? public|"
                 r"tak\w+ (?:this|it) (?:public|online|to social media)|air\w* (?:this|it)|talk\w* (?:publicly|"
                 r"to the (?:press|media))|speak\w* (?:publicly|to the (?:press|media))|mention\w* (?:this|it|us))|"
                 r"keep (?:this|it|the matter|things) (?:between us|private|off (?:social media|line|the internet)|"
                 r"out of the (?:press|media|public))|off social media)\b"),
    ("silence for a remedy",
     r"\b(?:non-?disparagement|confidentiality (?:agreement|clause)|nda|gag clause|in (?:exchange|return) for "
     r"(?:your )?(?:removing|deleting|taking down|withdrawing|editing|updating|not (?:posting|sharing|speaking))|"
     r"on (?:the )?condition (?:that )?you (?:remove|delete|withdraw|edit|update|do not|don't|not|keep)|"
     r"(?:provided|as long as|once|if|when) you (?:remove|delete|take down|withdraw|edit|update|change|amend)|"
     r"agree not to (?:post|discuss|disparage|review|speak|share|publish)|not to disparage|"
     r"refrain from (?:posting|discussing|disparag\w+|commenting|reviewing|speaking))\b"),
)
_GAG = [(name, re.compile(pattern, re.I)) for name, pattern in GAG]
#: a request not to post personal data publicly protects the customer: not a gag
_PRIVACY = re.compile(
    r"\b(?:personal|private|account|card|order|booking|reference|policy|phone|contact|sensitive|security|"
    r"banking|payment|your) ?(?:details|info|information|data|numbers?|#|no\.?)\b|\bpublicly\b.{0,40}\b(?:details|"
    r"info|information|numbers?)\b|\b(?:for your (?:privacy|security|safety)|to protect your)\b", re.I)


def gag_of(replies: Sequence[str]) -> Label:
    """``yes`` with the asking ``sentence`` when a reply asks for silence or a changed review."""
    for reply in replies:
        for sentence in _sentences(reply):
            for name, pattern in _GAG:
                cue = pattern.search(sentence)
                if cue and not _PRIVACY.search(sentence):
                    return Label("yes", 0.9, {"rule": name, "cue": cue.group(0), "sentence": sentence})
    return Label("no", 0.9, {"rule": "no request for silence"})


@dataclass(frozen=True)
class InfluenceClassifier:
    """One of the four influence labels, decided by :func:`leverage_of`, :func:`tone_of`,
    :func:`moves_private_of` or :func:`gag_of`."""

    name: str
    label: str
    description: str
    version: str = VERSION

    @property
    def values(self) -> tuple[str, ...]:
        return LABEL_VALUES[self.label]

    def classify(self, item: ClassifyInput) -> Label | None:
        """Label ``item``; abstain (None) on an inbound label without text and rating, or an
        outbound label without replies."""
        if self.label in ("moves_private", "gag"):
            replies = [r for r in item.replies if r and r.strip()]
            if not replies:
                return None
            return moves_private_of(replies) if self.label == "moves_private" else gag_of(replies)
        text = " ".join(t for t in (item.subject, item.text) if t and t.strip())
        if self.label == "leverage":
            return leverage_of(text) if text else None
        if not text and item.rating is None:
            return None
        return tone_of(text, item.rating)


def build() -> list[InfluenceClassifier]:
    """The four classifiers."""
    return [
        InfluenceClassifier("rules-leverage", "leverage",
                            "threats of publicity, the press, a regulator or legal action: exact rules"),
        InfluenceClassifier("rules-tone", "tone",
                            "hostile, negative, neutral or positive: abuse rules, VADER and the star rating"),
        InfluenceClassifier("rules-moves-private", "moves_private",
                            "the company's replies ask to DM, call, e-mail or use a form: exact rules"),
        InfluenceClassifier("rules-gag", "gag",
                            "the company's replies ask to delete, edit or not post, or tie a remedy to silence"),
    ]


@hookimpl
def register_classifiers(register, config):
    for classifier in build():
        register(classifier)
