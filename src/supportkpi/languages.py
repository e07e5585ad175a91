"""The language of a contact as an ISO 639-1 code: how exports' many spellings of it are read.

Exports write a language as a code (``de``), a locale tag (``de-DE``, ``pt_BR``,
``zh-Hant-TW``, ``de_DE.UTF-8``), a three-letter ISO 639-2 or 639-3 code (``deu``, ``ger``),
or a name, in English or in the language itself (``German``, ``Deutsch``, ``Español``,
``日本語``, ``English (United States)``). All of them are read as the two-letter code, case,
accents, spaces and punctuation ignored. A locale's region and script are dropped: support is
staffed by language, and ``en-GB`` and ``en-US`` are answered by the same agents.

A few codes are counted as their larger language, for the same reason: Norwegian Bokmål and
Nynorsk (``nb``, ``nn``) as Norwegian (``no``), Mandarin and Cantonese (``cmn``, ``yue``) as
Chinese (``zh``), and the withdrawn codes Java still writes (``iw``, ``in``, ``ji``) as today's
(``he``, ``id``, ``yi``).

Every ISO 639-1 code is accepted; names and three-letter codes are known for the languages
online stores most often support (:data:`LANGUAGES`). A value that is none of these (a typo,
``Klingon``, ``auto``) is not guessed: the loader leaves the contact's language empty and
reports the value as a data-quality finding with its file and row, and the contact stays in
every KPI (under ``--by language`` in the group without a language).

    >>> [language_of(v) for v in ("de-DE", "pt_BR", "zh-Hant-TW", "ger", "Deutsch", "ESPAÑOL")]
    ['de', 'pt', 'zh', 'de', 'de', 'es']
    >>> [language_of(v) for v in ("français", "日本語", "English (United States)", "nb-NO", "Klingon", "")]
    ['fr', 'ja', 'en', 'no', None, None]
"""

from __future__ import annotations

import unicodedata

import polars as pl

from supportkpi import batches

COLUMN = "language"
"""The canonical column these rules read."""

EXPECTED = "an ISO 639-1 code (de), a locale tag (de-DE) or a language's name (German, Deutsch)"
"""What a language should look like, for the report of the values that do not."""
UNKNOWN_EFFECT = "the contact's language is left empty; the contact stays in every KPI"
"""What becomes of a contact whose language is unknown."""

ISO_639_1: frozenset[str] = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
    hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
    lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
    or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
)
"""Every two-letter code of ISO 639-1."""

LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("eng", "English"),
    "de": ("deu", "ger", "German", "Deutsch"),
    "fr": ("fra", "fre", "French", "Français"),
    "es": ("spa", "Spanish", "Español", "Castellano", "Castilian"),
    "it": ("ita", "Italian", "Italiano"),
    "pt": ("por", "Portuguese", "Português"),
    "nl": ("nld", "dut", "Dutch", "Nederlands", "Flemish", "Vlaams"),
    "pl": ("pol", "Polish", "Polski"),
    "sv": ("swe", "Swedish", "Svenska"),
    "da": ("dan", "Danish", "Dansk"),
    "no": ("nor", "nob", "nno", "Norwegian", "Norsk", "Bokmål", "Norwegian Bokmål", "Nynorsk", "Norwegian Nynorsk"),
    "fi": ("fin", "Finnish", "Suomi"),
    "cs": ("ces", "cze", "Czech", "Čeština"),
    "sk": ("slk", "slo", "Slovak", "Slovenčina"),
    "hu": ("hun", "Hungarian", "Magyar"),
    "ro": ("ron", "rum", "Romanian", "Română", "Moldovan"),
    "bg": ("bul", "Bulgarian", "Български"),
    "el": ("ell", "gre", "Greek", "Ελληνικά"),
    "hr": ("hrv", "Croatian", "Hrvatski"),
    "sr": ("srp", "Serbian", "Српски", "Srpski"),
    "sl": ("slv", "Slovenian", "Slovene", "Slovenščina"),
    "bs": ("bos", "Bosnian", "Bosanski"),
    "mk": ("mkd", "mac", "Macedonian", "Македонски"),
    "sq": ("sqi", "alb", "Albanian", "Shqip"),
    "et": ("est", "Estonian", "Eesti"),
    "lv": ("lav", "Latvian", "Latviešu"),
    "lt": ("lit", "Lithuanian", "Lietuvių"),
    "uk": ("ukr", "Ukrainian", "Українська"),
    "ru": ("rus", "Russian", "Русский"),
    "tr": ("tur", "Turkish", "Türkçe"),
    "ar": ("ara", "Arabic", "العربية"),
    "he": ("heb", "Hebrew", "עברית"),
    "fa": ("fas", "per", "Persian", "Farsi", "فارسی"),
    "hi": ("hin", "Hindi", "हिन्दी", "हिंदी"),
    "bn": ("ben", "Bengali", "Bangla", "বাংলা"),
    "ur": ("urd", "Urdu", "اردو"),
    "ta": ("tam", "Tamil", "தமிழ்"),
    "ja": ("jpn", "Japanese", "日本語"),
    "zh": ("zho", "chi", "cmn", "yue", "Chinese", "Mandarin", "Cantonese", "中文", "汉语", "漢語", "普通话", "粵語"),
    "ko": ("kor", "Korean", "한국어"),
    "vi": ("vie", "Vietnamese", "Tiếng Việt"),
    "th": ("tha", "Thai", "ไทย", "ภาษาไทย"),
    "id": ("ind", "Indonesian", "Bahasa Indonesia"),
    "ms": ("msa", "may", "zsm", "Malay", "Bahasa Melayu"),
    "tl": ("tgl", "fil", "Tagalog", "Filipino"),
    "ca": ("cat", "Catalan", "Català"),
    "eu": ("eus", "baq", "Basque", "Euskara"),
    "gl": ("glg", "Galician", "Galego"),
    "ga": ("gle", "Irish", "Gaeilge"),
    "cy": ("cym", "wel", "Welsh", "Cymraeg"),
    "is": ("isl", "ice", "Icelandic", "Íslenska"),
    "mt": ("mlt", "Maltese", "Malti"),
    "lb": ("ltz", "Luxembourgish", "Lëtzebuergesch"),
    "ka": ("kat", "geo", "Georgian", "ქართული"),
    "hy": ("hye", "arm", "Armenian", "Հայերեն"),
    "az": ("aze", "Azerbaijani", "Azərbaycan"),
    "kk": ("kaz", "Kazakh", "Қазақ"),
    "sw": ("swa", "Swahili", "Kiswahili"),
    "af": ("afr", "Afrikaans"),
    "yi": ("yid", "Yiddish", "ייִדיש"),
}
"""Per ISO 639-1 code of a commonly supported language: its ISO 639-2 (bibliographic and
terminology) and 639-3 codes, its English names and its own."""

