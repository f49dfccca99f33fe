"""The rule engine: three-valued logic, functions, editions by date, loading errors, evidence."""

from __future__ import annotations

import ast
import logging
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from checks import engine
from checks.engine import RuleFileError, UnknownProgram, evaluate, list_programs, load_program
from checks.expr import FUNCTIONS, Evaluator, Items, Record, Unknown, compile_expression, compile_template
from pipeline.model import Document, Field, FileEntry

U = "unknown"


def _eval(text: str, **names: Any) -> Any:
    scope: dict[str, Any] = {
        "u": Unknown.because("u was not read", "input"),
        "t": True,
        "f": False,
        "n": 10,
        "d": date(2024, 2, 29),
        "plan": Items([Record({"x": 1, "y": None})], label="計画"),
        **names,
    }
    return Evaluator(scope, FUNCTIONS).eval_node(compile_expression(text))


def _outcome(value: Any) -> Any:
    return U if isinstance(value, Unknown) else value


# ---------------------------------------------------------------- three-valued logic

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kleene or / and / not
        ("t or u", True), ("u or t", True), ("f or u", U), ("u or f", U), ("f or f", False),
        ("f and u", False), ("u and f", False), ("t and u", U), ("u and t", U), ("t and t", True),
        ("not u", U), ("not f", True),
        # arithmetic and comparison propagate unknown
        ("u + 1", U), ("n - u", U), ("u * 0", U), ("u <= n", U), ("n == u", U), ("u == u", U),
        ("1 < n < u", U), ("n < 5 < u", False),  # a false link decides a chain
        ("u if t else 1", U), ("1 if u else 1", U), ("1 if f else 2", 2),
        # containers
        ("u in (1, 2)", U), ("1 in (1, u)", True), ("3 in (1, u)", U), ("3 in (1, 2)", False),
        ("plan[3]", U), ("plan[0].x", 1), ("plan[0].y", U), ("plan[0].z", U), ("u[0]", U),
        # arithmetic that cannot be made is unknown, not an exception
        ("n / 0", U), ("n + 'a'", U), ("n < 'a'", U), ("-'a'", U),
        # strict functions take unknown in, give unknown out; known() and same_names see it
        ("len(u)", U), ("add_years(u, 1)", U), ("known(u)", False), ("known(n)", True),
        ("max(n, u)", U), ("max(n, 3)", 10), ("min((4, 2, 9))", 2),
        # exact numbers: float literals and / are fractions
        ("0.1 + 0.2 == 0.3", True), ("40000000 * 1.15 == 46000000", True), ("n / 4", Fraction(5, 2)),
    ],
)
def test_three_valued_logic(text: str, expected: Any) -> None:
    assert _outcome(_eval(text)) == expected


def test_unknown_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(Unknown())


def test_unknown_keeps_the_reasons_of_both_sides() -> None:
    value = _eval("u + v", v=Unknown.because("v was doubtful", "input"))
    assert [r.text for r in value.reasons] == ["u was not read", "v was doubtful"]


def test_a_missing_list_element_names_the_list() -> None:
    assert [r.text for r in _eval("plan[5]").reasons] == ["計画[5]がありません"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("融資額 {yen(n * 2000000)}", "融資額 20,000,000円"),
        ("{pct(growth(100, 112))} < {pct(0.15, 0)}", "12.0% < 15%"),
        ("値 {u} / {yen(u)}", "値 不明 / 不明"),
        ("{d}", "2024-02-29"),
        ("{n:,}", "10"),
    ],
)
def test_message_templates(template: str, expected: str) -> None:
    scope = {"u": Unknown(), "n": 10, "d": date(2024, 2, 29)}
    assert Evaluator(scope, FUNCTIONS).render(compile_template(template)) == expected


