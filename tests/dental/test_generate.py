"""The synthetic data generator (`pingjian dental generate`): formats, determinism, realism, edges."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pingjian.dental.generate import generate

QUARTER = "2024Q4"
Q_START, Q_END = dt.date(2024, 10, 1), dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen50")
    result = generate(out, 50, QUARTER, 7, lines_per_clinic=800)
    con = duckdb.connect()
    for name in ("claims", "clinics", "doctors", "clinic_quarter"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{out}/{name}.parquet')")
    return result, con


def one(con, sql):
    return con.sql(sql).fetchall()[0][0]


def test_generate_writes_the_contract_schema(data):
    result, _ = data
    expected = {
        "claims": {
            "claim_id": pa.string(),
            "clinic_id": pa.string(),
            "doctor_id": pa.string(),
            "patient_id": pa.string(),
            "birth_date": pa.date32(),
            "visit_date": pa.date32(),
            "order_code": pa.string(),
            "tooth": pa.string(),
            "surfaces": pa.int32(),
            "quantity": pa.int32(),
            "points": pa.int64(),
        },
        "clinics": {
            "clinic_id": pa.string(),
            "name": pa.string(),
            "region": pa.string(),
            "kind": pa.string(),
            "opened_on": pa.date32(),
        },
        "doctors": {"doctor_id": pa.string(), "home_region": pa.string(), "specialist": pa.bool_()},
        "clinic_quarter": {
            "clinic_id": pa.string(),
            "quarter": pa.string(),
            "sessions_per_month": pa.float64(),
            "outreach_sessions_year": pa.int64(),
            "unimproved_after_agreement": pa.bool_(),
        },
    }
    for name, cols in expected.items():
        schema = pq.read_schema(result.out / f"{name}.parquet")
        assert {f.name: f.type for f in schema} == cols, name


def test_generate_values_respect_the_contract(data):
    _, con = data
    assert one(con, "SELECT count(*) FROM claims WHERE points < 0 OR quantity < 1") == 0
    assert (
        one(
            con,
            "SELECT count(*) FROM claims WHERE regexp_matches(order_code, '^89\\d{3}C$') "
            "AND (tooth IS NULL OR surfaces NOT BETWEEN 1 AND 5)",
        )
        == 0
    )
    teeth = {r[0] for r in con.sql("SELECT DISTINCT tooth FROM claims WHERE tooth IS NOT NULL").fetchall()}
    assert all(re.fullmatch(r"[1-4][1-8]|[5-8][1-5]", t) for t in teeth)
    # every claim line's clinic and doctor exist; a case belongs to one clinic, doctor, patient and date
    assert (
        one(con, "SELECT count(*) FROM claims LEFT JOIN clinics USING (clinic_id) WHERE region IS NULL") == 0
    )
    assert (
        one(
            con,
            "SELECT count(*) FROM claims c LEFT JOIN doctors d USING (doctor_id) WHERE d.home_region IS NULL",
        )
        == 0
    )
    assert (
        one(
            con,
            "SELECT count(*) FROM (SELECT claim_id FROM claims GROUP BY claim_id HAVING "
            "count(DISTINCT (clinic_id, doctor_id, patient_id, visit_date)) > 1)",
        )
        == 0
    )
    # one birth date per patient
    assert (
        one(
            con,
            "SELECT count(*) FROM (SELECT patient_id FROM claims GROUP BY 1 "
            "HAVING count(DISTINCT birth_date) > 1)",
        )
        == 0
    )
    # the quarter and 12 quarters of look-back
    lo, hi = con.sql("SELECT min(visit_date), max(visit_date) FROM claims").fetchall()[0]
    assert hi == Q_END
    assert lo <= dt.date(2021, 10, 5)


def test_generate_is_deterministic_for_a_seed(tmp_path):
    a = generate(tmp_path / "a", 40, QUARTER, 11, lookback_quarters=3, lines_per_clinic=200)
    b = generate(tmp_path / "b", 40, QUARTER, 11, lookback_quarters=3, lines_per_clinic=200)
    c = generate(tmp_path / "c", 40, QUARTER, 12, lookback_quarters=3, lines_per_clinic=200)
    for name in ("claims", "clinics", "doctors", "clinic_quarter"):
        ta = pq.read_table(a.files[name])
        assert ta.equals(pq.read_table(b.files[name])), name
    assert not pq.read_table(a.files["claims"]).equals(pq.read_table(c.files["claims"]))


def test_generate_has_every_code_family(data):
    _, con = data
    codes = {r[0] for r in con.sql("SELECT DISTINCT order_code FROM claims").fetchall()}
    required = {
        "90015C",
        "90004C",
        "92013C",
        "91003C",
        "91004C",
        "00121C",
        "P7101C",
        "P7102C",
        "P7302C",
        "P7303C",
        "P3601C",
        "P4001C",
        "P4002C",
        "P4003C",
    }
    assert required <= codes
    assert any(re.fullmatch(r"892\d\dC", c) for c in codes)
    assert any(re.fullmatch(r"89[013-9]\d\dC", c) for c in codes)
    assert codes & {"90001C", "90002C", "90003C", "90016C", "90018C", "90019C", "90020C"}
    assert codes & {f"9009{i}C" for i in range(1, 9)}
    assert codes & {"92014C", "92015C", "92016C", "92063C"}
    assert "90009C" in codes


def test_generate_procedure_mix_is_plausible(tmp_path):
    r = generate(tmp_path, 48, QUARTER, 3, lookback_quarters=0)
    con = duckdb.connect()
    od, cases, pts = con.sql(
        f"SELECT avg(regexp_matches(order_code, '^89\\d{{3}}C$')::INT), count(DISTINCT claim_id), "
        f"sum(points) FROM read_parquet('{r.files['claims']}')"
    ).fetchall()[0]
    assert 0.27 <= od <= 0.35  # OD ≈ 31 % of lines
    assert 1000 <= pts / cases <= 1700  # average points per case


def test_generate_has_a_clinic_of_each_kind(data):
    result, con = data
    roles = result.roles
    assert one(con, "SELECT count(*) FROM clinics WHERE region = 'south'") == 42  # 50 - 50 // 6
    assert one(con, "SELECT count(DISTINCT region) FROM clinics") >= 5
    assert one(con, "SELECT count(*) FROM clinics WHERE kind = 'hospital' AND region = 'south'") >= 2
    opened = dict(con.sql("SELECT clinic_id, opened_on FROM clinics").fetchall())
    assert (Q_END - opened[roles["new_364"]]).days == 364
    assert (Q_END - opened[roles["new_365"]]).days == 365
    assert opened[roles["not_open"]] > Q_END
    assert all((Q_END - opened[c]).days < 365 for c in roles["new"])
    in_q = {
        r[0]
        for r in con.sql(f"SELECT DISTINCT clinic_id FROM claims WHERE visit_date >= '{Q_START}'").fetchall()
    }
    assert roles["closed"] not in in_q and roles["not_open"] not in in_q
    assert one(con, f"SELECT count(*) FROM claims WHERE clinic_id = '{roles['closed']}'") > 0
    # clinics opened during the look-back have no lines before they opened
    assert (
        one(con, "SELECT count(*) FROM claims JOIN clinics USING (clinic_id) WHERE visit_date < opened_on")
        == 0
    )
    cq = con.sql(
        f"SELECT clinic_id, sessions_per_month, outreach_sessions_year, unimproved_after_agreement "
        f"FROM clinic_quarter WHERE quarter = '{QUARTER}'"
    ).fetchall()
    by = {r[0]: r for r in cq}
    assert roles["no_cq_row"] not in by
    assert by[roles["excluded_9"]][1] >= 44 and by[roles["exact_s1_200k"]][1] == 44.0
    assert by[roles["unimproved"]][3] is True
    assert by[roles["edge_a"]][2] == 12 and by[roles["edge_b"]][2] == 13
    assert any(r[2] == 0 for r in cq) and any(0 < r[2] <= 12 for r in cq)
    assert one(con, f"SELECT count(*) FROM clinic_quarter WHERE quarter <> '{QUARTER}'") > 0
    # cross-region doctors at clinics of the region, some of them specialists, also working at home
    xr = con.sql(
        f"SELECT DISTINCT d.doctor_id, d.specialist FROM claims c JOIN doctors d USING (doctor_id) "
        f"JOIN clinics k USING (clinic_id) WHERE k.region = 'south' AND d.home_region <> 'south' "
        f"AND visit_date >= '{Q_START}'"
    ).fetchall()
    assert any(not s for _, s in xr) and any(s for _, s in xr)
    assert (
        one(
            con,
            "SELECT count(*) FROM claims c JOIN doctors d USING (doctor_id) JOIN clinics k "
            "USING (clinic_id) WHERE d.home_region <> 'south' AND k.region = d.home_region",
        )
        > 0
    )


def test_generate_cross_region_months_hit_the_thresholds(data):
    result, con = data
    doc = result.roles["crafted_cross_doctor"]
    months = dict(
        con.sql(
            f"SELECT month(visit_date), sum(points) FROM claims JOIN clinics USING (clinic_id) "
            f"WHERE doctor_id = '{doc}' AND region = 'south' AND visit_date >= '{Q_START}' GROUP BY 1"
        ).fetchall()
    )
    assert months == {10: 150_000, 11: 100_001, 12: 100_000}


def test_generate_has_the_edge_rows(data):
    result, con = data
    roles = result.roles
    od = "regexp_matches(order_code, '^89\\d{3}C$')"
    # the same patient and tooth filled at two clinics on the same day
    assert (
        one(
            con,
            f"SELECT count(*) FROM (SELECT patient_id, tooth, visit_date FROM claims WHERE {od} "
            f"GROUP BY ALL HAVING count(DISTINCT clinic_id) >= 2)",
        )
        >= 2
    )
    # day 730 / 731 and 1095 / 1096 between OD lines of the same tooth, the later one in the quarter
    gaps = {
        r[0]
        for r in con.sql(
            f"SELECT DISTINCT b.visit_date - a.visit_date "
            f"FROM claims a JOIN claims b USING (patient_id, tooth) "
            f"WHERE {od.replace('order_code', 'a.order_code')} "
            f"AND {od.replace('order_code', 'b.order_code')} "
            f"AND b.visit_date >= '{Q_START}' "
            f"AND b.visit_date - a.visit_date IN (730, 731, 1095, 1096)"
        ).fetchall()
    }
    assert gaps == {730, 731, 1095, 1096}
    # scaling 180 and 181 days before a scaling in the quarter
    gaps = {
        r[0]
        for r in con.sql(
            f"SELECT DISTINCT b.visit_date - a.visit_date FROM claims a JOIN claims b USING (patient_id) "
            f"WHERE a.order_code IN ('91003C','91004C') AND b.order_code IN ('91003C','91004C') "
            f"AND b.visit_date >= '{Q_START}' AND b.visit_date - a.visit_date IN (180, 181)"
        ).fetchall()
    }
    assert gaps == {180, 181}
    # the 13th birthday and the day before, at an oral exam in the quarter
    ages = {
        r[0]
        for r in con.sql(
            f"SELECT date_diff('day', birth_date + INTERVAL 13 YEAR, visit_date) FROM claims "
            f"WHERE order_code = '00121C' AND visit_date >= '{Q_START}'"
        ).fetchall()
    }
    assert {0, -1} <= ages
    # a special-fund-only claim, a child's exam-only claim, a 892xx line under 400 points,
    # an extraction without a tooth
    assert (
        one(
            con,
            "SELECT count(*) FROM (SELECT claim_id FROM claims GROUP BY 1 HAVING bool_and("
            "order_code IN ('P7101C','P7102C','P7302C','P7303C')))",
        )
        > 0
    )
    assert (
        one(
            con,
            "SELECT count(*) FROM (SELECT claim_id FROM claims GROUP BY 1 HAVING bool_and("
            "order_code = '00121C'))",
        )
        > 0
    )
    assert one(con, "SELECT count(*) FROM claims WHERE order_code LIKE '892__C' AND points < 400") > 0
    assert one(con, "SELECT count(*) FROM claims WHERE order_code = '92013C' AND tooth IS NULL") > 0
    # zero denominators: a clinic of the region without OD lines, one whose points all count 0
    no_od = one(
        con,
        f"SELECT count(*) FROM claims WHERE clinic_id = '{roles['no_od']}' AND {od} "
        f"AND visit_date >= '{Q_START}'",
    )
    assert no_od == 0
    codes = {
        r[0]
        for r in con.sql(
            f"SELECT DISTINCT order_code FROM claims WHERE clinic_id = "
            f"'{roles['zero_points']}' AND visit_date >= '{Q_START}'"
        ).fetchall()
    }
    assert codes == {"P3601C", "P7302C"}
    # exact ties: twin_b claims in the quarter exactly what twin_a claims
    cols = "patient_id, visit_date, order_code, tooth, surfaces, points"
    a = con.sql(
        f"SELECT {cols} FROM claims WHERE clinic_id = '{roles['twin_a']}' AND visit_date >= "
        f"'{Q_START}' ORDER BY ALL"
    ).fetchall()
    b = con.sql(
        f"SELECT {cols} FROM claims WHERE clinic_id = '{roles['twin_b']}' AND visit_date >= "
        f"'{Q_START}' ORDER BY ALL"
    ).fetchall()
    assert a == b and a


def test_generate_csv_holds_the_same_data(tmp_path):
    p = generate(tmp_path / "p", 40, QUARTER, 5, lookback_quarters=1, lines_per_clinic=100)
    c = generate(tmp_path / "c", 40, QUARTER, 5, lookback_quarters=1, lines_per_clinic=100, fmt="csv")
    con = duckdb.connect()
    for name in ("claims", "clinics", "doctors", "clinic_quarter"):
        left = con.sql(f"SELECT * FROM read_parquet('{p.files[name]}') ORDER BY ALL").fetchall()
        names = pq.read_schema(p.files[name]).names
        ids = ("claim_id", "clinic_id", "doctor_id", "patient_id", "tooth")
        types = {k: "VARCHAR" for k in ids if k in names}
        right = con.sql(
            f"SELECT * FROM read_csv('{c.files[name]}', header=true, types={types}) ORDER BY ALL"
        ).fetchall()
        assert left == right, name
    header = (tmp_path / "c" / "claims.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.replace('"', "") == (
        "claim_id,clinic_id,doctor_id,patient_id,birth_date,visit_date,"
        "order_code,tooth,surfaces,quantity,points"
    )


def test_generate_command_writes_the_files(tmp_path):
    from pingjian.cli.dental_generate import generate as command

    res = CliRunner().invoke(
        command,
        [
            "--clinics",
            "40",
            "--quarter",
            "2024Q4",
            "--seed",
            "2",
            "--out",
            str(tmp_path),
            "--lookback-quarters",
            "1",
            "--lines-per-clinic",
            "100",
            "--quiet",
        ],
    )
    assert res.exit_code == 0, res.output
    assert {p.name for p in tmp_path.iterdir()} >= {
        "claims.parquet",
        "clinics.parquet",
        "doctors.parquet",
        "clinic_quarter.parquet",
    }
    bad = CliRunner().invoke(command, ["--clinics", "40", "--quarter", "2024Q9", "--out", str(tmp_path)])
    assert bad.exit_code != 0
