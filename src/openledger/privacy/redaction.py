"""The redaction engine: merge what the redactors find and replace it by placeholders.

Redactors are the objects registered through the ``register_redactors`` hook:
each has ``name``, ``version`` and ``find(text)`` returning
:class:`openledger.records.Span` objects. :func:`redact` asks every redactor,
merges overlapping spans (the longer span's kind wins; on equal length the
higher score, then the earlier redactor), leaves alone the company's own public
handles, hotlines and web addresses (the ``keep`` strings), and replaces each
span by ``[KIND]``.

Placeholders already in the text are never redacted again, and the engine
repeats the pass until nothing more is found, so redacting redacted text
changes nothing.

``openledger redact`` previews what would be published: :func:`redact_plain`
for standard input, :func:`redact_jsonl` for the ``text`` field of JSON Lines,
with the keep list from the config (:func:`keep_from_config`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

import phonenumbers

from openledger import patterns
from openledger.errors import ConfigError, PluginError
from openledger.jsonlines import parse_jsonl, text_field
from openledger.records import Span

PLACEHOLDER = patterns.compile(r"\[[A-Z][A-Z0-9_]*\]")
_MAX_PASSES = 4


class Redactor(Protocol):
    """What the engine uses of a redactor: ``find(text)`` (see the ``register_redactors`` hook)."""

    def find(self, text: str, /) -> Iterable[Span]: ...


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """The redacted text and the merged spans, in the coordinates of the input text."""

    text: str
    spans: tuple[Span, ...]


def _normal(value: str) -> str:
    """A comparison form for kept strings: lower case, no scheme, www or end punctuation."""
    value = value.strip().lower()
    value = re.sub(r"^[a-z]+://", "", value)
    value = re.sub(r"^www\.", "", value)
    return value.strip("/.,;:!?()[]<>\"'")


def _phone_key(value: str) -> str | None:
    """The E.164 form of a phone-like string, trying a few regions, or None."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 6:
        return None
    for region in (None, "US", "GB", "DE", "FR", "ES", "IE", "IN", "AU"):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return digits


class Keep:
    """The company's own public strings (handles, hotlines, web addresses) that stay."""

    def __init__(self, strings: Iterable[str] = ()):
        self.strings = tuple(s for s in (str(x).strip() for x in strings) if s)
        self.normal = {_normal(s) for s in self.strings}
        self.phones = {k for k in (_phone_key(s) for s in self.strings if re.search(r"\d{3}", s)) if k}
        self._pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(self.strings, key=len, reverse=True)), re.IGNORECASE)
            if self.strings
            else None
        )

    def regions(self, text: str) -> list[tuple[int, int]]:
        """Where kept strings occur in ``text``."""
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text)]

    def keeps(self, value: str) -> bool:
        """Whether a found span's text is one of the kept strings."""
        if _normal(value) in self.normal:
            return True
        if self.phones and re.search(r"\d{3}", value):
            return _phone_key(value) in self.phones
        return False


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Join overlapping spans; the longest original span decides the kind.

    On equal length the higher ``score`` wins, then the span found first.
    """
    ordered = sorted(
        ((s, i) for i, s in enumerate(spans) if s.end > s.start),
        key=lambda p: (p[0].start, -p[0].end),
    )
    merged: list[Span] = []
    group: list[tuple[Span, int]] = []
    end = -1

    def close() -> None:
        if group:
            best = max(group, key=lambda p: (p[0].end - p[0].start, p[0].score, -p[1]))[0]
            merged.append(Span(group[0][0].start, end, best.kind, best.score))

    for span, index in ordered:
        if group and span.start < end:
            group.append((span, index))
            end = max(end, span.end)
            continue
        close()
        group = [(span, index)]
        end = span.end
    close()
    return merged


def _inside(span: Span, regions: Sequence[tuple[int, int]]) -> bool:
    return any(s <= span.start and span.end <= e for s, e in regions)


def _clip(span: Span, protected: Sequence[tuple[int, int]]) -> Span | None:
    """Trim a span so it does not cut into a placeholder; None if nothing is left."""
    start, end = span.start, span.end
    for s, e in protected:
        if s < end and start < e:
            if s <= start and end <= e:
                return None
            if s <= start < e:
                start = e
            elif s < end <= e:
                end = s
    return Span(start, end, span.kind, span.score) if end > start else None


def find_spans(text: str, redactors: Sequence[Redactor], keep: Keep | Iterable[str] = ()) -> list[Span]:
    """Every span the redactors find in ``text``, merged, minus kept strings and placeholders."""
    keep = keep if isinstance(keep, Keep) else Keep(keep)
    protected = [m.span() for m in PLACEHOLDER.finditer(text)]
    kept = keep.regions(text)
    found: list[Span] = []
    for redactor in redactors:
        try:
            spans = list(redactor.find(text))
        except Exception as exc:  # a redactor plugin's bug: one line naming it, and no half-redacted text
            raise PluginError(f"redactor {getattr(redactor, 'name', '?')!r} failed: {type(exc).__name__}: {exc}",
                              subject=str(getattr(redactor, "name", "?"))) from exc
        for span in spans:
            if not (0 <= span.start < span.end <= len(text)):
                continue
            if _inside(span, kept) or keep.keeps(text[span.start : span.end]):
                continue
            clipped = _clip(span, protected) if protected else span
            if clipped is not None and text[clipped.start : clipped.end].strip():
                found.append(clipped)
    return merge_spans(found)


def _apply(text: str, spans: Sequence[Span]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Replace spans by placeholders; return the text and (old start, old end, new start, new end)."""
    out: list[str] = []
    moves: list[tuple[int, int, int, int]] = []
    last = 0
    length = 0
    for span in spans:
        out.append(text[last : span.start])
        length += span.start - last
        placeholder = f"[{span.kind}]"
        moves.append((span.start, span.end, length, length + len(placeholder)))
        out.append(placeholder)
        length += len(placeholder)
        last = span.end
    out.append(text[last:])
    return "".join(out), moves


