"""The phrase bank the text generator draws from: topics, tones, greetings.

Placeholders: {plan} {device} {fee} {amount} {days} {city} {month} {times}
{hours} {handle} {name} {first}.
"""

from __future__ import annotations

#: topic -> complaint cores (first person, one or two sentences)
COMPLAINTS = {
    "billing": (
        "I was charged {amount} twice on my bill for {month}.",
        "My bill went up by {amount} this month and nobody told me why.",
        "You billed me a {fee} of {amount} that I never agreed to.",
        "I cancelled the {plan} add-on in {month} and you are still charging me for it.",
        "Autopay took {amount} from my checking account on the wrong date and now my bank charged me an overdraft fee.",
        "The promo price of {plan} was supposed to last 24 months, it lasted 3. I'm paying {amount} more than promised.",
        "I was promised a {amount} credit by your rep and it never showed up on my bill.",
    ),
    "outage": (
        "No signal at all in {city} for {days} days now.",
        "My {plan} internet has dropped {times} times today, I work from home and I can't do my job.",
        "Your network has been down in {city} since yesterday afternoon and the status page says everything is fine.",
        "Calls drop every time I drive through downtown {city}. Been like this since {month}.",
        "Home fiber has been out for {days} days. The technician never showed up for the appointment.",
        "Data speeds on {plan} are under 1 Mbps every evening. That's not unlimited, that's unusable.",
    ),
    "device": (
        "The {device} I bought from you stopped charging after {days} days and the store refused to swap it.",
        "I sent my {device} in for repair in {month} and still don't have it back.",
        "You shipped me a new {device} with a cracked screen and now want me to pay for the return.",
        "The {device} keeps rebooting since your last software update.",
    ),
    "contract": (
        "I was told there was no {fee} when I switched, now I have a bill for {amount}.",
        "I tried to cancel my line {times} times and every agent says they can't do it.",
        "I ported my number out in {month} and you still sent my account to collections for {amount}.",
        "You moved me to a more expensive plan without asking. I never agreed to {plan}.",
    ),
    "service": (
        "I was on hold for {hours} hours and then the call dropped.",
        "Your store rep in {city} was rude and refused to help me with my {device}.",
        "I have explained the same problem to {times} different agents. Nobody reads the notes.",
        "The chat agent closed the chat while I was still typing.",
    ),
    "fraud": (
        "Someone did a SIM swap on my line without my permission and got into my bank account.",
        "There are {times} new lines on my account that I never opened. This is fraud.",
        "Somebody ported my number out and I did not authorize it. I have lost access to everything.",
    ),
    "roaming": (
        "I got {amount} in roaming charges from a trip to {country} even though I bought the travel pass.",
        "My travel pass did not work in {country} and you still charged me {amount}.",
    ),
}
COUNTRIES = ("Mexico", "Canada", "Portugal", "Italy", "France", "the Dominican Republic", "Germany")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

#: what the customer wants, appended to complaints
WANTS = {
    "billing": ("Please refund the {amount}.", "I want that charge reversed.", "Fix my bill.", "I want my money back."),
    "outage": ("I expect a credit for the days without service.", "When will it be fixed?", "Send someone out please."),
    "device": ("I want a replacement.", "Either fix it or give me my money back.", "Please send a new one."),
    "contract": ("Cancel it and remove the fee.", "Take me off collections now.", "Put me back on my old plan."),
    "service": ("I want someone to call me back.", "I'd like to speak to a manager.", "Someone please just help."),
    "fraud": ("Lock my account NOW.", "Call me immediately.", "I need this escalated today."),
    "roaming": ("Please refund the roaming charges.", "I want the {amount} credited back."),
}

TONES: dict[str, dict[str, tuple[str, ...]]] = {
    "angry": {
        "open": ("This is unacceptable.", "I am furious.", "Absolutely ridiculous.", "Worst company ever.", "I'm done."),
        "close": ("I'm switching carriers if this isn't fixed.", "Do better.", "I want this dealt with today.",
                  "Disgraceful.", "Fix this NOW."),
    },
    "sarcastic": {
        "open": ("Wow, great job as usual.", "Oh good, another surprise on my bill.", "Love paying for a service that doesn't work.",
                 "Thanks for nothing."),
        "close": ("Really loving the customer experience 🙄", "Five stars for creativity.", "Keep up the amazing work, truly.",
                  "Can't wait to see what you charge me for next."),
    },
    "calm": {
        "open": ("I hope you can help.", "I wanted to let you know about a problem.", "I've been a customer for years.", ""),
        "close": ("Thank you for looking into this.", "I appreciate your help.", "Looking forward to your reply.", ""),
    },
    "desperate": {
        "open": ("Please, I really need help.", "I don't know what else to do.", "I'm at my wits' end."),
        "close": ("I'm a single parent and I can't afford this.", "I need my phone for work, please.", "Please help."),
    },
}
#: what some customers threaten, by lever (the ``leverage`` label's values): one sentence each, added to a
#: private complaint (:func:`openledger.demo.texts.compose`); the angry tone's closes threaten nothing, so
#: that every threat in the demo is one the plan knows of
THREATS = {
    "publicity": ("If I don't hear back by Friday I will post the whole story on Facebook and Twitter.",
                  "I'm going to leave a one-star review everywhere I can if this isn't resolved.",
                  "I have 12k followers and I will go public with this."),
    "press": ("I'm going to contact the local news about this.",
              "If this goes on I will talk to a journalist at the {city} Herald."),
    "regulator": ("I will be reporting this to the FCC.",
                  "If this is not resolved I will report you to the Better Business Bureau and the attorney general."),
    "legal": ("My lawyer will be in touch if this is not settled this week.",
              "I am prepared to take you to small claims court over this."),
}
TONE_WEIGHTS = {"angry": 30, "sarcastic": 15, "calm": 45, "desperate": 10}

