"""Demo data: the six program files as published versions, and the letterhead of each program
owner's office (ProgramOffice), printed on the demo's letters. The addresses, phone and fax
numbers are invented (example.org for e-mail), like every address of the demo."""

from __future__ import annotations

from typing import Any

from pingjian.web.programs.actions import do_load_program_files, do_save_program_office
from pingjian.web.programs.models import ProgramOffice

DEMO_OFFICES = [
    {
        "owner": "財團法人醫院評鑑暨醫療品質策進會 (JCT)",
        "unit": "診所認證辦公室",
        "address": "220新北市板橋區文化路一段188號5樓",
        "phone": "(02)2960-1188",
        "fax": "(02)2960-1189",
        "email": "clinic-cert@example.org",
    },
    {
        "owner": "衛生福利部",
        "unit": "評鑑辦公室",
        "address": "115臺北市南港區忠孝東路六段100號",
        "phone": "(02)2785-0100",
        "fax": "(02)2785-0101",
        "email": "evaluation-office@example.org",
    },
]


def seed(data: Any) -> None:
    do_load_program_files(actor=None)
    for values in DEMO_OFFICES:
        if not ProgramOffice.objects.filter(owner=values["owner"]).exists():
            do_save_program_office(ProgramOffice(**values), actor=None, reason="示範資料 demo data")