ALIASES: dict[str, str] = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi", "mo": "ro"}
"""Codes counted as another: Norwegian's two written forms as Norwegian, withdrawn codes as
today's."""

_IGNORED = r"[\p{Mn}\p{P}\p{Z}\s\p{S}]"
"""What a name is compared without: accents (after NFKD), punctuation, spaces and symbols."""
_REGION = r"\s*\(.*\)\s*$"
"""A name's parenthesised region or script: ``English (United States)``, ``中文 (简体)``."""
_PRIMARY = r"^([^-_.@\s]+)"
"""A locale's language: what comes before its region, script or encoding (``de`` of
``de-DE``, ``de_DE.UTF-8``)."""


def name_key(text: str) -> str:
    """A language name as it is compared (the same as :func:`language_code` does in polars).

    >>> name_key("Español"), name_key("Bahasa Indonesia"), name_key("Slovenčina")
    ('espanol', 'bahasaindonesia', 'slovencina')
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not _ignored(c))


def _ignored(char: str) -> bool:
    category = unicodedata.category(char)
    return category == "Mn" or category[0] in "PZS" or char.isspace()


def _lookup() -> dict[str, str]:
    table = {code: code for code in ISO_639_1}
    table.update(ALIASES)
    for code, spellings in LANGUAGES.items():
        for spelling in spellings:
            table.setdefault(name_key(spelling), ALIASES.get(code, code))
    return table


LOOKUP: dict[str, str] = _lookup()
"""Every known spelling (codes, and names by :func:`name_key`) -> its ISO 639-1 code."""
_CANONICAL = sorted(set(LOOKUP.values()))


def language_code(expr: pl.Expr) -> pl.Expr:
    """A column of languages as written -> its ISO 639-1 codes; null for a blank and for a value
    that is no known language (see the module docstring). Elementwise: it can be used in any
    ``select`` or ``with_columns``, eager or lazy (its output is named ``value``: alias it).

    >>> s = pl.Series(["de", "de-CH", "DEU", "Deutsch", " german ", "pt_BR", "x", None])
    >>> pl.select(language_code(pl.lit(s))).to_series().to_list()
    ['de', 'de', 'de', 'de', 'de', 'pt', None, None]
    """
    return language_reading(expr).struct.field("value")


def language_reading(expr: pl.Expr) -> pl.Expr:
    """A column of languages as a struct of ``value`` (the ISO 639-1 code, as
    :func:`language_code`) and ``invalid`` (the trimmed text of a value that is no known
    language, for the data-quality report; null for blanks and known values).

    >>> s = pl.Series(["en-US", "Klingon", "  ", None, "en-US"])
    >>> pl.select(language_reading(pl.lit(s)).alias("v")).unnest("v").rows()
    [('en', None), (None, 'Klingon'), (None, None), (None, None), ('en', None)]
    """
    # A column holds few distinct languages: each is read once and joined back (five times
    # faster on a million rows than reading every value, as the names' Unicode work is costly)
    return batches.by_distinct(expr.cast(pl.String), _reading, _READING)


_READING = pl.Struct({"value": pl.String, "invalid": pl.String})


def _reading(raw: pl.Expr) -> pl.Expr:
    """:func:`language_reading` of every value, as a plain expression."""
    exact = raw.is_in(_CANONICAL)
    text = pl.when(~exact & raw.is_not_null()).then(raw.str.strip_chars())
    text = pl.when(text.str.len_chars() > 0).then(text)
    lowered = text.str.to_lowercase()
    whole = lowered.str.replace(_REGION, "").str.normalize("NFKD").str.replace_all(_IGNORED, "")
    primary = lowered.str.extract(_PRIMARY, 1)
    primary_key = primary.str.normalize("NFKD").str.replace_all(_IGNORED, "")
    found = pl.coalesce(_lookup_expr(whole), _lookup_expr(primary_key))
    return pl.struct(
        pl.when(exact).then(raw).otherwise(found).alias("value"),
        pl.when(found.is_null()).then(text).alias("invalid"),
    )


def _lookup_expr(key: pl.Expr) -> pl.Expr:
    return key.replace_strict(LOOKUP, default=None, return_dtype=pl.String)


def language_of(text: str | None) -> str | None:
    """One value's ISO 639-1 code, or None (as :func:`language_code`).

    >>> language_of("Portuguese (Brazil)"), language_of("zh_Hant"), language_of("fil")
    ('pt', 'zh', 'tl')
    """
    if text is None:
        return None
    return pl.select(language_code(pl.lit(text, pl.String))).item()
