"""Korean particles chosen by the word before them: 을/를, 이/가, 은/는, 과/와, 으로/로 …

Catalogue texts write `{title:을}` (or `{title:'을}` to put the word in quotes, the particle
after them); the catalogue hands every text value in as a `Word`, whose formatting picks the
particle from the word's last sound. Hand-written: the few packages for this are small and
unmaintained, and the rule is short.
"""

# The forms of each particle: (after a final consonant, after a vowel).
PARTICLES = {
    name: pair
    for pair in (
        ("을", "를"),
        ("이", "가"),
        ("은", "는"),
        ("과", "와"),
        ("으로", "로"),
        ("이에요", "예요"),
        ("이라고", "라고"),
        ("아", "야"),
        ("이나", "나"),
    )
    for name in pair
}
# How the last digit is read (영, 일, 이 …): its final consonant, if any.
DIGIT_ENDINGS = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_TRAILING = "')\"]」』 .·!?~"


def final_consonant(word: str) -> str | None:
    """The last sound's final consonant (ㄹ, ㅁ …), or None after a vowel."""
    stripped = word.rstrip(_TRAILING)
    while stripped and not stripped[-1].isalnum():  # a sign after the words: "다음 쪽 ▶"
        stripped = stripped[:-1].rstrip(_TRAILING)
    if not stripped:
        return None
    last = stripped[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return _FINALS[final] if final else None
    if last.isdigit():
        return DIGIT_ENDINGS.get(last)
    if last.lower() in "lmn":
        return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ"}[last.lower()]
    return None


def particle(word: str, name: str) -> str:
    """The form of particle `name` (either of its forms) that follows `word`."""
    after_consonant, after_vowel = PARTICLES[name]
    final = final_consonant(word)
    if after_consonant == "으로" and final == "ㄹ":
        return "로"  # 서울로, not 서울으로
    return after_consonant if final else after_vowel


class Word(str):
    """A text value that formats with a particle: f"{Word('수원시'):을}" → "수원시를"."""

    def __format__(self, spec: str) -> str:
        quoted = spec.startswith("'")
        name = spec.removeprefix("'")
        if name not in PARTICLES:
            return format(str(self), spec)
        shown = f"'{self}'" if quoted else str(self)
        return shown + particle(str(self), name)