#: questions and compliments, worded so that the built-in ``kind`` classifier reads them as such (a
#: question or compliment read as a complaint is answered "explained", and as all of them are calm
#: it would look like worse outcomes for calm customers in ``audit --by tone``)
QUESTIONS = (
    "Quick question, does {plan} include hotspot data?",
    "How do I add a line to my {plan} account?",
    "Quick question: is there a fee to upgrade to the {device} early?",
    "Can I pause my line while I'm abroad in {country}?",
    "Quick question: what day of the month is my bill cut off?",
    "Quick question: how do I get my PUK code? My SIM is locked.",
    "Quick question: do you have fiber coverage in {city}?",
)
COMPLIMENTS = (
    "Huge thanks to the tech who fixed my fiber in {city} today, super professional.",
    "Shout out to the chat agent who helped me with my bill in five minutes. Great service, thank you!",
    "The store staff in {city} were amazing: they set up my {device} and moved all my photos. Thank you!",
    "Really happy I switched to {plan} last month, the speeds are great. Thank you!",
    "Thank you to the team who fixed the outage in {city} so fast. Great service, really appreciated!",
)
FOLLOW_UPS = {
    "angry": ("Still waiting. {days} days and not a word.", "HELLO?? Anyone there?", "No reply. Typical."),
    "sarcastic": ("Still waiting, no rush, it's only been {days} days.", "Any day now 🙂"),
    "calm": ("Just following up on my message from {days} days ago.", "Any update on this, please?"),
    "desperate": ("Please, any update? I still can't use my phone.", "Sorry to write again, I really need help."),
}

GREETINGS = {
    "en": ("Hi", "Hello", "Hey", "Good morning", "Hi there"),
    "es": ("Hola", "Buenos días", "Buenas tardes"),
    "fr": ("Bonjour", "Bonsoir"),
    "de": ("Hallo", "Guten Tag"),
    "pt": ("Olá", "Bom dia"),
    "pl": ("Dzień dobry", "Cześć"),
    "vi": ("Xin chào",),
    "it": ("Buongiorno", "Ciao"),
}
THANKS = {
    "en": ("Thanks", "Regards", "Best", "Sincerely"),
    "es": ("Gracias", "Saludos"),
    "fr": ("Merci", "Cordialement"),
    "de": ("Danke", "Viele Grüße"),
    "pt": ("Obrigado", "Obrigada"),
    "pl": ("Dziękuję", "Pozdrawiam"),
    "vi": ("Cảm ơn",),
    "it": ("Grazie", "Cordiali saluti"),
}
#: whole complaints in the customer's language (for some customers)
NATIVE = {
    "es": (
        "Me cobraron {amount} dos veces en la factura de {month}. Quiero que me devuelvan el dinero.",
        "No tengo señal en {city} desde hace {days} días. Pago {plan} y no funciona nada.",
        "Llamé {times} veces y nadie me ayuda. Estoy muy molesta con el servicio.",
    ),
    "fr": (
        "On m'a facturé {amount} de frais que je n'ai jamais acceptés. Je veux un remboursement.",
        "Pas de réseau à {city} depuis {days} jours. C'est inadmissible.",
    ),
    "pt": ("Fui cobrado {amount} a mais na minha conta de {month}. Quero o reembolso.",),
}

#: personal details people put in their messages (private channels mostly)
PII = (
    "My account number is {account}.",
    "Account {account}, the line is {phone}.",
    "You can reach me at {phone} or {email}.",
    "Please email me at {email}.",
    "The service address is {address}.",
    "My name is {name} and the account is under my name, {account}.",
    "Call me back on {phone} after 5pm.",
    "I live at {address}, account {account}.",
)
PUBLIC_PII = (
    "my acct is {account}",
    "call me {phone}",
    "email me {email}",
    "I'm at {address}",
)