# ---------------------------------------------------------------- functions

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add_years(d, 1)", date(2025, 2, 28)),
        ("add_years(d, 4)", date(2028, 2, 29)),
        ("add_months(as_date, 1)", date(2024, 2, 29)),
        ("add_months(as_date, -2)", date(2023, 11, 30)),
        ("add_days(d, 1)", date(2024, 3, 1)),
        ("months_between(end, as_of)", 15),
        ("months_between(end, add_days(as_of, -1))", 14),
        ("months_between(as_of, end)", -15),
        ("growth(100, 115)", Fraction(15, 100)),
        ("growth(0, 115)", U),
        ("growth(-5, 115)", U),
        ("contains('福井県 福井市', '福井県福井市')", True),
        ("contains('設備資金', '運転')", False),
        ("contains(n, '運転')", U),
        ("starts_with_any('〒920-8577 石川県金沢市', ['石川県'])", True),
        ("starts_with_any('鯖江市', '福井市')", False),
        ("first_of('東京都港区福井県人会', ['福井県', '東京都'])", "東京都"),
        ("first_of('本町1-1', ['福井県'])", U),
        ("same_names(['株式会社 福井精密', '(株)福井精密', '㈱福井精密', '福井精密株式会社 様'], affixes)", True),
        ("same_names(['株式会社福井精密', '株式会社福井製作所'], affixes)", False),
        ("same_names(['株式会社福井精密', u, '株式会社福井製作所'], affixes)", False),
        ("same_names(['株式会社福井精密', u], affixes)", U),
        ("same_names(['株式会社福井精密'], affixes)", U),
        ("match_keywords('金属製品製造業', table).limit", 300),
        ("match_keywords('情報通信業', table)", U),
        ("column(table, 'limit')", [100, 300]),
        ("join(['a', u])", "a、不明"),
        ("yen(15000000)", "15,000,000円"),
        ("yen('a')", U),
    ],
)
def test_functions(text: str, expected: Any) -> None:
    names = {
        "as_date": date(2024, 1, 31), "end": date(2023, 3, 31), "as_of": date(2024, 6, 30),
        "affixes": ["株式会社", "(株)", "様"],
        "table": [{"name": "卸売業", "keywords": ["卸売"], "limit": 100},
                  {"name": "製造業", "keywords": ["製造"], "limit": 300}],
    }
    assert _outcome(_eval(text, **names)) == expected


# ---------------------------------------------------------------- plans: years by label, growth within n years

def _plan(*labels: str) -> Items:
    return Items([Record({"year": label, "v": 100 + k}, label=f"計画[{k}]") for k, label in enumerate(labels)],
                 label="計画")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plan_year: by the labels' own year count, by fiscal years from the base, else by position
        ("plan_year(p6, 3).year", "3年目"),
        ("plan_year(p35, 3).year", "3年目"), ("plan_year(p35, 5).year", "5年目"), ("plan_year(p35, 1)", U),
        ("plan_year(p35, 6)", U),
        ("plan_year(fy, 2).year", "令和7年度"), ("plan_year(fy, 1)", U),
        ("plan_year(western, 1).year", "2025年3月期"),
        ("plan_year(unlabelled, 1).year", "見込"), ("plan_year(unlabelled, 2)", U),
        ("plan_year(u, 1)", U),
        # reaches: true as soon as one known year within n reaches the rate; Kleene otherwise
        ("reaches([100, 105, 110], 3, 0.09)", True),
        ("reaches([100, 105, 106, 120], 2, 0.09)", False),
        ("reaches([100, u, 110], 3, 0.09)", True),
        ("reaches([100, u, 105], 2, 0.09)", U),
        ("reaches([100, 105], 3, 0.09)", U),  # the plan ends before year 3
        ("reaches([u, 200], 1, 0.09)", U), ("reaches([0, 200], 1, 0.09)", U), ("reaches([-5, 200], 1, 0.09)", U),
        ("reaches([100, plan_year(p35, 1), plan_year(p35, 2), 108], 3, 0.09)", False),  # not planned: skipped
        ("best_growth([100, 104, 112, u], 3)", Fraction(12, 100)),
        ("best_growth([100, u], 1)", U),
        # helpers for texts and routes
        ("first_known(u, 2, 3)", 2), ("first_known(u)", U),
        ("contains_any('IoT機器のリース料', ['クラウド', 'リース'])", True),
        ("contains_any('原材料の仕入', ['クラウド'])", False), ("contains_any(u, ['a'])", U),
        ("known_text('運転資金', u, 'クラウド利用料')", "運転資金 クラウド利用料"), ("known_text(u)", U),
        ("which(['a', 'b', 'c'], [t, u, f])", ["a"]),
    ],
)
def test_plan_functions(text: str, expected: Any) -> None:
    names = {
        "p6": _plan("基準年度", "1年目", "2年目", "3年目", "4年目", "5年目"),
        "p35": _plan("基準年度", "3年目", "5年目"),
        "fy": _plan("令和5年度（実績）", "令和7年度"),
        "western": _plan("2024年3月期", "2025年3月期"),
        "unlabelled": _plan("実績", "見込"),
    }
    assert _outcome(_eval(text, **names)) == expected


