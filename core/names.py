"""Name normalization for duplicate detection.

Names of the same person are written many ways: case, accents, spacing, first/last order,
transliteration from Arabic or West African languages (Mohamed / Mohammed / Muhammad, Fatoumata /
Fatimata), particles (El Amrani / Elamrani / El-Amrani, Ould, Ben, Ibn), and Arabic script on one
document and Latin on another (محمد ديالو / Mohamed Diallo). A name's *key* folds these away:
Arabic script is transliterated (anyascii) after its article is set apart, separate particles are
dropped, "Abd" joins the word it belongs to, and each word is reduced to its consonant skeleton
(vowels, and w or y inside a word, dropped; doubled letters collapsed; digraphs and c/k/q unified;
a final h dropped), words sorted. Two names sharing a key (``name_keys`` also gives the key with an
article attached or set apart) are offered as possible duplicates.
"""

import functools
import re
import unicodedata
from itertools import islice, product

from anyascii import anyascii
from rapidfuzz import fuzz

# The same names come back again and again (an import compares each row with its namesakes, and a
# registry of 100,000 holds few distinct names): these pure functions of text remember their last
# answers, a bounded number of them.
_remembered = functools.lru_cache(maxsize=50_000)

LATIN_DIGRAPHS = [
    ("ph", "f"),
    ("ou", "u"),
    ("kh", "k"),
    ("gh", "g"),
    ("ch", "sh"),
    ("dj", "j"),
    ("ck", "k"),
    ("q", "k"),
]
VOWELS = set("aeiouy")


@_remembered
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


@_remembered
def skeleton(word: str) -> str:
    """A word's consonant skeleton in Latin letters: "mohammed", "muhamad", "mohamed" and "محمد" all
    give "mhmd"; "youssef" and "يوسف" give "ysf"."""
    if word.isascii():
        word = re.sub(r"(.)\1+", r"\1", word)  # Mohammed, Diallo: before vowels go (Traoré is not Touré)
        word = re.sub(r"^ou(?=[aei])", "w", word)  # Ouahbi, Ouafae: a w (وهبي, وفاء)
        word = re.sub(r"(?<=[aeiou])w$", "", word)  # Sow, Ndaw: a vowel's end (سو)
        arabic = False
    else:  # Arabic leaves long vowels out (بناني: "bnny"): its doubles are letters of their own
        word = _transliterate(word)
        arabic = True
    for digraph, replacement in LATIN_DIGRAPHS:
        word = word.replace(digraph, replacement)
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k").replace("p", "b")  # no p in Arabic: Diop, ديوب
    head, tail = word[:1], word[1:]
    if head in VOWELS and head != "y":
        head = ""
    # Inside a word, w and y are long vowels in a transliteration from Arabic (ديالو: "dylw"); in
    # Latin letters w is a consonant (Awa, عوا).
    dropped = VOWELS | {"w"} if arabic else VOWELS
    consonants = head + "".join(char for char in tail if char not in dropped)
    if len(consonants) > 2 and consonants.endswith("h"):  # ta marbuta, and Abdallah / Abdalla
        consonants = consonants[:-1]
    return consonants or word[:1]


def _transliterate(word: str) -> str:
    """Arabic (or any) script in Latin letters, without the marks for hamza and ʿayn; a word
    opening on a long vowel (إيمان: "'yman") loses its letter (Imane)."""
    latin = anyascii(word).lower()
    latin = re.sub(r"^'[yw]", "", latin)
    return re.sub(r"[^a-z]", "", latin)


# Particles: dropped when they stand apart ("El Amrani", "Ould Ahmed", "بن علي"); "el"/"al" are also
# tried attached to the next word, and an attached Arabic article set apart (``name_keys``).
PARTICLES = {
    *("el", "al", "ould", "ben", "bin", "ibn", "bent", "bint", "ait", "oulad", "ag"),
    *("ولد", "بن", "ابن", "بنت", "آيت", "ايت"),
}
ARTICLES = {"el", "al"}
ABD = {"abd", "abdel", "abdul", "abdoul", "abdou", "abdal", "عبد"}
ARABIC_ARTICLE = "ال"
MAX_KEYS = 32
KEY_MAX_LENGTH = 200  # the stored key's column: a longer key is cut, the same way for every reader


