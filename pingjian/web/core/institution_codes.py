"""醫事機構代碼 (medical institution code): the 10-character code the MOHW medical-institution
registry and the NHI assign to every healthcare institution (hospitals, clinics, postpartum care
homes, psychiatric rehabilitation institutions …).

What we check, and why no more:

- exactly 10 characters after normalisation (full-width characters → half-width, spaces removed,
  letters upper-cased); the MOHW/NHI registries and TW Core FHIR's Organization identifier use 10;
- the first two characters are digits: the code opens with a numeric area code of the registering
  authority (e.g. 0401180014, 臺大醫院);
- the remaining eight are ASCII digits or upper-case letters. Most codes are all digits, but codes
  with a letter exist for some kinds of institution and we would rather accept a real code than
  reject it on a rule we cannot verify.

We do not check the area code against the county field: area codes predate the 2010 municipal
mergers and do not map one-to-one onto today's 22 counties.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

from .error_codes import CoreErrorCode

CODE_PATTERN = re.compile(r"^[0-9]{2}[0-9A-Z]{8}$")


def normalise_code(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").strip().upper()


def code_problem(code: str) -> str | None:
    """Why `code` is not a valid 醫事機構代碼, or None when it is (after normalisation)."""
    if len(code) != 10:
        return f"醫事機構代碼須為 10 碼，收到 {len(code)} 碼：{code!r}"
    if not CODE_PATTERN.match(code):
        return f"醫事機構代碼前 2 碼須為數字、其餘為數字或大寫英文字母：{code!r}"
    return None


def validate_institution_code(value: str) -> None:
    problem = code_problem(value)
    if problem:
        raise ValidationError(problem, code=CoreErrorCode.INVALID_INSTITUTION_CODE)
