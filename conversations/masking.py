"""Personal data typed into public text (proposals, comments) is masked before it is kept."""

import re

# Resident registration numbers (YYMMDD-NNNNNNN) and Korean phone numbers, however spaced.
_RRN = re.compile(r"\b\d{6}\s*-\s*[1-8]\d{6}\b")
_PHONE = re.compile(
    r"(?<!\d)(?:\+82[\s-]?|0)(?:1[016789]|2|[3-6][1-5])[\s.-]?\d{3,4}[\s.-]?\d{4}(?!\d)"
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")


def mask_personal(text: str) -> str:
    text = _RRN.sub("******-*******", text)
    text = _PHONE.sub("***-****-****", text)
    return _EMAIL.sub("***@***", text)
