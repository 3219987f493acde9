"""Reading an institutions CSV into checked rows, or a list of errors naming row and column.

Columns (Chinese or English header; order free; UTF-8 with or without BOM, or Big5):

    醫事機構代碼 code*, 機構名稱 name*, 機構類型 type*, 縣市 county*, 地址 address*,
    鄉鎮市區 district, 電話 phone, 床數 capacity, 負責人 owner, 負責人起日 owner_since,
    開業日期 opened_on, 停業日期 suspended_on, 復業日期 reopened_on, 歇業日期 closed_on

Dates may be ROC (112/06/08, 112年6月8日, 1120608) or ISO (2023-06-08). Types and counties may be
given by label (產後護理之家, 台北市) or code (postpartum_home, TPE). Row numbers count the header
as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from pingjian.rules import roc
from pingjian.rules.errors import CalendarError, DataFileError
from pingjian.web.core.counties import county_from_text
from pingjian.web.core.institution_codes import code_problem, normalise_code

from .models import InstitutionType

# canonical name -> (Chinese header, required)
COLUMNS: dict[str, tuple[str, bool]] = {
    "code": ("醫事機構代碼", True),
    "name": ("機構名稱", True),
    "type": ("機構類型", True),
    "county": ("縣市", True),
    "address": ("地址", True),
    "district": ("鄉鎮市區", False),
    "phone": ("電話", False),
    "capacity": ("床數", False),
    "owner": ("負責人", False),
    "owner_since": ("負責人起日", False),
    "opened_on": ("開業日期", False),
    "suspended_on": ("停業日期", False),
    "reopened_on": ("復業日期", False),
    "closed_on": ("歇業日期", False),
}
DATE_COLUMNS = ("owner_since", "opened_on", "suspended_on", "reopened_on", "closed_on")
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 列「{self.column}」欄：{self.message}"


@dataclass
class ImportRow:
    row: int
    code: str
    owner_name: str
    owner_since: dt.date | None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    source: str
    rows: list[ImportRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _type_from_text(text: str) -> str | None:
    cleaned = text.strip()
    if cleaned in InstitutionType.values:
        return cleaned
    aliases = {"精神復健機構日間型": "psych_rehab_day", "精神復健機構住宿型": "psych_rehab_residential",
               "日間型精神復健機構": "psych_rehab_day", "住宿型精神復健機構": "psych_rehab_residential",
               "診所": "clinic", "護理之家": "nursing_home"}  # fmt: skip
    for value, label in InstitutionType.choices:
        if cleaned == str(label):
            return value
    squeezed = cleaned.replace("（", "").replace("）", "").replace("(", "").replace(")", "").replace(" ", "")
    return aliases.get(squeezed) or aliases.get(cleaned)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataFileError("cannot read the file as UTF-8 or Big5 text")


def parse_institutions_csv(data: bytes | str, source: str = "institutions.csv") -> ImportPlan:
    """Check every row; return all rows and all errors (the caller writes only when there are none)."""
    try:
        text = _decode(data)
    except DataFileError as exc:
        return ImportPlan(source, [], [RowError(1, "檔案", str(exc))])
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return ImportPlan(source, [], [RowError(1, "檔案", "檔案是空的 (empty file)")])
    by_header: dict[str, str] = {}
    for canonical, (chinese, _required) in COLUMNS.items():
        by_header[chinese] = canonical
        by_header[canonical] = canonical
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        name = raw.strip()
        canonical = by_header.get(name)
        if canonical is None:
            if name:
                errors.append(RowError(1, name, "不認得的欄位名稱 (unknown column)"))
            continue
        if canonical in positions:
            errors.append(RowError(1, name, "欄位重複 (duplicate column)"))
        positions[canonical] = index
    for canonical, (chinese, required) in COLUMNS.items():
        if required and canonical not in positions:
            errors.append(RowError(1, chinese, "缺少必要欄位 (required column missing)"))
    if errors:
        return ImportPlan(source, [], errors)

    rows: list[ImportRow] = []
    seen_codes: dict[str, int] = {}
    for row_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if row_number > MAX_ROWS + 1:
            errors.append(RowError(row_number, "檔案", f"超過 {MAX_ROWS} 列上限 (too many rows)"))
            break

        def cell(canonical: str, values: list[str] = values) -> str:
            position = positions.get(canonical)
            return values[position].strip() if position is not None and position < len(values) else ""

        row_errors: list[RowError] = []

        def fail(
            canonical: str, message: str, row_number: int = row_number, row_errors: list = row_errors
        ) -> None:
            row_errors.append(RowError(row_number, COLUMNS[canonical][0], message))

        for canonical, (_chinese, required) in COLUMNS.items():
            if required and not cell(canonical):
                fail(canonical, "必填 (required)")
        code = normalise_code(cell("code"))
        if code:
            problem = code_problem(code)
            if problem:
                fail("code", problem)
            elif code in seen_codes:
                fail("code", f"與第 {seen_codes[code]} 列代碼重複 (duplicate code)")
            else:
                seen_codes[code] = row_number
        type_value = _type_from_text(cell("type")) if cell("type") else None
        if cell("type") and type_value is None:
            fail("type", f"不認得的機構類型 {cell('type')!r}")
        county = county_from_text(cell("county")) if cell("county") else None
        if cell("county") and county is None:
            fail("county", f"不認得的縣市 {cell('county')!r}")
        dates: dict[str, dt.date | None] = {}
        for canonical in DATE_COLUMNS:
            raw = cell(canonical)
            dates[canonical] = None
            if raw:
                try:
                    dates[canonical] = roc.parse_date(raw)
                except CalendarError:
                    fail(canonical, f"無法辨識的日期 {raw!r}（例：112/06/08 或 2023-06-08）")
        capacity: int | None = None
        if cell("capacity"):
            try:
                capacity = int(cell("capacity"))
                if capacity < 0:
                    raise ValueError
            except ValueError:
                fail("capacity", f"須為非負整數 {cell('capacity')!r}")
        if dates["suspended_on"] and dates["reopened_on"] and dates["reopened_on"] < dates["suspended_on"]:
            fail("reopened_on", "復業日期早於停業日期")
        if dates["opened_on"] and dates["suspended_on"] and dates["suspended_on"] < dates["opened_on"]:
            fail("suspended_on", "停業日期早於開業日期")
        if dates["owner_since"] and not cell("owner"):
            fail("owner", "有負責人起日但沒有負責人")
        for canonical, limit in (
            ("name", 200),
            ("address", 300),
            ("phone", 30),
            ("district", 20),
            ("owner", 100),
        ):
            if len(cell(canonical)) > limit:
                fail(canonical, f"超過 {limit} 字")
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            ImportRow(
                row=row_number,
                code=code,
                owner_name=cell("owner"),
                owner_since=dates["owner_since"],
                fields={
                    "name": cell("name"),
                    "type": type_value,
                    "county": county,
                    "address": cell("address"),
                    "district": cell("district"),
                    "phone": cell("phone"),
                    "capacity": capacity,
                    "opened_on": dates["opened_on"],
                    "suspended_on": dates["suspended_on"],
                    "reopened_on": dates["reopened_on"],
                    "closed_on": dates["closed_on"],
                },
            )
        )
    if not rows and not errors:
        errors.append(RowError(2, "檔案", "沒有資料列 (no data rows)"))
    return ImportPlan(source, rows, errors)