def _words(parts) -> list[str]:
    """The name's words, Latin ones folded, Arabic ones as written; hyphens separate words."""
    words = []
    for word in " ".join(parts).replace("-", " ").replace("'", " ").replace("’", " ").split():
        if _is_arabic(word):
            words.append(word)
        else:
            words.extend(fold(word).split())
    return words


# Arabic script's blocks: the letters, their supplements, and the presentation forms text copied
# from a PDF often holds (ﻣﺤﻤﺪ).
ARABIC_BLOCKS = (
    ("\u0600", "\u06ff"),
    ("\u0750", "\u077f"),
    ("\u08a0", "\u08ff"),
    ("\ufb50", "\ufdff"),
    ("\ufe70", "\ufeff"),
)


def is_arabic_letter(char: str) -> bool:
    return any(start <= char <= end for start, end in ARABIC_BLOCKS)


@_remembered
def _is_arabic(word: str) -> bool:
    return any(is_arabic_letter(char) for char in word)


def name_keys(*parts: str) -> list[str]:
    """The name's key, then its other readings (an article attached to, or set apart from, its
    word): a stored key equal to any of them is the same name written another way."""
    joined = _join_abd(_words(parts))
    options = []
    for index, word in enumerate(joined):
        if word in PARTICLES:
            if word in ARTICLES and index + 1 < len(joined):
                continue  # read below, attached to the next word
            options.append([""])
            continue
        before = joined[index - 1] if index else ""
        readings = {word}
        if before in ARTICLES:
            readings.add(before + word)
        main = word
        if _is_arabic(word) and word.startswith(ARABIC_ARTICLE) and len(word) > 3:
            # The article is part of the written word; read first without it, as "El Amrani" is.
            main = word[len(ARABIC_ARTICLE) :]
            readings.add(main)
        elif before not in ARTICLES:
            readings |= _unattached(word)
        if re.match(r"h[aeiou]", word):  # a first h often goes unwritten: Hassane, Assane
            readings.add(word[1:])
        # ث is "th" in Arabic and "s" or "t" as many say it: Othmane, Ousmane, عثمان.
        readings |= {reading.replace("ث", "س") for reading in readings if "ث" in reading}
        options.append(sorted(readings, key=lambda reading: (reading != main, reading)))
    keys = []
    # Readings multiply from word to word: the first MAX_KEYS combinations (the name's own reading
    # first) are enough for a name of a few words, and a long one costs no more.
    for combination in islice(product(*options), MAX_KEYS):
        key = " ".join(sorted(_skeleton_of(word) for word in combination if word))[:KEY_MAX_LENGTH]
        if key not in keys:
            keys.append(key)
    return keys or [""]


def _join_abd(words: list[str]) -> list[str]:
    """ "Abd el Kader", "Abdel Kader", "عبد القادر": "Abd" joined to its word (and its article)."""
    joined, index = [], 0
    while index < len(words):
        word = words[index]
        if word in ABD and index + 1 < len(words):
            rest = words[index + 1 : index + 3]
            take = 2 if rest[0] in ARTICLES and len(rest) > 1 else 1
            joined.append(word + "".join(rest[:take]))
            index += 1 + take
            continue
        joined.append(word)
        index += 1
    return joined


def _unattached(word: str) -> set[str]:
    """A Latin word read without an article or "ben" it may carry attached ("Elamrani": perhaps
    "El Amrani"; "Benali": perhaps "Ben Ali")."""
    readings = set()
    if word[:2] in ARTICLES and len(skeleton(word[2:])) >= 2:
        readings.add(word[2:])
    if word.startswith("ben") and len(word) > 5:
        readings.add(word[3:])
    return readings


def _skeleton_of(word: str) -> str:
    """A word's skeleton; an "Abd" name's doubles collapsed (عبد الله: "bdllh", Abdallah: "bdl")."""
    if word.startswith(tuple(ABD)):
        return re.sub(r"(.)\1+", r"\1", skeleton(word))
    return skeleton(word)


def name_key(*parts: str) -> str:
    """The order-free key of a full name, e.g. name_key("Mohammed", "DIALLO") == "dl mhmd"."""
    return name_keys(*parts)[0]


