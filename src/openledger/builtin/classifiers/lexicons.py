"""Cue lexicons for the rule classifiers (English, with Spanish, French and German).

Each list is a :class:`~openledger.builtin.classifiers.text.PhraseSet` over
normalised text (see :func:`~openledger.builtin.classifiers.text.normalise`:
lower case, ``n't`` spelled ``not``, ``can't`` spelled ``cannot``). The
lists are written from how complaints are phrased in general (public support
tweets, CFPB narratives, review sites), not from the project's labelled set.
"""

from __future__ import annotations

from openledger.builtin.classifiers.text import phrases

# --- kind ------------------------------------------------------------------

#: a problem the customer has had or still has (strong evidence of a complaint)
PROBLEM_STRONG = phrases("problem-strong", [
    "not working", "not work", "stopped working", "does not work", "do not work", "did not work",
    "broken", "broke", "faulty", "defect*", "damaged", "cracked", "leak*", "torn", "tear in",
    "snapped", "peeling", "missing", "lost my", "lost our", "lost the", "never arrived",
    "not arrived", "has not arrived", "have not arrived", "not received", "never received",
    "never came", "never showed", "did not turn up", "no-show", "not turned up", "nobody came",
    "still waiting", "still not", "still no", "still have not", "still has not", "still pending",
    "overcharg*", "charged twice", "double charge*", "charged me", "been charged", "keep charging",
    "kept charging", "still charging", "hidden fee*", "rip off", "ripped off", "conned",
    "wrong item", "wrong address", "wrong size", "wrong name", "wrong amount", "error", "failed",
    "failing", "fails", "outage", "no service", "no signal", "keeps dropping", "cuts out",
    "cut out", "freezes", "keeps freezing", "froze", "frozen", "crash*", "down again", "is down",
    "are down", "went down", "been down", "not moved", "supposed to", "meant to", "was promised",
    "were promised", "was told", "were told", "promised", "worse", "reaction", "hospitali*",
    "spark*", "melt*", "smoke", "smoking", "overheat*", "unsafe", "dangerous", "gas leak",
    "smell of gas", "injur*", "arrived late", "running late", "hours late", "days late",
    "weeks late", "minutes late", "mins late", "late delivery", "too late", "tastes like",
    "not here", "not applying", "never authori*", "never asked", "overdrawn", "unbelievable",
    "no seat", "bumped off", "not start", "was not me", "chase", "hiccups", "locked out", "hacked", "unauthori*", "did not make",
    "did not authori*", "never applied", "not my debt", "identity theft", "stolen", "fraud*",
    "rude", "terrible", "awful", "worst", "horrible", "disgust*", "disgrace*", "disappoint*",
    "unacceptable", "ridiculous", "appalling", "shocking", "shameful", "useless", "pathetic",
    "complain*", "frustrat*", "angry", "furious", "upset", "fed up", "sick of", "not happy",
    "unhappy", "not impressed", "not good enough", "not acceptable", "on hold", "no reply",
    "no response", "no answer", "ignored", "ignoring", "chasing", "nobody", "no one", "never again",
    "never coming back", "will not be back", "avoid", "dispute*", "denied", "denies", "deny",
    "declined", "declining", "rejected", "refused", "refuses", "mistake", "filthy", "dirty",
    "stranded", "cancelled", "canceled", "delayed", "lateness", "harass*", "threaten*",
    "foreclos*", "humiliat*", "degrading", "trash", "sucks", "suck", "scam*", "mould", "damp",
    "blocked", "suspended", "frozen account", "without notice", "without permission",
    "no explanation", "not asked", "never agreed", "did not agree", "cold food", "stone cold",
    "unfair", "loyalty means nothing", "lost me as a customer", "taking my business elsewhere",
    "problem*", "issue with", "issues with", "fault", "trouble", "what's the point",
    "not authori*", "inaccurate", "incorrect*", "hardship", "shocked", "not correct",
    "not mine", "does not belong", "do not belong", "not belong to me", "did not even",
    "not even", "misled", "mislead*", "ordered nothing", "did not order", "never ordered",
    "re:\\bnot (?:overly |very |too |exactly |at all )?(?:delighted|pleased|impressed|happy|satisfied|thrilled)\\b",
    "what is the point", "annoying", "annoyed", "get rid of", "botched", "false charge",
    "ripped", "smells", "lip service", "ruin*", "nightmare", "joke", "not enough", "too expensive", "too slow", "too long",
    "does not cover", "not covered", "covering less", "cover less", "covers less", "going up",
    "more expensive", "clunky", "inconvenient", "could be better", "only giving", "incompetent", "misleading", "lie", "lied",
    "lying", "liars", "buffering", "stuck", "cannot make", "cannot log", "cannot login",
    "cannot access", "cannot connect", "cannot sign in", "not letting me", "will not let me",
    "does not let me", "keeps giving", "no internet", "no wifi", "no connection", "glitch*",
    "bug", "bugs", "bugfest", "buggy", "dropped calls", "not loading", "will not load",
    "not showing", "does not show", "error message", "late payment*", "past due", "collection agency", "in collections",
    "negatively", "not accurate", "substantiate", "unverified", "out of business", "no notification", "no warning", "without warning", "no notice",
    "empeora*", "peor", "ratas", "problema", "problème", "pb", "refusing", "denying", "outrageous", "overpriced", "cover nothing",
    "covered nothing", "nothing was covered", "nothing is covered", "used to be", "not as good",
    "took weeks", "took months", "whopping", "could have saved", "loophole", "excuse*",
    # es
    "no funciona", "roto", "rota", "pésimo", "pésima", "queja", "reclamación", "reclamo",
    "retraso", "no ha llegado", "no llegó", "cobrado dos veces", "cobro indebido", "estafa",
    "jamás", "nunca más", "mal servicio", "decepcionado", "decepcionada", "defectuoso", "dañado",
    "ruido", "no termina", "me han cobrado",
    "no he recibido", "no recibí", "no me ha llegado", "no me llegó", "no me deja", "no aparece",
    "no se me acredit*", "no carga",
    # pt, it, tr
    "não funciona", "não recebi", "não chegou", "não foi possível", "ainda não", "não consegui",
    "non funziona", "non ho ricevuto", "çalışmıyor", "gelmedi", "olmuyor", "açılmıyor", "sorun",
    # fr
    "ne fonctionne pas", "ne marche pas", "cassé", "cassés", "abîmé", "retard", "pas reçu",
    "jamais reçu", "plus jamais", "nul", "déçu", "déçue", "arnaque", "réclamation", "plainte",
    "bloqué", "bloquée", "aucune mise à jour", "conteste", "contester", "erreur", "en panne",
    # de
    "funktioniert nicht", "kaputt", "defekt", "beschädigt", "verspätet", "verspätung",
    "nicht erhalten", "keine lieferung", "nie wieder", "enttäuscht", "beschwerde", "betrug",
    "schlecht", "falsch", "gesperrt", "komme nicht", "nicht gebucht", "ärgerlich", "störung",
    "keine besserung",
], 2.0)

