"""Counts of people arrested, fled or killed, read from one sentence.

Kinds: ``arrested`` (arrested, detained, apprehended, nabbed, caught, held, in custody; also
``charged`` when the sentence has no arrest verb), ``fled`` (suspects fled or escaped, no one
was arrested: count 0) and ``killed`` (not an arrest: callers ignore it). ``trigger`` is the
verb or noun that decided the kind ("arrest", "detain", "custody", "charge", ...).

Counts come from digits, number words, "a"/"an"/"one", "both", "the pair" and coordinated
groups ("two Syrians and a Jordanian" = 3). Officers, victims and "one of the suspects" are
never counted.

>>> [(a.count, a.kind) for a in find_arrests("Police arrested five suspects.")]
[(5, 'arrested')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import parse_number

__all__ = ["ArrestMention", "find_arrests"]

_HEADS = {
    "suspect", "people", "person", "persons", "man", "men", "woman", "women", "individual",
    "trafficker", "smuggler", "dealer", "peddler", "pusher", "courier", "driver", "member",
    "national", "citizen", "foreigner", "resident", "farmer", "youth", "youths", "teenager",
    "teen", "minor", "juvenile", "boy", "girl", "brother", "sister", "accomplice", "associate",
    "accused", "culprit", "offender", "detainee", "crew", "crewman", "crewmen",
    "crewmember", "sailor", "fisherman", "fishermen", "passenger", "traveller", "traveler",
    "mule", "kingpin", "ringleader", "leader", "boss", "gangster", "student", "worker",
    "employee", "trader", "vendor", "seller", "buyer", "user", "addict", "cultivator",
    "grower", "lord", "narco", "hawker", "labourer", "laborer", "trucker", "cousin", "son",
    "father", "mother", "wife", "husband", "couple", "operator", "owner", "manufacturer",
    "producer", "distributor", "financier", "others", "other", "them", "militant", "gunman",
    "gunmen", "perpetrator", "occupant", "captain", "pilot", "importer", "exporter",
}
# A person noun followed by one of these is a modifier: "a criminal organization", "drug ring".
_GROUP_NOUNS = {"organization", "organisation", "network", "networks", "gang", "gangs", "ring",
                "rings", "group", "groups", "cell", "cells", "syndicate", "syndicates", "cartel",
                "cartels", "association", "family", "clan", "clans", "mafia", "outfit", "boat",
                "vessel", "vehicle", "car", "truck", "house", "home"}
_BLOCK_HEADS = {
    "officer", "policeman", "policemen", "soldier", "agent", "official", "troop", "troops",
    "guard", "victim", "personnel", "ranger", "police", "cop", "investigator", "detective",
    "inspector", "judge", "prosecutor", "journalist", "child", "children",
}
_MODIFIER_STOP = {
    "of", "in", "on", "at", "from", "to", "with", "by", "and", "or", "the", "a", "an", "were",
    "was", "are", "is", "be", "been", "being", "had", "has", "have", "who", "which", "that",
    "for", "as", "than", "into", "over", "after", "before", "during", "while", "said", "says",
    "kg", "kilograms", "tonnes", "tons", "pills", "tablets", "years", "year", "old", "year-old",
    "percent", "per", "cent", "times", "days", "hours", "weeks", "months", "cases", "counts",
    "not", "no", "also", "later", "it", "its", "their", "his", "her", "they", "he", "she",
}
_AUX = {"was", "were", "is", "are", "been", "being", "be", "have", "has", "had", "got", "get",
        "gets", "getting"}
_ADVERBS = {"also", "later", "subsequently", "reportedly", "allegedly", "all", "both", "then",
            "already", "eventually", "finally", "immediately", "promptly", "quickly", "since",
            "successfully", "each", "now", "still", "duly", "swiftly", "soon", "initially",
            "formally", "recently", "consequently", "thereafter", "afterwards", "instantly"}
_HEDGES = {"a total of", "at least", "up to", "more than", "over", "about", "around", "nearly",
           "some", "another", "an additional", "a further", "further", "additional", "as many as",
           "almost", "approximately", "roughly"}
# participle (as written, lower case) -> (kind, trigger)
_PARTICIPLES = {
    "arrested": ("arrested", "arrest"), "detained": ("arrested", "detain"),
    "apprehended": ("arrested", "apprehend"), "nabbed": ("arrested", "nab"),
    "held": ("arrested", "hold"), "caught": ("arrested", "catch"),
    "captured": ("arrested", "capture"), "booked": ("arrested", "book"),
    "remanded": ("arrested", "remand"), "jailed": ("arrested", "jail"),
    "charged": ("arrested", "charge"), "indicted": ("arrested", "charge"),
    "rounded up": ("arrested", "round up"), "picked up": ("arrested", "pick up"),
    "taken into custody": ("arrested", "custody"),
    "taken into police custody": ("arrested", "custody"),
    "placed under arrest": ("arrested", "arrest"), "put under arrest": ("arrested", "arrest"),
    "taken in": ("arrested", "take in"),
    "killed": ("killed", "kill"), "shot dead": ("killed", "kill"),
    "gunned down": ("killed", "kill"),
    "shot and killed": ("killed", "kill"), "neutralised": ("killed", "kill"),
    "neutralized": ("killed", "kill"),
}
# active verb forms (lower case) -> participle key above
_ACTIVE = {
    "arrest": "arrested", "arrests": "arrested", "arrested": "arrested", "arresting": "arrested",
    "detain": "detained", "detains": "detained", "detained": "detained", "detaining": "detained",
    "apprehend": "apprehended", "apprehends": "apprehended", "apprehended": "apprehended",
    "apprehending": "apprehended", "nab": "nabbed", "nabs": "nabbed", "nabbed": "nabbed",
    "nabbing": "nabbed", "capture": "captured", "captures": "captured", "captured": "captured",
    "capturing": "captured", "catch": "caught", "catches": "caught", "caught": "caught",
    "catching": "caught", "book": "booked", "booked": "booked", "charged": "charged",
    "charging": "charged", "charge": "charged", "held": "held", "holding": "held",
    "rounded up": "rounded up", "rounding up": "rounded up", "round up": "rounded up",
    "picked up": "picked up", "picking up": "picked up", "pick up": "picked up",
    "kill": "killed", "killed": "killed", "killing": "killed", "kills": "killed",
    "shot dead": "shot dead", "gunned down": "gunned down",
}
_STATE_RE = re.compile(
    r"^(?:in|into)\s+(?:police\s+|judicial\s+|pre-trial\s+|preventive\s+)?custody\b"
    r"|^under\s+arrest\b|^behind\s+bars\b",
    re.IGNORECASE,
)
_STATE_CHAIN = _AUX | _ADVERBS | {"remain", "remains", "remained", "placed", "taken", "put",
                                  "kept", "held", "remanded", "being", "were", "are", "now"}
_FLED_RE = re.compile(
    r"\b(?:fled|flee|fleeing|escaped|escape|escaping|got\s+away|get\s+away|ran\s+away|run\s+away|"
    r"absconded|evaded\s+(?:arrest|capture)|made\s+(?:good\s+)?(?:their|his|her)\s+escape|"
    r"abandoned\s+(?:the|their|his|her)\s+(?:vehicle|car|truck|boat|vessel|cargo|consignment|"
    r"bags?|sacks?|load)|"
    r"(?:leapt|leaped|jumped|dived|dove)\s+into\s+the\s+(?:water|river|sea))\b",
    re.IGNORECASE,
)
_FLED_SUBJECT_RE = re.compile(
    r"\b(?:suspects?|smugglers?|traffickers?|dealers?|couriers?|men|man|people|persons?|driver|"
    r"drivers|occupants?|crew|gang|group|they|them|others|remaining|rest|he|she|individuals?|"
    r"perpetrators?|culprits?|those\s+aboard|those\s+on\s+board|pair|duo|trio|accomplices?|"
    r"members|peddlers?|pushers?)\b",
    re.IGNORECASE,
)
_NONE_ARRESTED_RE = re.compile(
    r"\b(?:(?:no\s+one|nobody|no\s+suspects?|none\s+of\s+the\s+\w+|no\s+arrests?)\s+"
    r"(?:has|have|had|was|were|is|are)?\s*(?:yet\s+)?(?:been\s+)?(?:arrested|detained|made|"
    r"apprehended|caught|taken\s+into\s+custody|reported)"
    r"|no\s+arrests?|without\s+(?:any\s+)?arrests?|(?:made|make|reported)\s+no\s+arrests?)\b",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(
    r"\d+-(?:years?|yr)-old|\d[\d,.]*\d|\d|[A-Za-z][\w'’]*(?:-[\w'’]+)*|[^\s\w]"
)
_AGE_RE = re.compile(r"\d+-(?:years?|yr)-old|(?:\w+-)+years?-old", re.IGNORECASE)
_DEMONYM_RE = re.compile(r"[A-Z][a-z]+(?:ians?|eans?|ans?|is|ese|ish|ch|ons?|ers?|os|ts)")


@dataclass(frozen=True)
class ArrestMention:
    """A count of people (``kind`` arrested / fled / killed) with its span and text."""

    count: int
    start: int
    end: int
    text: str
    kind: str
    trigger: str = ""


@dataclass(frozen=True)
class _NP:
    """A counted group of people: tokens [first, last], total count."""

    first: int
    last: int
    count: int
    headless: bool = False
    partitive_one: bool = False
    definite: bool = False  # "the driver": a single person named before


class _Sentence:
    """Tokens of one sentence with the lookups the patterns need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [(m[0], m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
        self.low = [t[0].lower() for t in self.tokens]

    def word(self, i: int) -> str:
        return self.low[i] if 0 <= i < len(self.low) else ""

    def phrase(self, i: int, n: int) -> str:
        return " ".join(self.low[i : i + n])

    def match_phrase(self, i: int, phrases) -> int:
        """Return the number of tokens of the longest phrase in ``phrases`` starting at i."""
        for n in (4, 3, 2, 1):
            if i + n <= len(self.low) and self.phrase(i, n) in phrases:
                return n
        return 0


def _singular(word: str) -> str:
    """Return a crude singular of a person noun ("suspects" -> "suspect")."""
    if word in _HEADS or word in _BLOCK_HEADS:
        return word
    for suffix in ("es", "s"):
        if word.endswith(suffix) and word[: -len(suffix)] in _HEADS | _BLOCK_HEADS:
            return word[: -len(suffix)]
    return word


def _count_at(s: _Sentence, i: int) -> tuple[int, int, bool] | None:
    """Return (count, next token, definite_singular) for a count starting at token i."""
    w = s.word(i)
    if not w:
        return None
    if s.word(i - 1) in ("aged", "age", "no", "not", "none"):
        return None
    if s.word(i - 1) == "," and s.word(i + 1) == ",":  # "Salam, 35, from Mongdu": an age
        return None
    if w in ("the", "these", "those", "all", "his", "her", "their", "its"):
        nxt = _count_at(s, i + 1)
        if nxt is not None and s.word(i + 1) not in ("the", "a", "an"):
            return nxt
        if w == "the" and s.word(i + 1) in ("pair", "duo", "couple"):
            return 2, i + 2, False
        if w == "the" and s.word(i + 1) == "trio":
            return 3, i + 2, False
        if w == "the":
            return 1, i + 1, True  # "the driver": counts only with a singular head
        return None
    if w in ("a", "an") and s.word(i + 1) in ("pair", "couple", "duo"):
        return 2, i + 3 if s.word(i + 2) == "of" else i + 2, False
    if w in ("a", "an", "one", "another", "single"):
        return 1, i + 1, False
    if w == "both":
        return 2, i + 1, False
    j, value = i, None
    while j < len(s.tokens) and j - i < 4:
        candidate = " ".join(t[0] for t in s.tokens[i : j + 1])
        parsed = parse_number(candidate)
        if parsed is None:
            break
        value, j = parsed, j + 1
    if value is None or value != int(value) or value <= 0 or value > 100000:
        return None
    nxt = s.word(j)
    if nxt.startswith(("year", "yr", "%", "percent", "-year")) or nxt in ("per", "kg", "km"):
        return None
    return int(value), j, False


def _np_at(s: _Sentence, i: int) -> _NP | None:
    """Return the counted person phrase starting at token i ("two Syrian nationals")."""
    if s.word(i) in ("the", "a", "an") and s.word(i + 1) in ("pair", "duo", "couple", "trio"):
        return _NP(i, i + 1, 3 if s.word(i + 1) == "trio" else 2, headless=True)
    counted = _count_at(s, i)
    if counted is None:
        return None
    count, j, definite = counted
    if s.word(j) == "of" and s.word(j + 1) in ("them", "those", "these", "the", "his", "her",
                                                "their", "its", "whom"):
        head = _np_head(s, j + 2) if s.word(j + 1) not in ("them", "whom") else j + 1
        if head is None:
            return None
        one_of = count == 1 and s.word(j + 1) in ("them", "those", "these", "the")
        return _NP(i, head, count, partitive_one=one_of)
    head = _np_head(s, j)
    if head is not None:
        word = _singular(s.word(head))
        if definite and s.word(head) != word and word in _HEADS:  # "the suspects": no count
            return None
        if s.word(head) in ("other", "others") and not definite and count == 1:
            return None
        return _NP(i, head, count, definite=definite)
    if definite:
        if s.word(j) == "other":  # "the other was killed"
            return _NP(i, j, 1, headless=True, definite=True)
        return None
    if s.tokens[i][0][0].isdigit() or s.word(i) in _NUMBER_WORDS or s.word(i) == "both":
        return _NP(i, j - 1, count, headless=True)
    return None


_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                 "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "hundred"}


def _np_head(s: _Sentence, j: int) -> int | None:
    """Return the index of the person noun heading the phrase that starts at token j."""
    for k in range(j, min(j + 5, len(s.tokens))):
        w = s.word(k)
        base = _singular(w)
        if base in _BLOCK_HEADS:
            return None
        if base in _HEADS:
            return None if s.word(k + 1) in _GROUP_NOUNS else k
        token = s.tokens[k][0]
        if _AGE_RE.fullmatch(token):  # "a 34-year-old man"
            continue
        if not re.fullmatch(r"[A-Za-z][\w'’]*(?:-[\w'’]+)*", token) or w in _MODIFIER_STOP:
            break
        if w.endswith("ing") and "-" not in w:
            break
        first = j + 1 if _AGE_RE.fullmatch(s.tokens[j][0]) else j
        if _DEMONYM_RE.fullmatch(token) and k == first and not _np_head_later(s, k + 1):
            return k
    return None


def _np_head_later(s: _Sentence, j: int) -> bool:
    """Return True when a person noun follows within the modifier window from token j."""
    for k in range(j, min(j + 3, len(s.tokens))):
        if _singular(s.word(k)) in _HEADS:
            return True
        if not re.fullmatch(r"[A-Za-z][\w'’-]*", s.tokens[k][0]) or s.word(k) in _MODIFIER_STOP:
            return False
    return False


def _group(s: _Sentence, np: _NP) -> _NP:
    """Return the phrase extended over coordinated ones ("two Syrians and a Jordanian")."""
    total, last = np.count, np.last
    while True:
        k = last + 1
        # "in Syria", "from Iraq": a short place phrase between coordinated groups
        place = s.tokens[k + 1][0] if k + 1 < len(s.tokens) else ""
        if s.word(k) in ("in", "from") and place[:1].isupper():
            k += 2
            while k < len(s.tokens) and s.tokens[k][0][0].isupper():
                k += 1
        n = s.match_phrase(k, {",", "and", ", and", "as well as", "plus", ", as well as"})
        if not n:
            break
        nxt = _np_at(s, k + n)
        if nxt is None or nxt.partitive_one:
            break
        total += nxt.count
        last = nxt.last
    return _NP(np.first, last, total, np.headless)


# Uses of the verbs that are not arrests: "held hostage", "caught on camera", "caught fire".
_NOT_ARREST_AFTER = {
    "held": {"hostage", "hostages", "captive", "responsible", "accountable", "liable", "talks",
             "a", "an", "the", "meetings", "up"},
    "caught": {"on", "fire", "in", "up", "sight"},
    "booked": {"flights", "tickets", "a", "rooms"},
    "picked up": {"the", "a", "an", "speed", "momentum"},
}


def _participle_at(s: _Sentence, i: int) -> tuple[str, int] | None:
    """Return (participle, tokens used) of an arrest / kill participle at token i."""
    n = s.match_phrase(i, _PARTICIPLES)
    if not n:
        return None
    participle = s.phrase(i, n)
    if s.word(i + n) in _NOT_ARREST_AFTER.get(participle, ()):
        return None
    return participle, n


def _aux_before(s: _Sentence, p: int, floor: int) -> int | None:
    """Return the index of the auxiliary chain ending just before token p, or None."""
    k = p - 1
    saw_aux = False
    while k >= floor and (s.word(k) in _AUX or s.word(k) in _ADVERBS or s.word(k) == ","):
        if s.word(k) in ("not", "never"):
            return None
        saw_aux = saw_aux or s.word(k) in _AUX
        k -= 1
    if s.word(k) in ("not", "never", "no"):
        return None
    return k + 1 if saw_aux else None


def find_arrests(sentence: str) -> list[ArrestMention]:
    """Return the arrest, flight and kill counts stated in ``sentence``, in order."""
    finder = _Finder(sentence)
    finder.active()
    finder.passive()
    finder.named()
    finder.state()
    finder.nouns()
    fled = _fled(finder.s)
    mentions = [m for m in finder.out
                if not any(f.start < m.end and m.start < f.end for f in fled)] + fled
    if any(m.kind == "arrested" and m.trigger != "charge" for m in mentions):
        mentions = [m for m in mentions if m.trigger != "charge"]
    return sorted((_without_apposition(m) for m in mentions), key=lambda m: m.start)


_APPOSITION = re.compile(
    r"\b(?P<n>[\w-]+) (?:men|women|people|persons|suspects|individuals|smugglers|traffickers|crew members)"
    r"\s*[,(—–:]\s*\S",
    re.IGNORECASE,
)


def _without_apposition(mention: ArrestMention) -> ArrestMention:
    """Count "three men, two Colombians and an Ecuadorian" as three: the list restates the men."""
    m = _APPOSITION.search(mention.text)
    if m is None:
        return mention
    from narcograph.ingest.extract.numbers import parse_number

    first = parse_number(m.group("n"))
    if first and mention.count == 2 * int(first):
        return ArrestMention(int(first), mention.start, mention.end, mention.text, mention.kind, mention.trigger)
    return mention


class _Finder:
    """The patterns of one sentence; each token counts towards one mention at most."""

    def __init__(self, sentence: str) -> None:
        self.s = _Sentence(sentence)
        self.out: list[ArrestMention] = []
        self.used: set[int] = set()
        self.nps = {i: np for i in range(len(self.s.tokens)) if (np := _np_at(self.s, i))}

    def add(self, first: int, last: int, count: int, kind: str, trigger: str) -> None:
        """Record a mention over tokens [first, last] and mark them used."""
        start, end = self.s.tokens[first][1], self.s.tokens[last][2]
        text = self.s.text[start:end]
        self.out.append(ArrestMention(count, start, end, text, kind, trigger))
        self.used.update(range(first, last + 1))

    def active(self) -> None:
        """Find "arrested five suspects", "detaining two people and a woman"."""
        s = self.s
        for i in range(len(s.tokens)):
            n = s.match_phrase(i, _ACTIVE)
            if not n or i in self.used:
                continue
            participle = _ACTIVE[s.phrase(i, n)]
            if participle in ("held", "caught") and s.word(i + n) in ("up", "fire", "sight"):
                continue
            k = i + n
            while s.word(k) in _ADVERBS or s.match_phrase(k, _HEDGES):
                k += max(1, s.match_phrase(k, _HEDGES))
            np = self.nps.get(k)
            if np is None or np.headless or np.partitive_one or k in self.used:
                continue
            if _singular(s.word(np.last)) in ("other", "others") and np.count == 1:
                continue
            np = _group(s, np)
            self.add(i, np.last, np.count, *_PARTICIPLES[participle])

    def passive(self) -> None:
        """Find "five people were arrested", "Two men charged", "the other was killed"."""
        s = self.s
        for i, np0 in sorted(self.nps.items()):
            if i in self.used or np0.partitive_one:
                continue
            np = _group(s, np0)
            found = _passive_trigger(s, np, self.nps, self.used)
            if found is None:
                continue
            p, n, participle = found
            total = np.count + _along_with(s, p + n, self.nps, self.used)
            self.add(np.first, p + n - 1, total, *_PARTICIPLES[participle])

    def named(self) -> None:
        """Find a named person or a pronoun: "Salam was caught", "He was arrested"."""
        s = self.s
        for i in range(len(s.tokens)):
            if i in self.used or not _is_single_subject(s, i):
                continue
            k = i + 1
            while k < len(s.tokens) and s.tokens[k][0][:1].isupper() and s.word(k) not in _AUX:
                k += 1
            if s.word(k) not in ("was", "has", "had"):
                continue
            p = k
            while s.word(p) in _AUX or s.word(p) in _ADVERBS:
                p += 1
            found = _participle_at(s, p)
            if found is None or found[0] == "held" or {"not", "never"} & set(s.low[k:p]):
                continue
            self.add(i, p + found[1] - 1, 1, *_PARTICIPLES[found[0]])

    def state(self) -> None:
        """Find "The five in custody", "Both suspects remain in police custody"."""
        s = self.s
        for i, np0 in sorted(self.nps.items()):
            if i in self.used or np0.partitive_one:
                continue
            np = _group(s, np0)
            k = np.last + 1
            while s.word(k) in _STATE_CHAIN:
                k += 1
            if k >= len(s.tokens):
                continue
            m = _STATE_RE.match(s.text[s.tokens[k][1] :])
            if m is not None:
                limit = s.tokens[k][1] + m.end()
                last = max(t for t, tok in enumerate(s.tokens) if tok[1] < limit)
                self.add(np.first, last, np.count, "arrested", "custody")

    def nouns(self) -> None:
        """Find "nine arrests", "the arrest of two suspects in Syria and one in Iraq"."""
        s = self.s
        for i in range(len(s.tokens)):
            if s.word(i) not in ("arrest", "arrests") or i in self.used:
                continue
            if s.word(i + 1) == "of" and (i + 2) in self.nps and (i + 2) not in self.used:
                np = _group(s, self.nps[i + 2])
                if not np.headless or np.last > np.first:
                    self.add(i, np.last, np.count, "arrested", "arrest")
                    continue
            if s.word(i) == "arrests":
                for j in range(i - 1, max(-1, i - 3), -1):
                    counted = _count_at(s, j)
                    if counted is not None and counted[1] in (i, i - 1) and not counted[2]:
                        if j not in self.used:
                            self.add(j, i, counted[0], "arrested", "arrest")
                        break


_NOT_NAMES = {"the", "this", "that", "it", "police", "customs", "army", "navy", "operation",
              "drugs", "cocaine", "heroin", "there", "which", "what", "one", "each", "nobody",
              "everyone", "someone", "anyone", "nothing", "shipment", "consignment", "vehicle",
              "a", "an", "his", "her", "their", "its", "we", "they", "you", "i", "no"}


def _is_single_subject(s: _Sentence, i: int) -> bool:
    """Return True when token i starts a personal name or is "he"/"she"."""
    token = s.tokens[i][0]
    if s.word(i) in ("he", "she"):
        return True
    if not token[:1].isupper() or token.isupper() or s.word(i) in _NOT_NAMES:
        return False
    if i > 0 and s.tokens[i - 1][0][:1].isupper() and s.word(i - 1) not in _NOT_NAMES:
        return False  # not the first word of the name
    return token[1:].islower() and token.isalpha()


def _passive_trigger(s: _Sentence, np: _NP, nps: dict[int, _NP],
                     used: set[int]) -> tuple[int, int, str] | None:
    """Return (index, length, participle) of the verb a subject phrase takes, or None."""
    start = np.last + 1
    for p in range(start, min(start + 20, len(s.tokens))):
        if s.word(p) in (";", ":") or p in used:
            return None
        # another counted group in between is the real subject
        other = nps.get(p)
        if (other is not None and p > start and not (other.partitive_one or other.definite)
                and not _loose_count(s, other)):
            return None
        found = _participle_at(s, p)
        if found is None:
            continue
        participle, n = found
        if p == start:
            # reduced: "Two men charged", "28 arrested"; not an active "two men arrested three"
            if nps.get(p + n) is not None and not nps[p + n].headless:
                return None
            return p, n, participle
        aux = _aux_before(s, p, start)
        if np.headless and aux is not None and aux != start:
            return None
        if aux is not None and not _agrees(s, np, aux, p):
            return None
        if aux is not None:
            return p, n, participle
        gap = s.low[start:p]
        if (np.headless is False and gap and gap[0] in ("from", "of", "in", "at", "aboard", "on")
                and len(gap) <= 6 and nps.get(p + n) is None):
            return p, n, participle
        return None
    return None


def _agrees(s: _Sentence, np: _NP, aux: int, p: int) -> bool:
    """Return True unless the auxiliary's number contradicts the count ("one ... were")."""
    words = set(s.low[aux:p])
    if np.count == 1 and words & {"were", "are", "have"}:
        return False
    return not (np.count > 1 and words & {"was", "is", "has"})


def _loose_count(s: _Sentence, np: _NP) -> bool:
    """Return True for a bare number that is not the subject of a verb ("in 2021")."""
    if not np.headless:
        return False
    after = np.last + 1
    return (_participle_at(s, after) is None
            and _aux_before(s, _next_participle(s, after), after) is None)


def _next_participle(s: _Sentence, i: int) -> int:
    """Return the index of the next participle after token i (or past the end)."""
    for p in range(i, min(i + 6, len(s.tokens))):
        if _participle_at(s, p):
            return p
    return len(s.tokens)


def _along_with(s: _Sentence, i: int, nps: dict[int, _NP], used: set[int]) -> int:
    """Return the count added by "..., along with four suspects" after a passive verb."""
    for k in range(i, min(i + 14, len(s.tokens))):
        if s.word(k) in (";", ":"):
            return 0
        n = s.match_phrase(k, {"along with", "together with", "as well as", "in addition to"})
        if n and (k + n) in nps and (k + n) not in used:
            np = _group(s, nps[k + n])
            if np.headless or np.partitive_one:
                return 0
            used.update(range(k, np.last + 1))
            return np.count
    return 0


def _fled(s: _Sentence) -> list[ArrestMention]:
    """Return "fled" mentions (count 0): suspects escaped, or no one was arrested."""
    text = s.text
    out = []
    for m in _NONE_ARRESTED_RE.finditer(text):
        out.append(ArrestMention(0, m.start(), m.end(), m[0], "fled", "none"))
    for m in _FLED_RE.finditer(text):
        window = text[max(0, m.start() - 60) : m.start()]
        window = re.split(r"[;:]|\bwhile\b|\bbut\b|\bwhereas\b", window)[-1]
        subject = list(_FLED_SUBJECT_RE.finditer(window))
        if not subject:
            continue
        if re.search(r"\b(?:officers?|police|troops|agents)\b", window[subject[-1].end():]):
            continue
        start = m.start() - len(window) + subject[-1].start()
        out.append(ArrestMention(0, start, m.end(), text[start : m.end()], "fled", "flee"))
    return out
