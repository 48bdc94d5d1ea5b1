"""Keys of person names, so that the spellings of one name in different reports mint one IRI.

News outlets transliterate Arabic, Persian and Urdu names their own way: "Mohammed al-Hassan",
"Muhammad Al Hassan" and "Mohamed El-Hassan" are one name. :func:`person_key` folds the usual
variants of common given names and particles to one form; the report's own spelling stays the
person's label. Only spellings are folded: different names ("Ali Hassan", "Hassan Ali") keep
different keys.

>>> person_key("Mohamed El-Hassan") == person_key("Muhammad al Hassan")
True
"""

from __future__ import annotations

import re
import unicodedata

# one canonical form per group of spellings seen in English-language news
_VARIANTS = {
    "muhammad": ("mohammed", "mohammad", "mohamed", "mohamad", "muhammed", "muhamed", "mohammod", "mehmet", "mehmed"),
    "ahmad": ("ahmed", "ahmet"),
    "mahmud": ("mahmoud", "mahmood", "mehmood"),
    "mustafa": ("mustapha", "moustafa", "mostafa"),
    "yusuf": ("youssef", "yousef", "yousuf", "yusef", "youssif", "yossef", "yousif"),
    "husayn": ("hussein", "hussain", "husein", "hossein", "husain", "hussien"),
    "hasan": ("hassan",),
    "khalid": ("khaled",),
    "umar": ("omar", "omer"),
    "uthman": ("othman", "osman", "usman"),
    "abd": ("abdel", "abdul", "abdal", "abdol", "abdoul"),
    "ali": ("aly",),
    "ibrahim": ("ebrahim", "brahim"),
    "ismail": ("ismael", "esmail"),
    "jamal": ("gamal",),
    "jafar": ("jaafar", "jaffar"),
    "karim": ("kareem",),
    "said": ("saeed", "saied", "sayed", "sayyid", "saeid"),
    "salih": ("saleh",),
    "tariq": ("tarek", "tareq", "tarik"),
    "walid": ("waleed",),
    "zaid": ("zayd", "zeid"),
    "al": ("el", "ul"),
    "bin": ("ben", "ibn"),
    "abu": ("abou", "abo"),
}
_CANONICAL = {variant: canonical for canonical, variants in _VARIANTS.items() for variant in variants}
# "Abdelrahman", "Abdulkarim": the particle written as one word with the name after it
_FUSED_ABD = re.compile(r"^(?:abdoul|abdel|abdul|abdal|abdol|abd)(?=[a-z]{3,})")
_KNOWN = set(_VARIANTS) | set(_CANONICAL)


def _tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"['’`‘]", "", folded)  # "Qa'id" and "Qaid" are one spelling
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t]


def person_key(name: str) -> str:
    """Return the key of ``name``: ASCII, lower case, the spellings of common names and particles
    ("Mohamed", "el-", "Abdel") folded to one form, "Abdel Rahman" and "Abdelrahman" alike."""
    out: list[str] = []
    for token in _tokens(name):
        fused = _FUSED_ABD.match(token)
        if fused:  # "abdelrahman" -> "abd" "rahman"
            rest = token[fused.end() :]
            out += ["abd", _CANONICAL.get(rest, rest)]
            continue
        if token[:2] in ("al", "el") and token[2:] in _KNOWN and token[2:] not in ("al", "el"):
            out.append("al")  # "Alhassan" = "al-Hassan", for the names above only ("Alexander" stays)
            token = token[2:]
        token = _CANONICAL.get(token, token)
        if out and out[-1] == "abd" and token == "al":  # "Abd al-Rahman" = "Abdel Rahman"
            continue
        out.append(token)
    return " ".join(out)