#: weaker hints of a problem (only count together with something else)
PROBLEM_WEAK = phrases("problem-weak", [
    "cannot", "unable", "will not", "again", "still", "third time", "3rd time", "second time",
    "every time", "every single", "yet again", "wait*", "down", "slow", "expensive", "cold",
    "poor", "bad", "wrong", "why", "never", "help me", "help us", "help!", "urgent", "nowhere", "late", "lost", "lose",
    "losing", "gone", "just wow", "smh", "wtf", "c'mon", "come on", "re:\\breally\\s*\\?", "re:\\bseriously\\s*\\?",
    "seriously", "wow", "ugh", "really bad", "tears", "crying", "regret",
    "😡", "😤", "😠", "😞", "😩", "😢", "😭", "🤬", "👎", "😒", "🙄",
    "mal", "no puedo", "não consigo", "non riesco", "ich kann nicht", "je n'arrive pas",
    "impossible de", "toujours pas", "immer noch nicht", "geht nicht", "yakıyo*",
], 1.0)

#: praise and thanks
PRAISE = phrases("praise", [
    "thank*", "thanks", "cheers", "appreciat*", "love", "loved", "loving", "great", "excellent",
    "brilliant", "fantastic", "amazing", "awesome", "superb", "perfect*", "wonderful", "lovely",
    "helpful", "friendly", "so kind", "very kind", "really kind", "kind and", "was kind",
    "were kind", "kind words", "kindness", "patient", "professional*", "recommend*",
    "well done", "kudos", "shout out", "shoutout", "a star", "legend*", "faultless", "5 stars",
    "10/10", "happy", "impressed", "commend", "grateful", "gratitude", "above and beyond",
    "fab", "obsessed", "comfiest", "best", "beautiful", "delighted", "pleased", "smooth",
    "easy", "quick", "fast", "efficient", "reassuring", "restored my faith", "top notch",
    "spot on", "nice", "good", "gent", "peace of mind", "straightforward", "reliable",
    "courteous", "prompt*", "satisfied", "delicious", "favorite", "favourite", "smoothly",
    "is a 10", "responsive", "knowledgeable", "fair", "fairly", "affordable", "so far so good",
    "caring", "attentive", "quickly", "yummy", "enjoy*", "glad", "well handled", "ten stars",
    "five stars", "10 stars", "life saver", "life savor", "lifesaver", "all the way", "huge help",
    "great help", "big help", "trust", "no complaints", "never let me down", "never let us down",
    "courtesy", "efficiency", "efficiently", "seamless", "conscientious", "approachable",
    "diligent", "diligence", "exceptional", "outstanding", "first class", "superb",
    "kept us informed", "kept me informed", "no hesitation", "would use again",
    "would use them again", "highly", "compassionate", "relieved", "cute", "cutest",
    "made things easy", "made it easy", "clear communication", "communicated well",
    "communicate well", "well-documented", "equitable",
    "timely", "phenomenal", "worth it", "worth every penny",
    "worth the money", "blessing", "godsend", "kinder", "thorough", "on top of things",
    "exceeded", "fortunate", "like royalty", "speedy", "reasonable", "painless", "a breeze",
    "hassle free", "no hassle", "stress free", "stress-free", "best decision",
    "so glad", "glad we", "glad i", "took care of", "went above", "top class", "solid",
    "excelente servicio", "rapidez", "merci beaucoup", "vielen dank",
    "👏", "😍", "❤", "❤️", "🙌", "👍", "💕", "😊", "🙏", "😁", "🥰", "😋", "🔥",
    # es
    "gracias", "excelente", "genial", "encanta", "perfecto", "recomiendo", "muy bien",
    "maravilla", "buena calidad", "muy rica", "muy rico", "amable",
    # fr
    "merci", "bravo", "parfait", "très bien", "génial", "super", "remercier", "rapidité",
    # de
    "danke", "toll", "freundlich*", "hilfsbereit", "bestens", "hervorragend", "perfekt",
    "zufrieden", "schnelle lieferung",
    # ja
    "ありがとう", "感謝",
], 1.0)