def _to_original(span: Span, moves: Sequence[tuple[int, int, int, int]]) -> Span:
    """Map a span of a redacted text back to the text before that pass."""

    def back(pos: int, is_end: bool) -> int:
        shift = 0
        for old_s, old_e, new_s, new_e in moves:
            if pos < new_s or (is_end and pos == new_s):
                break
            if pos < new_e or (is_end and pos == new_e):
                return old_e if is_end else old_s
            shift = old_e - new_e
        return pos + shift

    return Span(back(span.start, False), back(span.end, True), span.kind, span.score)


def redact(text: str, redactors: Sequence[Redactor], keep: Keep | Iterable[str] = ()) -> RedactionResult:
    """Redact ``text`` with ``redactors``, never touching ``keep`` strings.

    Returns the redacted text and the merged spans in the coordinates of
    ``text``. Idempotent: ``redact(redact(t).text).text == redact(t).text``.
    """
    keep = keep if isinstance(keep, Keep) else Keep(keep)
    spans = find_spans(text, redactors, keep)
    current, moves = _apply(text, spans)
    all_spans = list(spans)
    history = [moves]
    for _ in range(_MAX_PASSES - 1):
        more = find_spans(current, redactors, keep)
        if not more:
            break
        mapped = more
        for step in reversed(history):
            mapped = [_to_original(s, step) for s in mapped]
        all_spans = merge_spans(all_spans + mapped)
        current, moves = _apply(current, more)
        history.append(moves)
    return RedactionResult(current, tuple(all_spans))

def keep_from_config(config: Mapping[str, Any] | None) -> Keep:
    """The company's own public strings from ``[publication] keep`` (a list of strings)."""
    publication = (config or {}).get("publication") or {}
    keep = publication.get("keep") or ()
    if isinstance(keep, str) or not isinstance(keep, (list, tuple)) or not all(isinstance(k, str) for k in keep):
        raise ConfigError("[publication] keep must be a list of strings")
    return Keep(keep)


def redact_plain(text: str, redactors: Sequence[Redactor], keep: Keep | Iterable[str] = ()) -> str:
    """Redact a whole plain text (standard input of ``openledger redact``)."""
    return redact(text, redactors, keep).text


def redact_jsonl(
    source: Iterable[bytes | str], out: TextIO, redactors: Sequence[Redactor], keep: Keep | Iterable[str] = (), *,
    name: str = "<stdin>", field: str = "text",
) -> int:
    """Redact the ``field`` of every JSON object in ``source``, keeping every other field.

    ``source`` yields lines (bytes in UTF-8, or text). Writes one JSON object
    per line to ``out`` and returns how many were written. Nothing is written
    when any line is bad: a line that is not UTF-8, not a JSON object, or
    whose ``field`` is not a string, raises
    :class:`openledger.errors.BadRecordError` naming the file and the line.
    """
    keep = keep if isinstance(keep, Keep) else Keep(keep)
    records = parse_jsonl(source, name)
    for number, record in records:  # check every line before writing any
        text_field(record, name, number, field, required=False)
    for _, record in records:
        if isinstance(record.get(field), str):
            record = {**record, field: redact(record[field], redactors, keep).text}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)
