"""The four files in the contract's formats: schemas, id columns, and the Parquet/CSV writers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pingjian.dental.generate.catalogue import CODES
from pingjian.dental.generate.claims import Chunk
from pingjian.dental.generate.population import Population
from pingjian.rules.roc import Quarter

CLAIMS_SCHEMA = pa.schema(
    [
        ("claim_id", pa.string()),
        ("clinic_id", pa.string()),
        ("doctor_id", pa.string()),
        ("patient_id", pa.string()),
        ("birth_date", pa.date32()),
        ("visit_date", pa.date32()),
        ("order_code", pa.string()),
        ("tooth", pa.string()),
        ("surfaces", pa.int32()),
        ("quantity", pa.int32()),
        ("points", pa.int64()),
    ]
)
CLINICS_SCHEMA = pa.schema(
    [
        ("clinic_id", pa.string()),
        ("name", pa.string()),
        ("region", pa.string()),
        ("kind", pa.string()),
        ("opened_on", pa.date32()),
    ]
)
DOCTORS_SCHEMA = pa.schema(
    [("doctor_id", pa.string()), ("home_region", pa.string()), ("specialist", pa.bool_())]
)
CLINIC_QUARTER_SCHEMA = pa.schema(
    [
        ("clinic_id", pa.string()),
        ("quarter", pa.string()),
        ("sessions_per_month", pa.float64()),
        ("outreach_sessions_year", pa.int64()),
        ("unimproved_after_agreement", pa.bool_()),
    ]
)


def ids_column(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Ids as text: PREFIX and the number zero-padded to WIDTH digits (``P000000042``)."""
    s = pc.cast(pa.array(numbers, pa.int64()), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(s, width=width, padding="0"), "")


class ClaimsSink:
    """The claims file, written block by block so that memory holds one quarter at most."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.fmt = fmt
        self.path = path
        if fmt == "parquet":
            self.writer: Any = pq.ParquetWriter(path, schema, compression="snappy")
        else:
            self.writer = pacsv.CSVWriter(path, schema)

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            self.writer.write_table(table, row_group_size=1 << 20)
        else:
            self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()


def write_table(path: Path, table: pa.Table, fmt: str) -> None:
    """A small file (clinics, doctors, clinic_quarter) written at once."""
    if fmt == "parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)


class ClaimTables:
    """Claim lines as integer columns → the claims file's table (ids and codes looked up)."""

    def __init__(self, pop: Population, patient_ids: pa.Array, patient_birth: np.ndarray) -> None:
        self.clinic_ids = pa.array(pop.clinic_ids, pa.string())
        self.doctor_ids = pa.array(pop.doctor_ids, pa.string())
        self.patient_ids = patient_ids
        self.birth = pa.array(patient_birth.astype(np.int32), pa.int32()).cast(pa.date32())
        self.codes = pa.array(CODES, pa.string())
        teeth = [None] + [str(t) if t else None for t in range(1, 100)]
        self.teeth = pa.array(teeth, pa.string())

    def table(self, ch: Chunk, claim_prefix: str) -> pa.Table:
        claim = ids_column(claim_prefix, ch.claim, 9)
        surfaces = pa.array(ch.surfaces.astype(np.int32), pa.int32(), mask=ch.surfaces == 0)
        return pa.Table.from_arrays(
            [
                claim,
                self.clinic_ids.take(pa.array(ch.clinic)),
                self.doctor_ids.take(pa.array(ch.doctor)),
                self.patient_ids.take(pa.array(ch.patient)),
                self.birth.take(pa.array(ch.patient)),
                pa.array(ch.date.astype(np.int32), pa.int32()).cast(pa.date32()),
                self.codes.take(pa.array(ch.code)),
                self.teeth.take(pa.array(ch.tooth.astype(np.int64))),
                surfaces,
                pa.array(ch.quantity.astype(np.int32), pa.int32()),
                pa.array(ch.points.astype(np.int64), pa.int64()),
            ],
            schema=CLAIMS_SCHEMA,
        )


def clinics_table(pop: Population) -> pa.Table:
    """The clinics file: one row per clinic of every region."""
    kinds = pop.clinic_kind.tolist()
    names = [
        f"{'醫院' if k == 'hospital' else '牙醫診所'} {cid}"
        for cid, k in zip(pop.clinic_ids, kinds, strict=True)
    ]
    return pa.Table.from_arrays(
        [
            pa.array(pop.clinic_ids, pa.string()),
            pa.array(names, pa.string()),
            pa.array(pop.clinic_region.tolist(), pa.string()),
            pa.array(pop.clinic_kind.tolist(), pa.string()),
            pa.array(pop.opened.astype(np.int32), pa.int32()).cast(pa.date32()),
        ],
        schema=CLINICS_SCHEMA,
    )


def doctors_table(pop: Population) -> pa.Table:
    """The doctors file: one row per doctor, the crafted cross-region doctor included."""
    return pa.Table.from_arrays(
        [
            pa.array(pop.doctor_ids, pa.string()),
            pa.array(pop.doctor_region, pa.string()),
            pa.array(pop.doctor_specialist.tolist()),
        ],
        schema=DOCTORS_SCHEMA,
    )


def clinic_quarter_table(pop: Population, rng: np.random.Generator, quarter: Quarter) -> pa.Table:
    """The quarter's and the previous quarter's rows; sessions and outreach are drawn here, after
    the claims (the order of the draws is part of what a seed produces)."""
    n = len(pop.clinic_ids)
    roles = pop.roles
    sessions = np.round(np.clip(rng.normal(26, 6, n), 6, 60), 1)
    busy = rng.random(n) < 0.03
    sessions[busy] = np.round(rng.uniform(44, 55, busy.sum()), 1)
    sessions[roles["excluded_9"]] = 46.0
    sessions[roles["exact_s1_200k"]] = 44.0
    sessions[roles["busy_44_large"]] = 44.0
    outreach = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 31, n))
    outreach[roles["edge_a"]] = 12
    outreach[roles["edge_b"]] = 13
    outreach[roles["edge_c"]] = 0
    unimproved = rng.random(n) < 0.01
    unimproved[roles["unimproved"]] = True
    this_q = str(quarter)
    prev_q = str(quarter.shift(-1))
    ids, quarters, s, o, u = [], [], [], [], []
    for c in range(n):
        # last quarter's row differs, to show that rows of other quarters are ignored
        ids.append(pop.clinic_ids[c])
        quarters.append(prev_q)
        s.append(float(min(60.0, sessions[c] + 3)))
        o.append(int(outreach[c]) + 5)
        u.append(not bool(unimproved[c]))
        if c == roles["no_cq_row"]:
            continue
        ids.append(pop.clinic_ids[c])
        quarters.append(this_q)
        s.append(float(sessions[c]))
        o.append(int(outreach[c]))
        u.append(bool(unimproved[c]))
    return pa.Table.from_arrays(
        [
            pa.array(ids, pa.string()),
            pa.array(quarters, pa.string()),
            pa.array(s, pa.float64()),
            pa.array(o, pa.int64()),
            pa.array(u, pa.bool_()),
        ],
        schema=CLINIC_QUARTER_SCHEMA,
    )