#: praise words negated ("would not recommend", "not helpful"): taken off the praise
PRAISE_NEGATED = phrases("praise-negated", [
    ("re:\\b(?:not|never|no longer|hardly|barely|nothing)\\s+(?:\\w+\\s+)?(?:recommend\\w*|great|good|helpful|friendly|happy|easy|fast|quick|"
     "professional|worth\\w*|reasonable|fair|reliable|timely|prompt|responsive|courteous|caring|impressed|pleased|satisfied|nice|best)\\b"),
    "used to be great", "used to be good", "glad i did not", "glad we did not", "glad i never",
], 1.0)

#: polite thanks, which are not praise when they close a request or a question
THANKS = phrases("thanks", [
    "thank*", "thanks", "cheers", "many thanks", "thx", "ty", "gracias", "merci", "danke", "ありがとう",
], 1.0)

#: the problem was dealt with (makes "thanks for fixing my broken ..." a compliment)
RESOLVED = phrases("resolved", [
    "sorted", "fixed", "resolved", "solved", "works perfectly", "working fine", "working now",
    "works now", "all good now", "paid quickly", "claim paid", "got my money back", "exchanged",
    "replaced", "arrived today", "arrived on time", "arrived early", "arrived a day early",
    "no fuss", "no hassle", "took care of", "helped me", "helping", "helped", "on the first call",
    "found the fault", "no problem*", "no issue*", "never had a problem", "never had an issue",
    "never had a bad", "never had any problem*", "never had any issue*", "not a single problem",
    "no complaints", "nothing to complain", "cannot complain", "not disappoint*", "did not disappoint",
    "no hassle", "hassle free", "hassle-free", "pain free", "without a hitch", "never let me down",
    "never let us down", "never failed", "réglé", "résolu", "gelöst", "behoben", "resuelto", "solucionado",
], 2.0)

