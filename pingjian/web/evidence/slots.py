"""Upload slots, read from the application's pinned program version.

A slot is one requirement whose assessment methods include ``upload`` (postpartum: the
「機構上傳佐證資料」 column of seed 002 附件1). Requirements marked ``on_site_only`` (personal care
records, seed 002 §三) never get a slot, and asking for one is refused with a message saying why.
A program whose file names no ``upload`` method at all (the JCT certifications: seed 001 only says
「受評機構須於實地訪視當日前1個月繳交申報資料」) gets one slot per item for its 申報資料 — our
reading, recorded in docs/decisions.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Slot:
    key: str  # "A1.1-1" (item-requirement) or "I-01" (a whole item)
    item_id: str
    item_title: str
    requirement: int | None
    text: str
    note: str


class OnSiteOnlyError(ValueError):
    """The requirement's records stay on site and are never uploaded."""


class UnknownSlotError(ValueError):
    pass


def slots_for(program: Any) -> list[Slot]:
    items = getattr(program, "items", None) or []
    uploads = [
        Slot(f"{item.id}-{r.number}", item.id, item.title, r.number, r.text, r.upload_note or "")
        for item in items
        for r in item.requirements
        if "upload" in r.methods and not r.on_site_only
    ]
    if uploads or any(r.methods for item in items for r in item.requirements):
        return uploads
    return [Slot(item.id, item.id, item.title, None, item.title, "申報資料") for item in items]


def slot_for(program: Any, key: str) -> Slot:
    """The slot `key`, or OnSiteOnlyError / UnknownSlotError with a message for people."""
    for slot in slots_for(program):
        if slot.key == key:
            return slot
    item_id, _, number = key.rpartition("-")
    for item in getattr(program, "items", None) or []:
        if item.id != item_id:
            continue
        for r in item.requirements:
            if str(r.number) == number and r.on_site_only:
                raise OnSiteOnlyError(
                    f"{item.id} 基準說明 {r.number} 屬個案照護紀錄等個人資料，不作線上查核審閱，"
                    "請於實地訪查當日提供，不得上傳（111年度產後護理之家評鑑作業程序第三點）。"
                )
            if str(r.number) == number:
                raise UnknownSlotError(f"{item.id} 基準說明 {r.number} 不需由機構上傳佐證資料。")
    raise UnknownSlotError(f"無此上傳項目：{key}")
