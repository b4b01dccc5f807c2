"""A short summary of a customer's message: their first sentences in their own
words, without handles, links, form headers or greetings. Used by reply drafts
and, after redaction, by the optional case summaries on the public site."""

from __future__ import annotations

import re

from openledger import patterns

_URL = patterns.compile(r"(?:https?://|www\.)\S+")
_HANDLE = patterns.compile(r"(?<![\w@])(?<!\w\.)@\w+")  # ".@name" and "...@name" too; not "a.b@c"
# [ \t]*, not \s*, after ^: \s* let every line start of a run of blank lines re-read the run (quadratic);
# the blank lines that stay are collapsed to one space below anyway
_HEADER_LINE = patterns.compile(r"^[ \t]*(?:subject|topic|name|thema|sujet|asunto|objet|betreff)\s*:.*$", re.I | re.M)
_HEADER = patterns.compile(r"^[ \t]*(?:message|nachricht|mensaje|re)\s*:\s*", re.I | re.M)
_GREETING = patterns.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hola|bonjour|hallo|"
    r"sehr geehrte|estimad[oa]s?|madame|to whom it may concern)\b[^\n.!?:]{0,40}[,:!.\n]\s*)+",
    re.I)
_SENTENCE = patterns.compile(r"(?<=[.!?])\s+")


def summarise(text: str, limit: int = 220) -> str:
    """The customer's problem in their own words: first sentences, no handles or links."""
    text = _HEADER.sub("", _HEADER_LINE.sub("", text or ""))
    text = _URL.sub("", _HANDLE.sub("", text))
    text = _GREETING.sub("", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" ,.-")
    if len(text) <= limit:
        return text
    summary = ""
    for sentence in _SENTENCE.split(text):
        if summary and len(summary) + len(sentence) + 1 > limit:
            break
        summary = f"{summary} {sentence}".strip()
    if len(summary) > limit:
        summary = summary[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary
