"""The program's badge (標章): a simple SVG drawn here, per program, with nothing fetched. The
public sees it on the verification page; the institution downloads it with its certificate number
(documents app); the certificate PDFs carry it inline."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from .models import is_jct_program


@dataclass(frozen=True)
class BadgeStyle:
    ring: str  # the ring's words (who certifies)
    centre: str  # the program in two to six characters
    english: str
    colour: str


BADGES = {
    "aesthetic-clinic": BadgeStyle("醫策會 品質認證", "美容醫學", "AESTHETIC MEDICINE", "#7a1f5c"),
    "cell-therapy-clinic": BadgeStyle("醫策會 品質認證", "細胞治療", "CELL THERAPY", "#1f4e7a"),
    "postpartum": BadgeStyle("衛生福利部 評鑑合格", "產後護理", "POSTPARTUM CARE", "#8a4b08"),
    "psych-rehab-day": BadgeStyle("衛生福利部 評鑑合格", "精神復健", "PSYCH REHAB · DAY", "#2e6b30"),
    "psych-rehab-residential": BadgeStyle(
        "衛生福利部 評鑑合格", "精神復健", "PSYCH REHAB · RESIDENTIAL", "#2e6b30"
    ),
}

FONT = "Noto Sans CJK TC"


def badge_style(program_id: str) -> BadgeStyle:
    family = program_id.rsplit("-", 1)[0]
    if family in BADGES:
        return BADGES[family]
    ring = "醫策會 品質認證" if is_jct_program(program_id) else "評鑑合格"
    return BadgeStyle(ring, "評鑑", family.upper(), "#444444")


def badge_svg(program_id: str, *, number: str = "", size_mm: int | None = None) -> str:
    """The badge of PROGRAM_ID as an SVG document (NUMBER, a certificate number, under the centre)."""
    style = badge_style(program_id)
    size = f' width="{size_mm}mm" height="{size_mm}mm"' if size_mm else ' width="240" height="240"'
    text = f'text-anchor="middle" fill="{style.colour}"'
    number_text = f'<text x="120" y="158" font-size="11" {text}>{escape(number)}</text>' if number else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240"{size} role="img" '
        f'aria-label="{escape(style.ring)} {escape(style.centre)}" font-family="{FONT}">'
        f'<circle cx="120" cy="120" r="114" fill="#fff" stroke="{style.colour}" stroke-width="8"/>'
        f'<circle cx="120" cy="120" r="92" fill="none" stroke="{style.colour}" stroke-width="2"/>'
        f'<text x="120" y="62" font-size="16" {text}>{escape(style.ring)}</text>'
        f'<text x="120" y="132" text-anchor="middle" font-size="38" font-weight="bold" '
        f'fill="{style.colour}">{escape(style.centre)}</text>'
        f"{number_text}"
        f'<text x="120" y="190" text-anchor="middle" font-size="11" fill="{style.colour}">'
        f"{escape(style.english)}</text>"
        "</svg>"
    )
