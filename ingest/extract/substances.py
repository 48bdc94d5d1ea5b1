"""Drug names in a sentence, mapped to substance keys of narcograph's substance scheme.

The lexicon lives here (not in ``ontology/substances.ttl``) so that recognition does not depend
on the vocabulary file. Words that also mean something else ("ice", "speed", "crack", "hash")
count only with drug context in the same sentence.

>>> [(m.key, m.text) for m in find_substances("Police seized 2 kg of crystal meth and some ganja.")]
[('methamphetamine', 'crystal meth'), ('cannabis', 'ganja')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LEXICON", "SubstanceMention", "context_ok", "find_substances"]

# key -> surface forms. A form may carry markers:
#   "?" ambiguous: counts only with drug context in the sentence
#   "!" must be written in lower case ("coke", not the drink "Coke")
#   "=variant" a narrower concept of the key ("ephedrine" is a precursor)
LEXICON: dict[str, list[str]] = {
    "captagon": ["captagon", "kaptagon", "fenethylline", "fenetylline"],
    "cocaine": ["cocaine", "cocaine hydrochloride", "cocaine base", "coca paste", "coca base",
                "cocaine paste", "cocaine powder", "coke?!"],
    "crack": ["crack cocaine", "crack?"],
    "heroin": ["heroin", "diamorphine", "brown sugar?", "heroine?"],
    "methamphetamine": ["methamphetamine", "methamphetamine hydrochloride", "methylamphetamine",
                        "metamfetamine", "meth", "crystal meth", "crystal methamphetamine",
                        "yaba", "ya ba", "shabu", "sabu?", "syabu", "ice?"],
    "amphetamine": ["amphetamine", "amphetamine sulphate", "amphetamine sulfate",
                    "speed pill", "speed?"],
    "mdma": ["mdma", "ecstasy?", "xtc", "molly?!"],
    "cannabis": ["cannabis", "marijuana", "marihuana", "cannabis herb", "herbal cannabis",
                 "cannabis plant", "cannabis oil", "ganja", "bhang", "dagga", "indian hemp",
                 "weed?", "skunk?", "kush?=kush"],
    "hashish": ["hashish", "cannabis resin", "charas", "hash oil", "hashish oil", "hash?"],
    "opium": ["opium", "raw opium", "opium poppy", "opium gum", "poppy straw", "poppy husk"],
    "morphine": ["morphine", "morphine base"],
    "fentanyl": ["fentanyl", "fentanil", "carfentanil", "carfentanyl"],
    "tramadol": ["tramadol"],
    "codeine": ["codeine", "codeine syrup", "phensedyl"],
    "ketamine": ["ketamine"],
    "khat": ["khat", "qat", "qaat", "miraa", "catha edulis"],
    "lsd": ["lsd"],
    "precursor": ["precursor", "precursor chemical", "chemical precursor", "precursor substance",
                  "ephedrine=ephedrine", "pseudoephedrine=pseudoephedrine", "acetic anhydride",
                  "safrole", "phenylacetone", "methylamine"],
    "unspecified": ["drugs", "narcotics", "narcotic drugs", "narcotic substance",
                    "illicit drugs", "illegal drugs", "psychotropic substance",
                    "psychotropic drugs", "illegal substance", "illicit substance",
                    "controlled substance", "dangerous drugs"],
}

# Words that make an ambiguous name a drug: seizing, smuggling, amounts, packaging.
_CUE_RE = re.compile(
    r"\b(?:seiz\w*|confiscat\w*|impound\w*|smuggl\w*|traffick\w*|drugs?|narcotic\w*|"
    r"deal(?:er|ers|ing)|peddl\w*|pusher\w*|possess\w*|haul\w*|bust\w*|raid\w*|"
    r"recover(?:ed|y|ing)|intercept\w*|stash\w*|laced|overdos\w*|cartel\w*|contraband|"
    r"kg|kgs|kilos?|kilograms?|grams?|gm|tonnes?|tons?|pills?|tablets?|sachets?|packets?|"
    r"street value|possession|anti-narcotics?|meth|crystal|substances?|shipment|consignment)\b",
    re.IGNORECASE,
)
# Readings of ambiguous words that are not drugs, whatever the context.
_NOT_DRUG = {
    "ice": re.compile(
        r"(?:\b(?:sea|thin|black|dry|shaved|crushed|glacial|polar|arctic|on the|melting)\s+ice\b"
        r"|\bice[\s-]+(?:cream|creams|hockey|rink|rinks|age|cap|caps|sheet|sheets|cube|cubes|storm|"
        r"bucket|box|boxes|pack|packs|skat\w*|cold|water|bath|breaker|breakers|berg|maker|"
        r"machine|shelf|floe|field|fields|fishing|road|roads)\b)",
        re.IGNORECASE),
    "speed": re.compile(
        r"(?:\b(?:high|full|top|low|great|breakneck|maximum|average|reduced|excessive|at|the|its|"
        r"their|his|her)\s+speeds?\b"
        r"|\bspeeds?[\s-]*(?:boats?|limits?|cameras?|bumps?|up|of|trap|traps|skat\w*|dating|"
        r"dial|ing|ed|ily)\b)",
        re.IGNORECASE),
    "weed": re.compile(r"\bweeds?\s+(?:out|killer|control)\b|\bweeding\b", re.IGNORECASE),
    "crack": re.compile(
        r"\bcrack(?:s|ed)?\s+(?:down|open|up|on|into|in|the|a|an|this|that|these|those|it|them|"
        r"his|her|their|team|teams|unit|units|squad|squads|troops|force|forces|shot|shots|"
        r"commandos?|police|cases?|codes?)\b|\b(?:to|will|would|can|could|must|help|helped)\s+crack\b",
        re.IGNORECASE),
    "hash": re.compile(r"\bhash\s+(?:out|browns?|marks?|sign|function)\b", re.IGNORECASE),
    "kush": re.compile(r"\bhindu\s+kush\b", re.IGNORECASE),
    "heroine": re.compile(r"\b(?:national|war|folk|local|unsung|film|movie|tragic)\s+heroine\b",
                          re.IGNORECASE),
}
# Bare "raw materials / chemicals used to make ..." names precursors.
_PRECURSOR_PHRASE_RE = re.compile(
    r"\b(?:raw\s+materials?|chemicals?|chemical\s+substances|ingredients)\b"
    r"(?:\s+[\w-]+){0,3}?\s+(?:used|needed|required|meant|intended|necessary|destined)\s+"
    r"(?:\w+\s+){0,2}?(?:to\s+(?:make|produce|manufacture|process|synthesi[sz]e|cook)|"
    r"for\s+(?:making|producing|manufacturing|processing|the\s+(?:manufacture|production)))\b"
    r"|\b(?:raw\s+materials?|chemicals?)\s+for\s+(?:making|producing|manufacturing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SubstanceMention:
    """A substance named in a sentence: its key, span and text.

    ``generic`` marks words for drugs in general ("narcotics", key ``unspecified``);
    ``variant`` names a narrower concept of the key ("ephedrine" under ``precursor``);
    ``form`` is the lexicon form that matched ("yaba").
    """

    key: str
    start: int
    end: int
    text: str
    generic: bool = False
    variant: str | None = None
    form: str = ""


@dataclass(frozen=True)
class _Entry:
    key: str
    form: str
    ambiguous: bool
    lower_only: bool
    variant: str | None


def _entries() -> dict[str, _Entry]:
    """Return the lexicon indexed by normalised form."""
    index: dict[str, _Entry] = {}
    for key, forms in LEXICON.items():
        for raw in forms:
            form, _, variant = raw.partition("=")
            flags = form[len(form.rstrip("?!")):]
            form = form.rstrip("?!")
            index[form] = _Entry(key, form, "?" in flags, "!" in flags, variant or None)
    return index


_INDEX = _entries()
_FORM_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        r"[\s-]+".join(re.escape(w) for w in form.split()) + r"(?:e?s)?"
        for form in sorted(_INDEX, key=len, reverse=True)
    )
    # "amphetamine-type stimulant" describes another drug
    + r")(?!\w|-(?:type|like|style|related)\b)",
    re.IGNORECASE,
)


def _lookup(text: str) -> _Entry | None:
    """Return the lexicon entry for a matched surface text, singular or plural."""
    norm = re.sub(r"[\s-]+", " ", text.lower())
    for candidate in (norm, norm[:-1], norm[:-2]):
        if candidate in _INDEX:
            return _INDEX[candidate]
    return None


def context_ok(sentence: str, start: int, end: int, *, form: str | None = None) -> bool:
    """Return True when the sentence reads the word at ``start:end`` as a drug.

    The word itself is masked; the rest of the sentence needs a drug cue (seizing, smuggling, an
    amount, packaging) or another drug name, and the word must not be in a known non-drug
    phrase ("ice cream", "speed boat", "crack down").
    """
    form = (form or sentence[start:end]).lower()
    guard = _NOT_DRUG.get(form)
    if guard is not None:
        for m in guard.finditer(sentence):
            if m.start() <= start < m.end() or start <= m.start() < end:
                return False
    rest = sentence[:start] + " " * (end - start) + sentence[end:]
    if _CUE_RE.search(rest):
        return True
    for m in _FORM_RE.finditer(rest):
        entry = _lookup(m[0])
        if entry is not None and not entry.ambiguous:
            return True
    return False


def _in_name(sentence: str, start: int, end: int) -> bool:
    """Return True when a capitalised word is part of a name ("Narcotics Control Bureau")."""
    if not sentence[start].isupper():
        return False
    after = re.match(r"\s+(?:and\s+|of\s+)?([A-Z][a-z]+)", sentence[end:])
    before = re.search(r"([A-Z][\w-]*)\s+(?:of\s+|and\s+|on\s+)?$", sentence[:start])
    return bool(after) or bool(before and sentence[: before.start()].strip())


def find_substances(sentence: str) -> list[SubstanceMention]:
    """Return the substances named in ``sentence``, longest match first, in order of position."""
    found: list[SubstanceMention] = []
    for m in _FORM_RE.finditer(sentence):
        entry = _lookup(m[0])
        if entry is None:
            continue
        text = m[0]
        if entry.lower_only and text != text.lower():
            continue
        if entry.ambiguous:
            # "ICE" is the US agency; a capitalised "Ice"/"Speed" mid-sentence is a name
            if len(text) > 2 and text.isupper() and entry.form not in ("xtc",):
                continue
            if text[0].isupper() and sentence[: m.start()].strip() and entry.form not in (
                "ecstasy", "kush", "skunk"
            ):
                continue
            if not context_ok(sentence, m.start(), m.end(), form=entry.form):
                continue
        if entry.key == "unspecified" and _in_name(sentence, m.start(), m.end()):
            continue
        found.append(SubstanceMention(entry.key, m.start(), m.end(), text,
                                      entry.key == "unspecified", entry.variant, entry.form))
    for m in _PRECURSOR_PHRASE_RE.finditer(sentence):
        if not any(s.start < m.end() and m.start() < s.end and s.key == "precursor"
                   for s in found):
            found.append(SubstanceMention("precursor", m.start(), m.end(), m[0], form=m[0].lower()))
    return sorted(found, key=lambda s: s.start)