#: sarcasm: praise words that, next to a problem, mean the opposite
SARCASM = phrases("sarcasm", [
    "thanks for nothing", "thank you for nothing", "thanks a lot", "thanks a bunch",
    "thanks for making", "thanks for just", "thank you for just", "love how",
    "love it when", "love that you", "love spending", "just what i needed", "oh great",
    "oh wonderful", "oh good", "great, another", "great another", "wonderful, another",
    "so glad", "yay", "top work", "nice one", "amazing how", "nice to know",
    "really appreciate it", "as always", "how lovely", "cheers for", "very impressed by the poor",
    "impressive stuff", "good job", "love that", "smh",
    're:"[^"]{0,25}\\b(?:great|best|fast|unlimited|premium|free|quick|service|support|care)\\b[^"]{0,25}"',
    "re:\\bthanks,? [a-z]+[.!]+ (?:more|now|another|again)\\b",
    "🙃", "🙄", "😒", "/s",
], 1.0)

#: markers that make any praise ironic (an upside-down face needs no problem word)
SARCASM_MARKS = phrases("sarcasm-marks", ["🙃", "🙄", "😒", "/s", "#sarcasm", "sarcasm"], 1.0)

#: markers that are sarcastic only next to a strong problem
SARCASM_WEAK = phrases("sarcasm-weak", [
    "clearly", "well done", "bravo", "impressive", "appreciate it", "brilliant", "wonderful",
    "great", "amazing", "perfect", "thanks", "👏", "👍", "😂",
], 1.0)

#: question openers, counted only when the message also has a question mark
QUESTION_START = phrases("question-start", [
    "re:^(?:hi|hello|hey|hola|bonjour|hallo|dear [\\w ]+)?[ ,!.]*(?:how|what|when|where|why|"
    "which|who|can|could|do|does|did|is|are|will|would|should|may|has|have)\\b",
], 1.0)

#: a question form
QUESTION = phrases("question", [
    "?", "¿", "could you tell me", "can you tell me", "is it possible", "i was wondering",
    "wondering if", "any way to", "is there a way", "please advise", "please confirm whether",
    "please could you tell", "please could you confirm", "quick question", "one more question",
    "quick one", "i would like to know", "want to know", "wanted to know", "asked how",
    "asked if", "asked whether", "asked when", "asked about", "customer asked", "does anyone know",
    "to ask", "enquir*", "inquir*", "have a question", "a quick question", "question about",
    "question for you", "questions about", "just curious", "i am curious", "curious why",
    "curious if", "wondering", "una pregunta", "una consulta", "une question", "eine frage",
    "por qué", "porque no", "qué hago", "pourquoi", "warum", "wanted to know whether", "how do i", "how can i", "can i",
    "any suggestions", "any advice", "any ideas", "any tips", "any help",
    "cómo", "cuándo", "dónde", "puedo", "est-ce que", "comment", "pouvez-vous", "kann ich",
    "können sie", "gibt es", "wie kann",
], 1.0)

#: verbs that propose a change ("you should add", "why not offer")
_CHANGE = ("(?:add|offer|bring|make|have|consider|introduce|allow|let|stock|sell|open|hire|include|"
           "provide|start|try|think about|look into|create|invest|extend|expand|put|show|hold|"
           "integrate|automate|sponsor|partner|build|design|update your|change your|improve)")