# Words of two Latin names are one name spelled apart when their skeletons are equal and they
# sound this alike (rapidfuzz's ratio of ``spoken`` forms, 0-100: Mohamed/Muhammad, not Sylla/Sall),
# or, skeletons apart, when they sound nearly the same (Seydou/Seidou, Cheikh/Cheick).
SAME_SKELETON_SOUNDS = 80
SAME_SOUND = 85
SAME_ARABIC = 90  # two Arabic words: one letter apart is another name (حسن, حسين)
SHORT_SKELETON = 3  # fewer consonants than this (Ba, Gaye, Sy) tell little: the word must sound the same


@_remembered
def names_match(name: str, other: str) -> bool:
    """Whether two full names are likely one name written two ways (script, particles, order,
    spelling). Across scripts only consonants can be compared (Arabic leaves short vowels out): a
    key in common. In Latin letters, vowels tell more: each word must pair with a word of the other
    name that has its skeleton and sounds alike, or sounds nearly the same."""
    if has_arabic(name) or has_arabic(other):  # asked of each name: each is seen again
        if not set(name_keys(name)) & set(name_keys(other)):
            return False
        if _is_all_arabic(name) and _is_all_arabic(other):
            return _arabic_words_alike(_name_words(name), _name_words(other))
        return _vowels_agree_across_scripts(_name_words(f"{name} {other}"))
    words, other_words = _name_words(name), _name_words(other)
    if len(words) != len(other_words):
        return False
    remaining = list(other_words)
    for word in sorted(words, key=len, reverse=True):
        best = max(remaining, key=lambda candidate: _word_likeness(word, candidate))
        if _word_likeness(word, best) < 1:
            return False
        remaining.remove(best)
    return True


# Arabic writes long vowels, and Latin letters write every vowel: a long vowel of an Arabic word
# must be heard in its Latin spelling (حسين is Hussein, not Hassan), and a word's end must agree
# (كريمة, with its feminine ending, is Karima, not Karim; سال is Sall, not Sylla).
LONG_VOWELS = {"ا": "ae", "ي": "iey", "ى": "iey", "و": "ouw"}
VOWEL_ENDINGS = set("اىةهأءعوي")  # an Arabic word ending on one of these can end on a vowel in Latin


def _vowels_agree_across_scripts(words: tuple[str, ...]) -> bool:
    """For each Latin word and each Arabic word with the same skeleton, that one can be the other:
    Arabic's long vowels found, in order, among the Latin vowels, and endings that agree."""
    latin = [word for word in words if not _is_arabic(word)]
    arabic = [_without_article(word) for word in words if _is_arabic(word)]
    for latin_word in latin:
        mates = [word for word in arabic if _skeleton_of(word) in _latin_skeletons(latin_word)]
        if mates and not any(_spelled_alike(latin_word, arabic_word) for arabic_word in mates):
            return False
    return True


def _latin_skeletons(word: str) -> set[str]:
    return {_skeleton_of(reading) for reading in {word, *_unattached(word)}}


def _without_article(word: str) -> str:
    if word.startswith(ARABIC_ARTICLE) and len(word) > 3:
        return word[len(ARABIC_ARTICLE) :]
    return word


def _spelled_alike(latin_word: str, arabic_word: str) -> bool:
    latin_vowels = iter([char for char in latin_word if char in "aeiouyw"])
    inner = [char for char in arabic_word[1:-1] if char in LONG_VOWELS]
    if not all(any(char in LONG_VOWELS[letter] for char in latin_vowels) for letter in inner):
        return False
    latin_ends_on_consonant = latin_word[-1] not in VOWELS | {"h"}
    feminine = latin_word.endswith("a") and latin_word.removesuffix("a") in FEMININE_WITH_A
    if feminine and arabic_word[-1] not in VOWEL_ENDINGS:  # Karima and كريم
        return False
    return not (latin_ends_on_consonant and arabic_word[-1] == "ة")


