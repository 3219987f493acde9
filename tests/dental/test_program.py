"""The program file (seed 004): header keys, all indicators, a reference on every number."""

from pingjian.rules.dental_program import ENGINE_INDICATORS, load_dental_program

P = load_dental_program()
SEED_IDS = [f"s{i}" for i in range(1, 30)]


def test_header_keys_read_by_other_tools():
    assert P.id == "dental-south-113" and P.kind == "dental" and P.version == 113
    assert P.title.startswith("牙醫門診") and P.title_en and P.reference
    assert str(P.effective_from) == "2024-12-05"


def test_every_seed_indicator_is_defined_with_its_group():
    ids = [i.id for i in P.indicators]
    assert all(s in ids for s in SEED_IDS)
    groups = {i.id: i.group for i in P.indicators}
    assert [k for k in SEED_IDS if groups[k] == "general"] == [
        "s1",
        "s3",
        "s10",
        "s11",
        "s14",
        "s17",
        "s21",
        "s23",
    ]
    assert [k for k in SEED_IDS if groups[k] == "key"] == ["s2", "s5", "s7"]


def test_criteria_count_is_the_29_indicators_seed_004_numbers_not_its_heading_28():
    """Seed 004, the indicator list after section 十七: headed 「28 項指標」, it numbers s1 … s29 —
    29 entries, the heading miscounts. oral_exam (三.5), avg_case_points (十二) and od_teeth (十)
    are indicators of the program file but not numbered by the seed, so not counted."""
    assert P.criteria_count == len(SEED_IDS) == 29
    assert len(P.indicators) == 32


def test_team_defined_monitoring_indicators_carry_an_assumption():
    for k in ["s4", "s6", "s13", "s15", "s16", "s18", "s22", "s24", "s26", "s28", "s29"]:
        ind = P.indicator(k)
        assert ind.group == "monitoring" and ind.assumption, k


def test_every_parameter_code_set_measure_rule_and_level_has_a_reference():
    for group in (P.parameters, P.code_sets, P.measures):
        assert all(x.reference.strip() for x in group.values())
    assert all(x.reference.strip() for x in [*P.indicators, *P.rules, *P.exclusions, *P.levels])


def test_contract_defaults():
    assert P.int_param("new_clinic_cap") == 350_000
    assert P.str_param("region") == "south"
    assert P.strs_param("oral_exam_codes") == ["00121C"]
    assert [P.int_param(n) for n in ("rescaling_window", "refill_window_short", "refill_window_long")] == [
        180,
        730,
        1095,
    ]
    assert P.str_param("pr_method") == "cume_dist_floor"


def test_params_override_and_are_recorded():
    p = P.with_params({"region": "north", "refill_window_short": "700", "oral_exam_codes": "00121C,00122C"})
    vals = p.parameter_values()
    assert vals["region"] == "north" and vals["refill_window_short"] == 700
    assert vals["oral_exam_codes"] == ["00121C", "00122C"]
    assert P.int_param("refill_window_short") == 730


def test_an_indicator_table_must_hold_what_the_rules_rank_and_the_engine_reads():
    """The indicator table's required columns come from the program file: every indicator a
    rule names (三.1 … 四.2) and those the engine reads by id (ENGINE_INDICATORS), in file order."""
    ranked = {ind for rule in P.rules for ind in rule.indicators}
    assert set(P.scored_indicator_ids) == ranked | set(ENGINE_INDICATORS)
    assert P.scored_indicator_ids == [i.id for i in P.indicators if i.id in P.scored_indicator_ids]
    assert "s4" not in P.scored_indicator_ids  # a monitoring indicator no rule reads


def test_totals_are_the_indicators_without_a_denominator():
    assert P.total_indicator_ids == ["s1", "od_teeth"]
