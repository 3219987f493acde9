"""The program's code sets expanded over the order codes present in the claims. Plain Python: the
validation and the engine both use it, and it imports no engine."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pingjian.rules.dental_program import DentalProgram


class CodeSets:
    """Program code sets expanded to explicit code lists over the codes present in the data."""

    def __init__(self, program: DentalProgram, present_codes: Iterable[str]):
        present = sorted(set(present_codes))
        self.codes: dict[str, list[str]] = {}
        for name in program.code_sets:
            listed, pattern = program.code_set_codes(name)
            if pattern is not None:
                rx = re.compile(pattern)
                self.codes[name] = [c for c in present if rx.fullmatch(c)]
            else:
                self.codes[name] = sorted(set(listed))

    def union(self, names: Iterable[str]) -> list[str]:
        out: set[str] = set()
        for n in names:
            out.update(self.codes[n])
        return sorted(out)