#: a suggestion or request for a change that is not about the customer's own problem
SUGGESTION = phrases("suggestion", [
    "would be nice if", "would be great if", "would be good if", "would be better if",
    "would be lovely", "would be useful", "would be helpful", "would be really", "would be even better",
    "it would be", "it'd be", "would love", "could you offer",
    "could you add", "could you let us", "could you let customers", "could you let people",
    "could you make", "please add", "please bring back", "bring back",
    "re:\\bplease make (?:a|an|it possible|more|the option|an option)\\b",
    "please consider", "please stock", "please open", "should add", "good idea", "please introduce",
    "i suggest", "i would suggest", "i'd suggest", "we suggest", "suggest that", "suggest you",
    "suggest adding", "my suggestion", "a suggestion", "one suggestion", "suggestion:", "suggestion is to",
    "an idea", "good idea",
    "great idea", "idea for", "idea:",
    "plans to add", "any plans to", "re:\\b(?:could|would|should|please)\\b[^.?!]{0,30}\\bconsider\\b", "just a thought", "feature request",
    "consider adding", "wish you", "wish there was", "would not it be",
    f"re:\\bwhy not (?:just )?{_CHANGE}\\b", f"re:\\b(?:you|they|we) (?:should|could|ought to) (?:really |also |maybe |perhaps |just )?{_CHANGE}\\b",
    "re:\\bshould have (?:a|an|more|the option|options?|an option)\\b",
    "customer suggested", "caller suggested", "customer suggests", "caller suggests",
    "would it not be", "may i suggest", "should be able to", "make this in", "stock more",
    "more options", "dark mode", "an option to", "option for",
    "would be nice", "would be good to", "wish they", "wish you could", "should offer", "should allow", "should consider", "make it a feature",
    "as a user", "how about adding", "what about adding", "could be improved",
    "sería bueno", "sería genial", "deberían", "sugerencia", "podrían añadir",
    "vous devriez", "ce serait bien", "pourriez-vous ajouter",
    "vorschlag", "wäre schön", "ihr solltet", "wäre toll", "wäre gut",
], 1.5)

# --- wants -----------------------------------------------------------------

#: an ask for money (strong: the word itself is the ask)
COMPENSATION = phrases("compensation", [
    "refund", "refunds", "refund me", "refunding", "reverse the charge*", "reverse the fee*",
    "reverse the payment*", "reverse these charges", "reverse this charge", "money back", "reimburse me", "compensat*", "credit back",
    "goodwill", "pay the claim", "pay my claim",
    "chargeback", "charge back", "fee back", "£ back", "back to my card",
    "eu261", "uk261", "delay repay", "who will pay", "owe me", "pay me back", "pay me",
    "re:\\b(?:want|wants|give me|get|have|send)\\b[^.!?]{0,20}?(?:\\b(?:money|cash|deposit|fees?|payment|funds)\\b|[£$€]\\s?\\d[\\d.,]*|\\b\\d[\\d.,]*\\s?(?:€|eur|euros?|dollars?|pounds?)\\b)[^.!?]{0,12}\\bback\\b",
    "re:\\b(?:want|wants|like|expect|need)\\b[^.!?]{0,30}\\b(?:reimbursed|refunded|paid back|compensated|credited back)\\b",
    "who pays for", "give me my money",
    "lost wages", "lost earnings", "partial refund",
    "out of pocket", "settle the claim", "wants claim paid",
    "reembolso", "devolución", "compensación", "reembols*",
    "indemnización", "rembours*", "dédommage*", "indemnis*", "erstattung", "erstatten",
    "geld zurück", "entschädigung",
    "credit my account", "credit to my account", "account credit", "price adjustment", "price match",
    "pay for the damage", "pay for the repair*", "should pay for", "cover my costs",
    "request reimbursement", "claim reimbursement", "reimbursement of", "i am owed", "what i am owed",
    "remove the charge*", "remove the fee*", "remove the late fee*", "refund the", "give me back",
    "quiero mi dinero", "devuélvanme", "devuelvan", "quero o meu dinheiro", "quero meu dinheiro",
    "estorno", "devolução", "remboursez", "rendez-moi", "rückerstattung", "rückzahlung", "gutschrift",
    "rimbors*", "risarciment*", "geld terug", "terugbetaling", "para iadesi", "ücret iadesi", "iade",
    "zwrot pieniędzy", "返金", "退款",
], 1.0)

