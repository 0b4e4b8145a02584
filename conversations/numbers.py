"""Numbers as people type them in Korean: digits, Sino-Korean (칠십이), native (일흔두),
ordinals (둘째, 세 번째) and ages (72살, 일흔두 살, 칠십대).

Hand-written: the few packages that read Korean numerals cover Sino-Korean numbers only, and
what a chat needs is small and has to be exact.
"""

import re
import unicodedata

SINO_DIGITS = {"공": 0, "영": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
               "칠": 7, "팔": 8, "구": 9}  # fmt: skip
NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60,
               "일흔": 70, "여든": 80, "아흔": 90}  # fmt: skip
NATIVE_UNITS = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4,
                "넉": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}  # fmt: skip
ORDINALS = {"첫": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5, "여섯": 6,
            "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}  # fmt: skip
_TENS = "|".join(NATIVE_TENS)
_UNITS = "|".join(sorted(NATIVE_UNITS, key=len, reverse=True))
_NATIVE = re.compile(f"^(?:({_TENS}))?({_UNITS})?$")
# An age word and its counter, inside a sentence: "일흔두 살", "72세", "스무살".
_AGED = re.compile(r"([0-9가-힣]{1,6}?)\s?(?:살|세)(?=$|[^가-힣]|이|요|입|예|인|에|고|라)")
SHORT_WORDS = 3
_SINO = re.compile(r"^(?:([일이삼사오육칠팔구])?(십))?([일이삼사오육칠팔구])?$")


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip(".!?~)")


def korean_number(text: str) -> int | None:
    """0–99 written in digits, Sino-Korean or native Korean; None for anything else."""
    word = _fold(text)
    if word.isdecimal():
        return int(word) if len(word) <= 3 else None
    native = _NATIVE.match(word)
    if native and word:
        return NATIVE_TENS.get(native.group(1) or "", 0) + NATIVE_UNITS.get(
            native.group(2) or "", 0
        )
    sino = _SINO.match(word)
    if sino and word:
        tens = SINO_DIGITS.get(sino.group(1) or "일", 1) if sino.group(2) else 0
        return tens * 10 + SINO_DIGITS.get(sino.group(3) or "", 0)
    return None


def ordinal(text: str) -> int | None:
    """The position typed: "2", "2번", "둘째", "두 번째", "셋", "삼번", or in a few words
    ("2번 할게요", "첫번째 거요"); None otherwise, and for longer sentences, where a number
    is more likely something else ("2번 버스가 안 와요")."""
    found = _ordinal(text)
    if found is not None or len(text.split()) > SHORT_WORDS:
        return found
    heads = re.match(r"\s*(\S+?(?:번째|째|번))", unicodedata.normalize("NFKC", text))
    spelled = re.match(r"\s*(\S+\s(?:번째|번))", unicodedata.normalize("NFKC", text))
    for head in (heads, spelled):
        if head and _ordinal(head.group(1)) is not None:
            return _ordinal(head.group(1))
    return None


def _ordinal(text: str) -> int | None:
    word = _fold(text)
    spelled = re.fullmatch(r"(.+?)(?:번째|째)(?:요|이요|것|거)?", word)
    if spelled and spelled.group(1) in ORDINALS:
        return ORDINALS[spelled.group(1)]
    numbered = re.fullmatch(r"(.+?)번(?:이요|요|이에요|으로|이|을|를)?", word)
    if numbered:
        return korean_number(numbered.group(1))
    if (word in NATIVE_UNITS and len(word) > 1) or word in ("둘", "셋", "넷"):
        return NATIVE_UNITS[word]
    return int(word) if word.isdecimal() and len(word) <= 2 else None


def age(text: str) -> int | None:
    """An age in years: "72", "72살", "일흔두 살", "칠십이세"; None otherwise."""
    word = _fold(text)
    found = re.fullmatch(r"(.+?)(?:살|세)(?:요|이요|이에요|예요|입니다)?", word)
    if found is None:
        return None
    number = korean_number(found.group(1))
    return number if number is not None and 0 < number < 120 else None


def age_in(text: str) -> int | None:
    """An age said inside a sentence: "저는 일흔두 살이에요", "올해 72세입니다", "나이는 72요";
    None when there is none, or more than one number to choose from."""
    folded = unicodedata.normalize("NFKC", text)
    said = [found.group(1) for found in _AGED.finditer(folded)]
    if len(said) > 1:
        return None
    for word in said:
        starts = [re.search(r"\d+$", word).start()] if word[-1].isdigit() else range(len(word))  # type: ignore[union-attr]
        for start in starts:
            number = korean_number(word[start:])
            if number is not None:
                return number if 0 < number < 120 else None
    digits = re.findall(r"(?<!\d)\d{1,3}(?!\d)", folded)
    if len(digits) == 1 and 0 < int(digits[0]) < 120 and not re.search(r"\d\D+\d", folded):
        return int(digits[0])
    return None


def decade(text: str) -> int | None:
    """The decade typed: "70대", "칠십대", "일흔대" → 70; None otherwise."""
    word = _fold(text)
    found = re.fullmatch(r"(.+?)대(?:요|이요|예요|입니다|초반|중반|후반)?", word)
    if found is None:
        return None
    number = korean_number(found.group(1))
    return number if number is not None and number % 10 == 0 and 0 < number < 120 else None


def hangul_digits(text: str) -> str:
    """ "공일공 일이삼사" → "0101234": spoken digits, each syllable one digit; else as typed."""
    letters = re.sub(r"[\s\-.()/]", "", text)
    if letters and all(letter in SINO_DIGITS for letter in letters):
        return "".join(str(SINO_DIGITS[letter]) for letter in letters)
    return text
