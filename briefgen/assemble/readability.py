"""Flesch reading ease of a briefing's wording, computed offline.

Flesch (1948): 206.835 - 1.015 x (words per sentence) - 84.6 x (syllables per word);
60 and above reads as plain English, 30 and below as academic prose. Syllables are
counted with pyphen's hyphenation dictionary (installed with WeasyPrint, no download),
one more than the hyphenation points of a word, as textstat did before it moved to the
CMU pronouncing dictionary (which its current release downloads on first use, so it is
not used here). Hyphenation never splits the last two letters off, so pyphen undercounts
a few words ("area", "idea"); the figure is for comparing wordings and checking a target,
not a certificate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pyphen

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’-][^\W_]+)*")
# A sentence ends at . ! or ? followed by a space and a capital, digit or opening mark.
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@lru_cache(maxsize=4)
def _dictionary(lang: str) -> pyphen.Pyphen:
    known = lang if lang in pyphen.LANGUAGES else pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=known or "en_US")


@lru_cache(maxsize=65_536)  # a briefing's words repeat; pyphen's lookup is pure Python
def syllables(word: str, lang: str = "en_US") -> int:
    """Return the syllables of ``word``, by its hyphenation points (at least one)."""
    hyphenated: str = _dictionary(lang).inserted(word.lower())
    return max(1, hyphenated.count("-") + 1)


def counts(text: str, lang: str = "en_US") -> tuple[int, int, int]:
    """Return (sentences, words, syllables) of ``text``; text without end punctuation is one sentence."""
    text = text.strip()
    if not text:
        return 0, 0, 0
    sentences = len(_SENTENCE_END.findall(text)) + 1
    words = _WORD.findall(text)
    # A hyphenated compound is one word of several syllables ("cross-border": 3).
    total = sum(sum(syllables(part, lang) for part in re.split(r"[-]", word) if part) for word in words)
    return sentences, len(words), total


def reading_ease(texts: Iterable[str], lang: str = "en_US") -> float | None:
    """Return the Flesch reading ease of ``texts`` taken together (each ends a sentence), or None if empty."""
    return ease([counts(text, lang) for text in texts])


def ease(counted: Iterable[tuple[int, int, int]]) -> float | None:
    """Return the Flesch reading ease of texts already counted (``counts``), or None if empty."""
    sentences = words = syllable_count = 0
    for s, w, y in counted:
        sentences, words, syllable_count = sentences + s, words + w, syllable_count + y
    if not words or not sentences:
        return None
    return round(206.835 - 1.015 * words / sentences - 84.6 * syllable_count / words, 1)