#: money words that tell of payment but ask for it only in company (half weight)
COMPENSATION_WEAK = phrases("compensation-weak", [
    "refunded", "refundable", "reimburs*", "my money", "voucher", "cover the cost", "waive*", "who pays", "pays for",
    "claim of", "claiming", "honour", "honor", "to be paid", "keeping my", "kept my",
], 0.5)

#: an explicit request for something to be done
FIX_REQUEST = phrases("fix-request", [
    "please fix", "please help", "please sort", "please check", "please investigate",
    "please send", "please call", "please arrange", "please correct", "please remove",
    "please restore", "please cancel", "please update", "please confirm", "please let me know",
    "please escalate", "please reply", "please respond", "please stop", "please block",
    "please freeze", "please lock", "please release", "please halt", "please delete",
    "please process", "please give", "please do something", "please contact", "please explain",
    "please put", "please get back", "please assist", "please re-investigate", "please look",
    "please advise", "please make this right", "explain why", "explain yourself",
    "explain yourselves", "re:\\bexplain\\s*[.!]", "make this right", "make it right",
    "fix this", "fix it", "sort it", "sort this", "can you",
    "could you", "can someone", "could someone", "would be grateful", "need this",
    "need it", "need someone", "need help", "need you to", "what do we do", "what should i do",
    "what do i do", "when will", "where is", "any eta", "help me", "help us", "is there help",
    "help!", "asap", "as soon as possible", "a fix would", "dm me", "message me",
    "rebook*", "escalat*", "call me", "callback", "assist me", "kindly",
    "call back", "get back to me", "contact me", "i request", "i am requesting", "i am asking",
    "i'm asking", "asking that", "asking to have", "asking you", "i ask that", "requesting",
    "i would like", "i'd like", "i want", "i need", "we need", "re-investigat*",
    "reinvestigat*", "please keep in mind", "is this you", "remove them", "correct it",
    "lock it", "send someone", "new card",
    "re:\\b(?:be|been|get|getting|have|having) (?:it |them |this |these |the \\w+ |these \\w+ )?(?:removed|deleted|corrected|fixed|updated|reinstated)\\b",
    "re:\\b(?:remove|delete|correct) (?:it|them|this|these|the|those|all|my)\\b",
    "ayuda", "ayúdenme", "me ayudan", "pueden enviar", "qué hago", "que hago", "revisarlo",
    "podrían revisar", "pueden revisar", "poderia ajudar", "pode ajudar", "aidez",
    "pouvez-vous m'aider", "bitte um hilfe", "bitte korrigieren", "bitte teilen", "bitte helfen",
], 1.0)

#: words that ask for something only in company: half weight
FIX_REQUEST_WEAK = phrases("fix-request-weak", [
    "need to", "need", "needs", "must", "expect", "update", "resolve", "restore", "replace",
    "replacement", "repair", "engineer", "technician", "investigate", "look into", "halt",
    "stop the", "want it", "wants it", "wants", "requested", "requests",
], 0.5)

