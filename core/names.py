"""Name normalization for duplicate detection.

Names of the same person are written many ways: case, accents, spacing, first/last order and
transliteration from Arabic or West African languages (Mohamed / Mohammed / Muhammad, Fatoumata /
Fatimata). A name's *key* folds these away: accents and case removed, each word reduced to its
consonant skeleton (first letter kept, vowels dropped, doubled letters collapsed, common digraphs
unified), words sorted. Two names with the same key are offered as possible duplicates.
"""

import re
import unicodedata

LATIN_DIGRAPHS = [("ph", "f"), ("ou", "u"), ("kh", "k"), ("ch", "sh"), ("dj", "j"), ("ck", "k"), ("q", "k")]
VOWELS = set("aeiouy")


def fold(text: str) -> str:
    """Lowercase without accents, Arabic short vowels or punctuation; words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"[^\W\d_]+", letters))


def sort_key(text: str) -> str:
    """The form a list sorts text by, as a reader expects: case and accents ignored ("École" beside
    "ecole", before "Électricité"), digits and spaces kept. Stored beside the text, so that both
    SQLite and PostgreSQL sort by it in the database without a collation of their own."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def skeleton(word: str) -> str:
    """A word's consonant skeleton: "mohammed", "muhamad" and "mohamed" all give "mhmd"."""
    if not word.isascii():
        return word  # Arabic script and others: folding already removed the short vowels
    for digraph, replacement in LATIN_DIGRAPHS:
        word = word.replace(digraph, replacement)
    head, tail = word[:1], word[1:]
    consonants = head + "".join(char for char in tail if char not in VOWELS)
    return re.sub(r"(.)\1+", r"\1", consonants)


def name_key(*parts: str) -> str:
    """The order-free key of a full name, e.g. name_key("Mohammed", "DIALLO") == "dl mhmd"."""
    words = fold(" ".join(parts)).split()
    return " ".join(sorted(skeleton(word) for word in words))
