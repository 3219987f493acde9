"""Seed references named as the official documents they are (issue 18)."""

from pingjian.web.core.references import in_words


def test_a_seed_reference_becomes_the_documents_name_and_point():
    assert in_words("seed 002 §十二(一)") == "111年度產後護理之家評鑑作業程序第十二點(一)"
    assert (
        in_words("依據：seed 001 認證申請流程")
        == "依據：臺中市政府衛生局112年函（診所美容醫學品質認證申請事宜） 認證申請流程"
    )


def test_a_reference_that_already_names_its_document_keeps_that_name_once():
    assert (
        in_words("seed 000（醫策會簡報）；seed 004")
        == "醫策會簡報；牙醫門診醫療服務南區審查分會輔導院所處置參考要點"
    )


def test_the_contract_cited_by_the_psychiatric_programs_is_named_in_words_without_the_program_id():
    cited = "達合格標準（evaluation-programs.md（Rules per program：psych-rehab-day-107 — A 1.0、B 0.8）"
    assert in_words(cited) == "達合格標準（本系統評鑑規則（A 1.0、B 0.8）"
    assert in_words("取自 evaluation-programs.md「Rules per program」") == "取自 本系統評鑑規則"