def test_a_plan_year_left_out_is_not_a_reason_to_doubt() -> None:
    names = {"p35": _plan("基準年度", "3年目", "5年目")}
    assert _eval("plan_year(p35, 1)", **names).reasons[0].kind == "absent"
    assert _eval("plan_year(p35, 6)", **names).reasons[0].text == "計画に6年目の列がありません"


# ---------------------------------------------------------------- a fixture program

FIXTURE = """
program:
  id: fixture-dated
  name: 試験用の制度
  issuer: test
  source: {file: fixture.txt, title: 試験用の要綱}
  editions:
    - {edition: "2019-04-01", effective_from: 2019-04-01, reference: 附則}
    - {edition: "2020-04-01", effective_from: 2020-04-01, effective_to: 2021-03-31, reference: 附則}
sections:
  附則: "この要綱は施行する"
  第3条: "融資限度額"
documents:
  loan_application: {label: 融資申込書}
fields:
  loan_amount: {label: 融資額, type: int}
parameters:
  loan_limit:
    label: 融資限度額
    values:
      - {from: 2019-04-01, value: 15000000, reference: 第3条}
      - {from: 2020-04-01, value: 20000000, reference: 第3条}
requirements:
  - {id: loan_application, document_type: loan_application, label: 融資申込書, reference: 第3条}
checks:
  - id: loan_cap
    label: 融資限度額
    reference: 第3条
    inputs:
      loan_amount: loan_application.loan_amount
    condition: loan_amount <= loan_limit
    fail: "融資額 {yen(loan_amount)} が限度額 {yen(loan_limit)} を超えています"
    pass: "融資額 {yen(loan_amount)} は限度額 {yen(loan_limit)} 以内です"
"""


def _write_fixture(directory: Path, text: str = FIXTURE, name: str = "fixture-dated") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def programs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(engine.PROGRAMS_PATH_ENV, str(tmp_path))
    return tmp_path


def _loan(amount: Any, confidence: float = 0.99) -> list[Document]:
    field = Field(value=amount, confidence=confidence, page=2, bbox=(10, 20, 30, 40), source="ocr", raw="2,000万円")
    return [Document(type="loan_application", file="scan0001.pdf", pages=[1, 2], text_source="ocr",
                     confidence=0.9, fields={"loan_amount": field})]


FILES = [FileEntry(file="scan0001.pdf", sha256=None, pages=2, status="ok")]


@pytest.mark.parametrize(
    ("as_of", "edition", "status", "limit", "edition_check"),
    [
        (date(2019, 6, 1), "2019-04-01", "fail", 15000000, None),
        (date(2020, 3, 31), "2019-04-01", "fail", 15000000, None),
        (date(2020, 4, 1), "2020-04-01", "pass", 20000000, None),
        (date(2019, 1, 1), "2019-04-01", "fail", 15000000, "最初の版 2019-04-01"),
        (date(2021, 4, 1), "2020-04-01", "pass", 20000000, "適用期間（2021-03-31 まで）の後"),
    ],
    ids=["first-edition", "day-before-switch", "second-edition", "before-every-edition", "after-last-edition"],
)
def test_edition_and_parameters_follow_the_date(programs_dir: Path, as_of: date, edition: str, status: str,
                                                limit: int, edition_check: str | None) -> None:
    _write_fixture(programs_dir)
    result = evaluate(load_program("fixture-dated"), _loan(18000000), FILES, as_of)
    checks = {c.id: c for c in result.checks}
    assert result.edition == edition
    assert checks["loan_cap"].status == status
    assert checks["loan_cap"].inputs["loan_limit"] == {"value": limit, "reference": "第3条"}
    if edition_check is None:
        assert "edition" not in checks
    else:
        assert checks["edition"].status == "review" and edition_check in checks["edition"].message


def test_list_programs_finds_packaged_and_extra_programs(programs_dir: Path) -> None:
    _write_fixture(programs_dir)
    infos = {p.id: p for p in list_programs()}
    assert {"fukui-iot-ai", "fixture-dated"} <= set(infos)
    assert infos["fixture-dated"].editions == ["2019-04-01", "2020-04-01"]
    assert infos["fixture-dated"].rules == 1
    assert infos["fukui-iot-ai"].source == "001_cb97b60ca62a61e4.txt"


