"""The official documents' names for the seed references programs and rules carry (「seed 002 §六」),
so pages and notifications cite 「111年度產後護理之家評鑑作業程序 第六點」, never an internal word."""

from __future__ import annotations

import re

SEED_DOCUMENTS = {
    "000": "醫策會「診所細胞治療及美容醫學品質認證介紹及初步推動成果」簡報",
    "001": "臺中市政府衛生局112年函（診所美容醫學品質認證申請事宜）",
    "002": "111年度產後護理之家評鑑作業程序",
    "003": "107年度精神復健機構評鑑說明會簡報",
    "004": "牙醫門診醫療服務南區審查分會輔導院所處置參考要點",
}
_SEED = re.compile(r"seed\s*(\d{3})(?:（([^）]*)）)?(?:\s*§\s*([一二三四五六七八九十]+))?")


def _name(match: re.Match[str]) -> str:
    number, named, point = match.groups()
    name = named or SEED_DOCUMENTS.get(number, "評鑑相關規定")
    return f"{name}第{point}點" if point else name


# the evaluation contract the program files cite where a seed is silent (their stated assumptions)
_CONTRACT_FOR_PROGRAM = re.compile(r"evaluation-programs\.md（Rules per program：[a-z][a-z0-9-]* — ")
_CONTRACT = re.compile(r"evaluation-programs\.md\s*(?:「Rules per program」|Rules per program)?")
CONTRACT_WORDS = "本系統評鑑規則"


def in_words(text: str) -> str:
    """TEXT with every 「seed NNN（name） §X」 named as the document it is (and its point), and the
    evaluation contract the program files cite named in words, without the program's id."""
    text = _CONTRACT_FOR_PROGRAM.sub(f"{CONTRACT_WORDS}（", text or "")
    return _SEED.sub(_name, _CONTRACT.sub(CONTRACT_WORDS, text))
