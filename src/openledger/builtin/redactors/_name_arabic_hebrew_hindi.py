"""Names in texts written in Arabic script (Arabic, Persian, Urdu), Hebrew or Devanagari (Hindi).

None of these scripts has capital letters, so a name cannot be told by its
shape: it is found only where the language says a person is meant, and it
ends at punctuation, after three words, or at the first word a name cannot be
(a short stop-word list for each language: particles, pronouns, postpositions
and the verbs that follow a name). The cues:

- **self-introductions**: Arabic اسمي, and أنا or معك at the start of the text
  or after a greeting («مرحبا، معك سارة الحربي»); Persian «اسم من … است» and
  «من … هستم», Urdu «میرا نام … ہے» and «میں … ہوں»; Hebrew שמי, קוראים לי,
  השם שלי, and אני at the start of the text or after a greeting; Hindi
  «मेरा नाम … है» and «मैं … हूँ»;
- **roles and titles**: Arabic الموظف, المندوب, السائق, الفني ... (and their
  feminine), السيد, السيدة, الأستاذ, الدكتور, Persian آقای, Urdu جناب; Hebrew
  הנציג/ה, השליח, הטכנאי, מר, גב׳, ד״ר; Hindi एजेंट, कर्मचारी, डिलीवरी बॉय ...,
  श्री, श्रीमती, सुश्री, डॉ., and a word or two before जी («शर्मा जी»);
- **sign-offs**: a line of one to three words under مع تحياتي, با تشکر,
  בברכה, धन्यवाद, भवदीय ...

How far a name runs differs by language. Where a closing verb follows
(Persian است, Urdu ہے, Hindi है, हूँ) every word before it is taken. Otherwise
an Arabic name takes a second and third word only when it is a family name
(with ال: «خالد العتيبي»), a common given name (a father's name: «أحمد
محمد») or a name particle (عبد, بن, أبو); a Hebrew or Hindi one any word but
a stop word, and in Hebrew a word led by "and" or by a preposition and the
article (והחבילה, מהמחלקה) ends it too.

Weak cues ask more. After «أنا», «معك» and «אני» the name must end at
punctuation or at the end of the text («أنا غاضب جدا» names nobody); after a
role, the words before a verb that follows a subject («المندوبة هند قالت»,
«השליח יוסי אמר») or a Hindi postposition («एजेंट प्रिया ने»), or one or two
words before punctuation in Arabic and Hebrew («المندوب تأخر في التوصيل»,
«השליח הלך לבניין אחר.» and «एजेंट बदतमीज़ था» name nobody); «मैं … हूँ» and «من … هستم»
need two words unless a greeting came first («मैं परेशान हूँ» is not a name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import patterns
from openledger.records import Span

ARABIC_LETTER = r"\u0610-\u061A\u0620-\u065F\u066E-\u06D3\u06D5-\u06EF\u06FA-\u06FF\u200C"  # with Persian's ZWNJ
HEBREW_LETTER = r"\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u05D0-\u05EA\u05F0-\u05F2"
DEVA_LETTER = r"\u0900-\u0963\u0971-\u097F\u200C\u200D"
AR_WORD = rf"[{ARABIC_LETTER}]{{1,30}}"
HE_WORD = rf"[{HEBREW_LETTER}]{{1,30}}(?:[׳'][{HEBREW_LETTER}]{{0,30}})?"  # with a geresh: ג'ורג'
HI_WORD = rf"[{DEVA_LETTER}]{{1,30}}"
_WORD = {"ar": patterns.anchored(AR_WORD), "he": patterns.anchored(HE_WORD), "hi": patterns.anchored(HI_WORD)}
_GAP = patterns.anchored(r"[ \t]{1,4}")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


AR_STOP = _words(
    # particles, prepositions, pronouns, negations, adverbs
    "و ف في من إلى الى على عن مع ب ل لم لن لا ما ماذا هل قد ثم أو او أن ان إن إنه انه إنها انها الذي التي اللي "
    "كان كانت هو هي هم أنا انا نحن أنت انت لي لك له لها بي بك به بها منذ بعد قبل عند حتى لكن لكنه لكنها بس وقد يا "
    "هذا هذه ذلك تلك جدا جداً كثيرا أيضا ايضا فقط الآن الان اليوم أمس امس غدا غداً بخصوص أحد احد خدمة "
    # verbs that follow a subject (see AR_AFTER), and what "I am", "my name is", a role are followed by
    "قال قالت يقول تقول أخبرني اخبرني أخبرتني اخبرتني وعدني وعدتني وعد وعدت اتصل اتصلت تواصل تواصلت رد ردت "
    "أكد اكد أكدت اكدت أغلق اغلق أغلقت طلب طلبت جاء جاءت وصل وصلت تأخر تاخر رفض رفضت لديكم لدي عندي عندكم "
    "عميل عميلة العميل زبون زبونة مشترك مشتركة غاضب غاضبة زعلان زعلانة مستاء مستاءة متضايق متضايقة متأكد "
    "مسجل مسجلة مكتوب موجود خطأ غلط المحترم المحترمة الكريم الكريمة المسؤول المسؤولة المختص المختصة "
    "الخاص الجديد الجديدة الآخر الاخر الأول الاول الثاني التابع العام المدير المديرة الرئيس حق بانتظار منتظر منتظرة "
    "طبعا طبعاً أصلا اصلا فريق قسم إدارة ادارة "
    # Persian and Urdu
    "است هست هستم هستیم بود ہے ہوں ہیں تھا تھی کا کی کے کو نے سے میں اور یہ وہ بہت خیلی بسیار از به با که را این "
    "آن تیم واحد مشتری ناراضی ناراض عصبانی پریشان گاہک صارف شما آپ گفت گفتند"
)
#: a role's name is taken when one of these follows it: «المندوب ماجد اتصل بي»
AR_AFTER = _words(
    "قال قالت يقول تقول أخبرني اخبرني أخبرتني اخبرتني وعدني وعدتني وعد وعدت اتصل اتصلت تواصل تواصلت رد ردت "
    "أكد اكد أكدت اكدت أغلق اغلق أغلقت جاء جاءت رفض رفضت من گفت گفتند نے"
)
#: a negation right after a role's name, not led by "and": «المهندس طارق الشهري لم يحضر» («الفني غادر ولم» is no name)
AR_NEGATION = _words("لم لن لا ما")
#: the second and third words of an Arabic name besides family names: a father's name (a common given name)
AR_GIVEN = _words(
    "محمد أحمد احمد علي عمر عثمان خالد سعد سعيد صالح إبراهيم ابراهيم يوسف عبدالله عبدالرحمن عبدالعزيز عبدالكريم "
    "عبدالرحيم عبدالمجيد حسن حسين محمود مصطفى ناصر فهد سلمان سلطان فيصل تركي ماجد طارق ياسر هشام وليد كريم "
    "سالم سليمان عيسى موسى إسماعيل اسماعيل جمال كمال منصور راشد حمد حمدان زايد مبارك "
    # the Persian and Urdu spellings
    "علی حسین رضا مهدی امیر"
)
AR_PARTICLE = ("عبد", "أبو", "ابو", "بن", "ابن", "بنت", "آل", "ال")
#: "is", "am" closing a Persian or Urdu introduction; what follows a Persian or Urdu name (the agent's postposition, "said")
AR_COPULA = _words("است هست هستم ہے ہوں")
AR_CLOSING = AR_COPULA | _words("نے کو سے کا کی کے گفت گفتند")

HE_STOP = _words(
    "של לא אל על עם את זה זאת זו גם רק כבר עוד עדיין אבל או כי אם מה איך למה כן אין יש הוא היא הם הן אני אתה "
    "אנחנו לי לו לה להם אותי אותו אותה שלי שלו שלה מאוד ממש פשוט אחרי לפני היום אתמול מחר בטלפון מחכה מחכים "
    "רוצה מבקש מבקשת צריך צריכה לקוח לקוחה לקוחות פונה כותב כותבת מתקשר מתקשרת גר גרה מנוי מנויה מאוכזב "
    "מאוכזבת כועס כועסת מתלונן מתלוננת אומר אומרת טוען טוענת בטוח בטוחה המום המומה מתוסכל מתוסכלת בשוק שלכם "
    "שלך אצלכם הנציג הנציגה השליח הטכנאי מר גב צוות מחלקת שירות"
)
#: past-tense verbs that follow a subject, in the masculine, feminine and plural: «השליח יוסי אמר»
HE_AFTER = frozenset(
    form
    for stem in ("אמר הבטיח טען סיפר ביקש ניתק התקשר הסביר הגיע חזר שלח לקח נתן השאיר עזר טיפל כתב הודיע "
                 "הלך הציע פתח סגר ביטל החזיר אישר סירב צעק דיבר התנצל קבע ענה ניסה רצה ראה היה").split()
    for form in ((stem, stem[:-1] + "תה", stem[:-1] + "ו") if stem.endswith("ה") else (stem, stem + "ה", stem + "ו"))
) | {"הייתה"}
HE_STOP |= HE_AFTER
#: a word led by a preposition and the article ("from the", "in the"...) or a reflexive verb: not a name
HE_LED = patterns.anchored(r"[מבלשכ]ה[\u05D0-\u05EA]{2}|הת[\u05D0-\u05EA]{2}")

HI_STOP = _words(
    "ने से को का की के है हैं था थी थे जी और या पर में भी तो ही नहीं ना न कि जो यह वह ये वो मैं मैंने मुझे मुझसे मेरा मेरी "
    "मेरे हम हमारा आप आपका आपकी आपके आपने उन्होंने उसने उस इस उनका उनकी कल आज अब बहुत काफी कोई कुछ सब एक दो "
    "ग्राहक परेशान नाराज़ नाराज निराश दुखी खुश तंग गलत सही अच्छा बुरा बोल बोला बोली बोले कहा बताया आया आई गया "
    "गई किया रहा रही रहे हूँ हूं हो होता होती वाला वाली वाले साथ लिए बाद पहले सर मैडम भाई बहन पिता माता पिताजी "
    "माताजी गुरु बाबा दीदी हाँ हां ठीक सच झूठ दें करें कीजिए दीजिए करो दो टीम विभाग एजेंट कर्मचारी मैनेजर टेक्नीशियन कस्टमर केयर सपोर्ट फोन कॉल बात नमस्ते नमस्कार "
    "प्रणाम हैलो हेलो धन्यवाद शुक्रिया ट्रेडर्स स्टोर स्टोर्स एंटरप्राइजेज इलेक्ट्रॉनिक्स मार्ट शॉप दुकान"
)
#: after a Hindi role a name is followed by a postposition or a verb of speaking: «एजेंट प्रिया ने»
HI_AFTER = _words("ने से को का की के जी बोला बोली बोले कहा")
HI_CLOSING = _words("है हूँ हूं बोल")
PUNCT_END = frozenset(("", ",", "،", ".", "!", "?", "؟", "۔", "।", "\n", "\r", ";", "؛", ":", "-", "—", ")"))

#: a sentence's start: the text's, or after its stop (Arabic ؟, Urdu ۔, Hindi ।) or a line break
_START = r"(?:^|(?<=[.!?؟۔।\n])|(?<=[.!?؟۔।][ \t]))[ \t]*"
_GREETING = (r"(?P<greeting>(?:مرحبا|مرحبًا|مرحباً|أهلا|اهلا|السلام[ \t]+عليكم|سلام|صباح[ \t]+الخير|مساء[ \t]+الخير|درود|"
             r"שלום|היי|הי|ערב[ \t]+טוב|בוקר[ \t]+טוב|नमस्ते|नमस्कार|हैलो|हेलो|प्रणाम)(?:[ \t]+जी)?[ \t]*[,،!.।]?[ \t]*)?")
_NOT_AR = rf"(?<![{ARABIC_LETTER}])"
_NOT_HE = rf"(?<![{HEBREW_LETTER}])"
_NOT_HI = rf"(?<![{DEVA_LETTER}])"
_AR_ROLE = r"(?:[وفب]?ال|لل)(?:موظف|مندوب|سائق|فني|مهندس|مشرف|ممثل)(?:ة|ه)?"
_AR_TITLE = r"(?:[وفب]?ال|لل)(?:سيد|سيدة|سيده|أستاذ|استاذ|أستاذة|استاذة|دكتور|دكتورة|آنسة|انسة)|آقای|جناب"
_HE_ROLE = r"(?:[ולמב]?ה|[ולמב])?(?:נציג|נציגה|שליח|שליחה|טכנאי|טכנאית|מתקין|נהג|נהגת|מוקדן|מוקדנית)"
_HE_TITLE = r"(?:[ולמב]?(?:מר|גב׳|גב'|גברת|ד״ר|ד\"ר|דוקטור)|הגברת)"
_HI_ROLE = (r"(?:एजेंट|कर्मचारी|प्रतिनिधि|टेक्नीशियन|मैनेजर|इंजीनियर|ड्राइवर|कूरियर|डिलीवरी[ \t]+(?:बॉय|ब्वॉय|वाले|वाला|मैन)|"
            r"एक्जीक्यूटिव)")
_HI_TITLE = r"(?:श्री|श्रीमती|सुश्री|श्रीमान|डॉ\.|डॉक्टर|मिस्टर|मिसेज़|मिसेज)"
#: a cue, the language of the name after it, and how strong the cue is (see the module docstring)
CUES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (patterns.compile(rf"{_NOT_AR}(?:اسمي|إسمي|اسمى|أسمي)(?:[ \t]+(?:هو|هي))?[ \t]*:?[ \t]*"), "ar", "strong"),
    (patterns.compile(rf"{_NOT_AR}(?:(?:اسم|نام)[ \t]+من|میرا[ \t]+نام)[ \t]+"), "ar", "strong"),
    (patterns.compile(rf"{_NOT_AR}(?:{_AR_TITLE})[ \t]+"), "ar", "strong"),
    (patterns.compile(rf"{_NOT_AR}{_AR_ROLE}[ \t]+"), "ar", "role"),
    (patterns.compile(rf"{_START}{_GREETING}(?:أنا|انا|معك|معاك|معكم)[ \t]+"), "ar", "weak"),
    (patterns.compile(rf"{_START}{_GREETING}(?:من|میں)[ \t]+"), "ar", "closed"),
    (patterns.compile(rf"{_NOT_HE}(?:שמי|קוראים[ \t]+לי|השם[ \t]+שלי(?:[ \t]+הוא)?)[ \t]*:?[ \t]*"), "he", "strong"),
    (patterns.compile(rf"{_NOT_HE}{_HE_TITLE}[ \t]+"), "he", "strong"),
    (patterns.compile(rf"{_NOT_HE}{_HE_ROLE}[ \t]+"), "he", "role"),
    (patterns.compile(rf"{_START}{_GREETING}אני[ \t]+"), "he", "weak"),
    (patterns.compile(rf"{_NOT_HI}मेरा[ \t]+नाम[ \t]*(?:है)?[ \t]*:?[ \t]*"), "hi", "strong"),
    (patterns.compile(rf"{_NOT_HI}{_HI_TITLE}[ \t]+"), "hi", "strong"),
    (patterns.compile(rf"{_NOT_HI}{_HI_ROLE}[ \t]+"), "hi", "role"),
    (patterns.compile(rf"{_START}{_GREETING}मैं[ \t]+"), "hi", "closed"),
)
_SIGN_OFF_WORDS = (r"مع[ \t]+(?:خالص[ \t]+)?(?:تحياتي|التحية|التحيات|الشكر|التقدير)|تحياتي|وشكرا|شكرا|با[ \t]+(?:تشکر|سپاس)|"
                   r"شکریہ|בברכה|בתודה|תודה(?:[ \t]+(?:רבה|מראש))?|धन्यवाद|सधन्यवाद|भवदीय|भवदीया|शुक्रिया")
SIGN_OFF = patterns.compile(rf"(?m)^[ \t]*(?:{_SIGN_OFF_WORDS})[ \t]*[,،!.]?[ \t]*\n[ \t]*")
HI_JI = patterns.compile(rf"{_NOT_HI}जी(?![{DEVA_LETTER}])")
#: one or two words before «जी»
BEFORE_JI = patterns.windowed(70, rf"(?:(?<![{DEVA_LETTER}])({HI_WORD})[ \t]+)?({HI_WORD})[ \t]+$")


def _bare(word: str) -> str:
    """An Arabic word without a joined "and" or "so": ولم, وقال."""
    return word[1:] if word[:1] in "وف" and len(word) > 2 else word


def stops(lang: str, word: str, first: bool) -> bool:
    """Whether ``word`` ends a name (a name's later word led by "and" does too: «דוד כהן והחבילה»)."""
    if lang == "ar":
        return word in AR_STOP or _bare(word) in AR_STOP or word.startswith(("وال", "فال", "بال", "لل"))
    if lang == "he":
        return word.rstrip("׳'") in HE_STOP or bool(HE_LED.match(word)) or (not first and word[:1] == "ו")
    return word in HI_STOP


def run_of_words(text: str, pos: int, lang: str, most: int = 3) -> tuple[list[tuple[int, int]], str]:
    """The words of ``lang`` from ``pos`` up to the first stop word (at most ``most``), and what ends
    them: the next word, or the character after the last."""
    taken: list[tuple[int, int]] = []
    while True:
        gap = _GAP.match(text, pos) if taken else None
        word = _WORD[lang].match(text, gap.end() if gap else pos)
        if not word or (taken and not gap):
            return taken, text[pos : pos + 1]
        if len(taken) == most or stops(lang, word.group(), not taken):
            return taken, word.group()
        taken.append(word.span())
        pos = word.end()


def _cued(text: str, match: re.Match[str], lang: str, kind: str) -> Iterator[tuple[int, int]]:
    taken, after = run_of_words(text, match.end(), lang, most=4 if lang == "ar" else 3)  # «محمد بن سلمان الدوسري»
    if not taken:
        return
    closed = after in (AR_CLOSING if lang == "ar" else HI_CLOSING)
    if kind == "closed":
        # «من … هستم», «मैं … हूँ»: only before "am", and two words unless a greeting came first or the
        # caller says who is speaking («मैं राहुल बोल रहा हूँ»)
        if after in (AR_COPULA if lang == "ar" else HI_CLOSING) and (
                len(taken) > 1 or match.group("greeting") or after == "बोल"):
            yield taken[0][0], taken[-1][1]
        return
    if lang == "ar" and not closed:
        keep = 1
        while keep < len(taken):
            word = text[taken[keep][0] : taken[keep][1]]
            if not ((word.startswith(("ال", "آل")) and len(word) > 3) or word in AR_GIVEN or word.startswith(AR_PARTICLE)):
                after = word
                break
            keep += 1
        taken = taken[:keep]
    if kind == "weak" and after not in PUNCT_END:
        return  # «أنا غاضب جدا»: after "I am" only a run that punctuation ends
    if kind == "role" and not _subject(lang, after, len(taken)):
        return  # «المندوب تأخر في التوصيل», «השליח הלך לבניין אחר.», «एजेंट बदतमीज़ था», «टेक्नीशियन आएगा,»
    yield taken[0][0], taken[-1][1]


def _subject(lang: str, after: str, words: int) -> bool:
    """Whether ``words`` words after a role, followed by ``after``, read as the role's name."""
    if lang == "ar":
        return _bare(after) in AR_AFTER or after in AR_NEGATION or (after in PUNCT_END and words <= 2)
    if lang == "he":
        return after in HE_AFTER or (after in PUNCT_END and words <= 2)
    return after in HI_AFTER


def _before_ji(text: str, ji: int) -> Iterator[tuple[int, int]]:
    """One or two words before «जी»: «शर्मा जी», «अमित शर्मा जी» (not «हाँ जी», «पिता जी»)."""
    found = BEFORE_JI.search(text, max(0, ji - 70), ji)
    if not found or found.group(2) in HI_STOP:
        return
    first = found.group(1)
    yield (found.start(1) if first and first not in HI_STOP else found.start(2)), found.end(2)


def _signed(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """A line of one to three words of one script (and nothing else) under a sign-off."""
    for lang in ("ar", "he", "hi"):
        taken, after = run_of_words(text, pos, lang)
        if taken and after in ("", "\n", "\r"):
            yield taken[0][0], taken[-1][1]


def arabic_hebrew_hindi_names(text: str) -> Iterator[Span]:
    """Names that an Arabic-script, Hebrew or Hindi text marks as such (see the module docstring)."""
    found: list[tuple[int, int]] = []
    for pattern, lang, kind in CUES:
        for match in pattern.finditer(text):
            found.extend(_cued(text, match, lang, kind))
    for match in HI_JI.finditer(text):
        found.extend(_before_ji(text, match.start()))
    for match in SIGN_OFF.finditer(text):
        found.extend(_signed(text, match.end()))
    for start, end in found:
        yield Span(start, end, "NAME", 0.75)