def test_unknown_program_raises(programs_dir: Path) -> None:
    with pytest.raises(UnknownProgram) as info:
        load_program("no-such-program")
    assert isinstance(info.value, ValueError)
    assert info.value.program_id == "no-such-program" and "fukui-iot-ai" in str(info.value)


# ---------------------------------------------------------------- malformed rule files

@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        ("reference: 第3条\n    inputs", "reference: 第99条\n    inputs", ["check 'loan_cap'", "第99条"]),
        ("condition: loan_amount <= loan_limit", "condition: loan_amout <= loan_limit",
         ["check 'loan_cap'", "loan_amout"]),
        ("condition: loan_amount <= loan_limit", "condition: loan_amount <=", ["check 'loan_cap'", "syntax"]),
        ("condition: loan_amount <= loan_limit", "condition: loan_amount <= cap(loan_limit)",
         ["check 'loan_cap'", "cap"]),
        ("condition: loan_amount <= loan_limit", "condition: loan_amount.__class__", ["check 'loan_cap'", "__class__"]),
        ("loan_amount: loan_application.loan_amount", "loan_amount: loan_application.amount",
         ["check 'loan_cap'", "amount"]),
        ("loan_amount: loan_application.loan_amount", "loan_amount: loan_application[latest].loan_amount",
         ["check 'loan_cap'", "order_by"]),
        ('    pass: "融資額', '    passed: "融資額', ["check 'loan_cap'", "pass"]),
        ("  - id: loan_cap\n", "  - id: loan_cap\n    applies: [\"3\"]\n", ["check 'loan_cap'", "tracks"]),
        ("fail: \"融資額 {yen(loan_amount)}", "fail: \"融資額 {yen(loan_amout)}", ["check 'loan_cap'", "loan_amout"]),
        ("{from: 2020-04-01, value: 20000000", "{from: 2019-04-01, value: 20000000",
         ["parameter 'loan_limit'", "same date"]),
        ("document_type: loan_application", "document_type: loan_form", ["requirement 'loan_application'"]),
        ("checks:\n", ("checks:\n  - id: loan_cap\n    label: x\n    reference: 第3条\n    condition: 'True'\n"
                       "    fail: x\n    pass: x\n"), ["check 'loan_cap'", "twice"]),
        ("  附則: \"この要綱は施行する\"", "  附則: [\"", ["not valid YAML", "line"]),
    ],
    ids=["unknown-reference", "unknown-name", "syntax-error", "unknown-function", "dunder-attribute",
         "unknown-field", "latest-without-order", "misspelt-key", "unknown-track", "unknown-name-in-message",
         "parameter-date-twice", "unknown-document-type", "duplicate-check-id", "broken-yaml"],
)
def test_malformed_rule_file_fails_naming_file_and_rule(programs_dir: Path, old: str, new: str,
                                                        names: list[str]) -> None:
    assert old in FIXTURE, old
    _write_fixture(programs_dir, FIXTURE.replace(old, new, 1))
    with pytest.raises(RuleFileError) as info:
        load_program("fixture-dated")
    message = str(info.value)
    assert "fixture-dated.yaml" in message
    for name in names:
        assert name in message, message


def test_program_id_must_match_file_name(programs_dir: Path) -> None:
    _write_fixture(programs_dir, FIXTURE, name="other-name")
    with pytest.raises(RuleFileError, match="does not match"):
        load_program("other-name")


# ---------------------------------------------------------------- evidence

def test_inputs_carry_their_evidence(programs_dir: Path) -> None:
    _write_fixture(programs_dir)
    result = evaluate(load_program("fixture-dated"), _loan(18000000), FILES, date(2019, 6, 1))
    check = result.checks[0]
    assert check.message == "融資額 18,000,000円 が限度額 15,000,000円 を超えています"
    assert check.inputs["loan_amount"] == {
        "value": 18000000, "document": 0, "type": "loan_application", "field": "loan_amount",
        "file": "scan0001.pdf", "page": 2, "bbox": [10, 20, 30, 40], "source": "ocr", "confidence": 0.99,
    }