#: venting: the customer wants to be heard, not (primarily) a fix
VENTING = phrases("venting", [
    "never again", "never coming back", "will not be back", "never be back", "not be back",
    "taking my business elsewhere", "lost me as a customer", "just wanted you to know",
    "just wanted it on record", "on record", "should know", "wish you to know",
    "not asking for anything", "not expecting anything", "did not want anything",
    "just wanted to make the point", "make the point", "just want someone to listen",
    "for the record", "avoid", "do not use", "shameful", "disgust*", "humiliat*", "degrading",
    "appalling", "i am done", "i'm done", "feel conned", "the way i was", "how you treat",
    "is how you treat", "is no way to treat", "way to treat", "won't bore you", "you don't care",
    "you do not care", "exhausted", "sadly", "not good enough", "worst", "trash", "sucks",
    "do not recommend", "would not recommend", "not recommend", "look for other", "waste of",
    "worthless", "joke", "stay away", "beware", "warning", "don't bother", "do not bother",
    "save your money", "save yourself", "not worth", "do not waist", "go with another",
    "considering another", "look for another", "switching to", "switched to", "will be switching",
    "cancel my policy", "cancelled my policy", "canceled my policy", "will soon cancel",
    "will be cancelling", "will be canceling", "i am cancelling", "i am canceling", "do not waste", "don't waste", "do not buy", "do not get it",
    "do not go with", "do not sign up", "do not trust", "find a better", "go elsewhere",
    "look elsewhere", "steer clear", "stay clear", "run away", "buyer beware", "i regret",
    "would never", "would not choose", "would not use", "will never use", "never use them",
    "never again", "never recommend", "will not recommend", "recommend against", "zero stars",
    "0 stars", "one star", "1 star", "if i could give", "what a shame", "shame on",
    "hopeless", "thieves", "crooks", "criminals", "they just want your money",
    "take your money", "take the money", "takes your money", "total waste", "scam",
    "horrible company", "terrible company", "worst company", "worst experience",
    "get it together", "get your act together", "sort yourselves out", "do better",
    "are you kidding", "you should be ashamed", "should be ashamed", "unreal",
    "no vuelvo", "una vergüenza", "vergüenza", "la peor", "el peor", "me están robando",
    "honteux", "inadmissible", "unverschämt", "eine frechheit",
    "jamás volveré", "nunca más", "plus jamais", "nie wieder",
], 1.0)

#: judgement words: a customer who judges rather than reports mostly wants to be heard
EVALUATIVE = phrases("evaluative", [
    "terrible", "awful", "worst", "horrible", "horrendous", "disgust*", "disgrace*",
    "disappoint*", "unacceptable", "ridiculous", "appalling", "shocking", "shameful", "useless",
    "pathetic", "rude", "frustrat*", "angry", "furious", "upset", "fed up", "sick of",
    "not happy", "unhappy", "not impressed", "poor", "trash", "rubbish", "sucks", "suck", "joke",
    "scam", "thieves", "criminals", "crooks", "liars", "incompetent", "nightmare", "careless",
    "lip service", "preposterous", "unprofessional", "misleading", "misled", "greedy",
    "pésimo", "pésima", "fatal", "nul", "honteux", "schlecht", "unverschämt",
], 1.0)

#: the problem is still going on (an implicit request for a fix)
ONGOING = phrases("ongoing", [
    "still", "not working", "stopped working", "does not work", "is down", "are down",
    "keeps", "keep getting", "locked out", "cannot log in", "cannot get into", "missing",
    "has not arrived", "have not arrived", "not arrived", "no sign of", "no power", "no heating",
    "no service", "every evening", "every time", "right now", "pending", "in review",
    "with the assessor", "not been", "is reporting", "are reporting", "still reporting",
    "continue to", "continues to", "currently", "has yet to", "have yet to", "is showing",
    "are showing", "remains", "to this day", "as of today", "is still", "are still",
    "sigue", "siguen", "todavía", "toujours", "immer noch",
], 1.0)

#: the company spoken of in the third person: a verdict for other readers (a review)
THIRD_PERSON = phrases("third-person", [
    "they", "them", "their", "this company", "this insurance", "this firm", "this place",
    "this pet insurance", "the company", "ellos", "ils", "sie haben",
], 1.0)

#: the company spoken to, or the customer's own open matter: something to act on
SECOND_PERSON = phrases("second-person", [
    "you", "your",
    "re:\\bmy (?:\\w+ )?(?:accounts?|credit|reports?|orders?|files?|cards?|loans?|mortgage|payments?|score|balance|funds|deposit|check|bill|statement|identity|information|address)\\b",
    "usted", "ustedes", "vous", "ihr", "ihnen",
], 1.0)