def _arabic_words_alike(words: tuple[str, ...], other_words: tuple[str, ...]) -> bool:
    """Two names in Arabic script: their long vowels, written, tell names apart (حسن, حسين)."""
    return len(words) == len(other_words) and all(
        max(fuzz.ratio(_transliterate(word), _transliterate(other)) for other in other_words) >= SAME_ARABIC
        for word in words
    )


def _is_all_arabic(name: str) -> bool:
    return all(_is_arabic(word) for word in name.split())


@_remembered
def has_arabic(*names: str) -> bool:
    """Whether any word of the names is written in Arabic script (remembered: an import asks it of
    a registry's names again and again)."""
    return any(_is_arabic(word) for name in names for word in name.split())


@_remembered
def _name_words(name: str) -> tuple[str, ...]:
    """A Latin name's words, "Abd" joined to its word, separate particles left out. Remembered: a
    registry's names come back with every person compared to them."""
    return tuple(word for word in _join_abd(_words([name])) if word not in PARTICLES)


@_remembered
def _word_likeness(word: str, other: str) -> float:
    """1 or more when two words are one name spelled apart (see the thresholds above), else less."""
    best = 0.0
    for reading in {word, *_unattached(word)}:
        for other_reading in {other, *_unattached(other)}:
            if not _same_syllables(reading, other_reading):
                continue
            sound = fuzz.ratio(spoken(reading), spoken(other_reading))
            shape = skeleton(reading)
            if shape == skeleton(other_reading) and len(shape) >= SHORT_SKELETON:
                best = max(best, sound / SAME_SKELETON_SOUNDS)
            best = max(best, sound / SAME_SOUND)
    return best


@_remembered
def _same_syllables(word: str, other: str) -> bool:
    """Spellings of one name keep its syllables: as many groups of consonants (Hamdi is not Hamadi,
    Nasri not Naciri; a first h may go unwritten, Assane and Hassane), and a final a only where it
    makes a feminine name (Karim is not Karima; Adam and Adama, Idriss and Idrissa are one name in
    West Africa). "Abd" names are left to the sound: their article is written in as many ways as
    there are registrars (Abderrahmane, Abdrahmane)."""
    if word.startswith(tuple(ABD)) or other.startswith(tuple(ABD)):
        return True
    spoken_word, spoken_other = spoken(word).removeprefix("h"), spoken(other).removeprefix("h")
    if len(re.findall(r"[^aiu]+", spoken_word)) != len(re.findall(r"[^aiu]+", spoken_other)):
        return False
    return not _feminine_of(word, other)


# Masculine names whose feminine adds a final a (Karim, Karima): a final a tells these apart. Other
# names take or leave a final a as they are spelled (Ibrahim, Ibrahima; Mariam, Mariama).
FEMININE_WITH_A = {
    *("adil", "amin", "amir", "aziz", "bachir", "fadil", "farid", "habib", "hakim", "halim", "hamid"),
    *("jalil", "jamil", "kamil", "karim", "kareem", "khalil", "latif", "majid", "malik", "mounir"),
    *("nabil", "nadim", "nadir", "naim", "rachid", "rafik", "rahim", "rashid", "said", "saeed"),
    *("salim", "samir", "wahid", "zahir"),
}


def _feminine_of(word: str, other: str) -> bool:
    """Whether one word is the other's feminine (a known masculine name, and it with a final a)."""
    shorter, longer = sorted((word, other), key=len)
    return longer == f"{shorter}a" and shorter in FEMININE_WITH_A


SPOKEN_DIGRAPHS = [*LATIN_DIGRAPHS, ("ei", "i"), ("ey", "i"), ("ai", "i"), ("ee", "i")]


@_remembered
def spoken(word: str) -> str:
    """A Latin word as it sounds, roughly: doubles collapsed, digraphs unified, e/i and o/u merged."""
    word = re.sub(r"(.)\1+", r"\1", word)
    word = re.sub(r"^ou(?=[aei])", "w", word)  # Ouahbi is Wahbi
    for digraph, replacement in SPOKEN_DIGRAPHS:
        word = word.replace(digraph, replacement)
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k")
    word = word.replace("y", "i").replace("e", "i").replace("o", "u")
    word = re.sub(r"(.)\1+", r"\1", word)
    return word[:-1] if len(word) > 2 and word.endswith("h") else word