@pytest.mark.parametrize(
    ("documents", "expected_input", "message"),
    [
        ([], {"value": None, "missing": True, "type": "loan_application", "field": "loan_amount"},
         "融資申込書がありません"),
        (_loan(18000000, confidence=0.55), {"below_min_confidence": True, "confidence": 0.55},
         "融資申込書 p.2 の融資額の読み取り信頼度 0.55 が基準 0.80 未満"),
        (_loan("2千万"), {"unexpected_type": True}, "融資申込書 p.2 の融資額の値の形式が想定と異なります"),
        (_loan(None), {"value": None, "missing": True}, "融資申込書の融資額が読み取れていません"),
    ],
    ids=["no-document", "low-confidence", "wrong-type", "empty-value"],
)
def test_a_doubtful_input_is_a_review_naming_it(programs_dir: Path, documents: list[Document],
                                                 expected_input: dict[str, Any], message: str) -> None:
    _write_fixture(programs_dir)
    result = evaluate(load_program("fixture-dated"), documents, FILES, date(2019, 6, 1))
    check = result.checks[0]
    assert check.status == "review" and check.message == message
    assert expected_input.items() <= check.inputs["loan_amount"].items()


def test_evaluation_serialises_to_json() -> None:
    plan = [{"operating_profit": 10, "personnel_cost": 30, "depreciation": 5, "non_operating_expenses": 1}] * 6
    docs = [Document(type="income_expenditure_plan", file="a.pdf", pages=[1], text_source="text", confidence=1.0,
                     fields={"plan_years": Field(value=plan, confidence=1.0, page=1, bbox=(0, 0, 0, 0),
                                                 source="text")})]
    result = evaluate(load_program("fukui-iot-ai"), docs, [], date(2024, 6, 1))
    data = result.model_dump(mode="json")
    rates = {c["id"]: c["inputs"].get("rate") for c in data["checks"]}
    assert rates["plan_value_added_growth"] == {"value": 0, "computed": "growth(base, final)"}


def test_no_document_text_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    docs = [Document(type="loan_application", file="a.pdf", pages=[1], text_source="text", confidence=1.0,
                     fields={"applicant_name": Field(value="株式会社秘密商事", confidence=1.0, page=1,
                                                     bbox=(0, 0, 0, 0), source="text")})]
    with caplog.at_level(logging.DEBUG):
        evaluate(load_program("fukui-iot-ai"), docs, [], date(2024, 6, 1))
    assert "秘密商事" not in caplog.text


def test_checks_never_import_extractors() -> None:
    for path in (Path(__file__).resolve().parent.parent / "checks").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.split(".")[0] == "extractors"], path.name


def test_an_engine_error_in_one_check_is_a_review(programs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_fixture(programs_dir)

    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "_run_check", broken)
    result = evaluate(load_program("fixture-dated"), _loan(10000000), FILES, date(2019, 6, 1))
    assert [(c.id, c.status) for c in result.checks] == [("loan_cap", "review")]
    assert "RuntimeError" in result.checks[0].message and result.verdict == "review"


# -- several documents of one type ----------------------------------------------------------------------

def _doc(doc_type: str, confidence: float = 0.95, **values: object) -> "Document":
    from pipeline.model import Document, Field

    return Document(type=doc_type, file="x.pdf", pages=[1], text_source="text", confidence=confidence,
                    fields={k: Field(value=v, confidence=0.95, page=1, bbox=(0, 0, 1, 1), source="text")
                            for k, v in values.items()})


def _status(documents: list, check_id: str) -> str:
    from datetime import date

    from checks.engine import evaluate, load_program

    ev = evaluate(load_program("fukui-iot-ai"), documents, [], date(2024, 6, 1))
    return next(c.status for c in ev.checks if c.id == check_id)


def test_two_certificates_that_disagree_make_review_not_pass() -> None:
    docs = [_doc("tax_certificate_prefectural", has_arrears=False),
            _doc("tax_certificate_prefectural", has_arrears=True)]
    assert _status(docs, "no_tax_arrears_prefectural") == "review"


def test_two_certificates_that_agree_pass() -> None:
    docs = [_doc("tax_certificate_prefectural", has_arrears=False),
            _doc("tax_certificate_prefectural", confidence=0.8, has_arrears=False)]
    assert _status(docs, "no_tax_arrears_prefectural") == "pass"


def test_a_statement_submitted_twice_is_one_period_not_a_gap() -> None:
    from datetime import date

    latest = dict(period_start=date(2023, 4, 1), period_end=date(2024, 3, 31))
    prior = dict(period_start=date(2022, 4, 1), period_end=date(2023, 3, 31))
    docs = [_doc("financial_statements", **latest), _doc("financial_statements", **latest),
            _doc("financial_statements", **prior)]
    assert _status(docs, "latest_two_periods") == "pass"
    assert _status(docs[:2], "latest_two_periods") == "review"  # one period twice: the prior is absent
