"""Generate the sample packets of 福井県 IoT・AI等導入支援資金 and 日本政策金融公庫 IoT活用融資, and their
expected results.

    python -m samples.generate [--out samples]

writes ``OUT/packets/<packet>/`` (or ``OUT/packets/<packet>.zip``) and ``OUT/expected/<packet>.json``.
Every packet is an eligible baseline (福井: track 1 or 2; JFC: one route of ※4) changed in ONE way; its
expected verdict, check statuses and field values are computed here from the ground truth (``samples.docs``),
never by running the pipeline. The output is deterministic: the same bytes on every run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import random
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from samples.docs import (Company, Jfc, JfcPlan, Loan, PacketTruth, Period, Quote, Style, Subsidy, TaxCert,
                          build_jfc_plan, build_periods, build_plan)
from samples.layouts import forms, jfc, statements
from samples.layouts.pen import GOTHIC, MINCHO, Pen, fiscal_year_label

log = logging.getLogger(__name__)

PROGRAM = "fukui-iot-ai"
AS_OF = date(2024, 6, 1)
LOAN_LIMIT = 15_000_000  # 要綱 3
MAX_TERM_MONTHS = 60  # 要綱 4
MAX_GRACE_MONTHS = 6  # 要綱 4
STATEMENT_FRESHNESS_MONTHS = 15  # the reading of 直近 (要綱 9(3)) the rule file uses
SME_LIMITS = {  # 中小企業基本法 第2条: capital, employees
    "製造業": (300_000_000, 300), "建設業": (300_000_000, 300), "運輸業": (300_000_000, 300),
    "卸売業": (100_000_000, 100), "サービス業": (50_000_000, 100), "小売業": (50_000_000, 50),
}
CHECK_IDS = ("track", "sme", "in_prefecture", "years_in_business", "plan_value_added_growth",
             "plan_ordinary_profit_growth", "loan_limit", "loan_limit_subsidy", "loan_term", "grace_period",
             "use_of_funds", "no_tax_arrears_prefectural", "no_tax_arrears_consumption", "latest_two_periods",
             "names_consistent")
REQUIRED = {  # 要綱 9: document type → count, per track
    "1": {"loan_application": 1, "tax_certificate_prefectural": 1, "tax_certificate_consumption": 1,
          "financial_statements": 2, "subsidy_decision_notice": 1, "approved_plan": 1, "business_plan": 1,
          "funding_evidence": 1, "income_expenditure_plan": 1},
    "2": {"loan_application": 1, "tax_certificate_prefectural": 1, "tax_certificate_consumption": 1,
          "financial_statements": 2, "business_plan": 1, "funding_evidence": 1, "opinion_letter": 1,
          "income_expenditure_plan": 1, "plan_approval_application": 1},
}

# ---------------------------------------------------------------- the applicants

COMPANIES: dict[str, Company] = {
    "seimitsu": Company(
        name="株式会社福井精密工業", cert_name="(株)福井精密工業", representative="代表取締役　山田　一郎",
        address="福井県福井市二の宮四丁目25番8号", capital=30_000_000, employees=48, industry="製造業",
        business="金属製品製造（精密部品の切削加工）", business_start=date(2006, 4, 10), founded=date(2006, 4, 10),
        fy_end_month=3, manufacturing=True, construction=False, sales_base=420_000_000,
        bank="株式会社福井銀行　本店営業部", pref_tax_office="福井県税事務所", tax_office="福井税務署",
        phone="0776-22-4180"),
    "logitec": Company(
        name="株式会社越前ロジテック", cert_name="(株)越前ロジテック", representative="代表取締役　前田　健二",
        address="福井県越前市家久町38番地2", capital=20_000_000, employees=35, industry="卸売業",
        business="機械器具卸売（産業用機器の販売・保守）", business_start=date(1998, 7, 1), founded=date(1998, 7, 1),
        fy_end_month=3, manufacturing=False, construction=False, sales_base=610_000_000,
        bank="株式会社福邦銀行　武生支店", pref_tax_office="丹南県税事務所", tax_office="武生税務署",
        phone="0778-23-5512"),
    "wakasa": Company(
        name="有限会社若狭フーズ", cert_name="(有)若狭フーズ", representative="代表取締役　小林　美穂",
        address="福井県小浜市駅前町13番10号", capital=5_000_000, employees=22, industry="製造業",
        business="食料品製造（水産加工品）", business_start=date(2001, 10, 1), founded=date(2001, 10, 1),
        fy_end_month=9, manufacturing=True, construction=False, sales_base=160_000_000,
        bank="福井信用金庫　小浜支店", pref_tax_office="若狭県税事務所", tax_office="小浜税務署",
        phone="0770-52-3307"),
    "takefu": Company(
        name="株式会社たけふ建設", cert_name="(株)たけふ建設", representative="代表取締役社長　中村　浩",
        address="福井県越前市高瀬二丁目7番15号", capital=40_000_000, employees=60, industry="建設業",
        business="総合工事（土木・建築）", business_start=date(1985, 5, 20), founded=date(1985, 1, 1),
        fy_end_month=12, manufacturing=False, construction=True, sales_base=780_000_000,
        bank="株式会社北陸銀行　武生支店", pref_tax_office="丹南県税事務所", tax_office="武生税務署",
        phone="0778-22-8801"),
    "awara": Company(
        name="株式会社あわらオートサービス", cert_name="(株)あわらオートサービス", representative="代表取締役　林　直樹",
        address="福井県あわら市市姫三丁目5番1号", capital=10_000_000, employees=18, industry="サービス業",
        business="自動車整備業（車検・一般整備）", business_start=date(2010, 2, 15), founded=date(2010, 4, 1),
        fy_end_month=3, manufacturing=False, construction=False, sales_base=150_000_000,
        bank="株式会社福井銀行　芦原支店", pref_tax_office="福井県税事務所", tax_office="三国税務署",
        phone="0776-73-2205"),
}

EQUIPMENT: dict[str, tuple[str, tuple[tuple[str, int, str, int], ...]]] = {  # 導入設備, accessories (品名, 数量, 単位, 単価)
    "seimitsu": ("IoT対応CNC複合旋盤および稼働監視システム",
                 (("稼働監視センサーユニット", 4, "式", 280_000), ("データ収集ゲートウェイ", 1, "台", 450_000),
                  ("据付・試運転調整費", 1, "式", 600_000))),
    "logitec": ("在庫管理用IoTセンサーおよびAI需要予測システム",
                (("RFIDリーダー", 6, "台", 185_000), ("クラウド接続設定費", 1, "式", 320_000),
                 ("導入研修費", 1, "式", 150_000))),
    "wakasa": ("AI画像検査装置付き自動計量包装機",
               (("温度・湿度IoTセンサー", 8, "個", 42_000), ("生産管理端末", 2, "台", 230_000),
                ("据付・試運転調整費", 1, "式", 480_000))),
    "takefu": ("ICT建機（3Dマシンコントロール油圧ショベル）",
               (("GNSS基地局", 1, "式", 1_350_000), ("3次元設計データ作成ソフト", 1, "式", 680_000),
                ("操作講習費", 1, "式", 220_000))),
    "awara": ("IoT対応車両診断装置および整備管理システム",
              (("診断用通信アダプター", 3, "台", 95_000), ("整備管理タブレット", 4, "台", 78_000),
               ("設定・操作指導費", 1, "式", 180_000))),
}
MAIN_ITEM = {"seimitsu": ("IoT対応CNC複合旋盤 MX-2000", "台"), "logitec": ("AI需要予測システム一式", "式"),
             "wakasa": ("AI画像検査付き自動計量包装機 WP-500", "台"),
             "takefu": ("3DMC油圧ショベル 0.45m3級", "台"), "awara": ("IoT車両診断装置 DX-7", "台")}


def _seed(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def _quote(key: str, loan: Loan, track: str) -> Quote:
    """A vendor's 御見積書 whose 税抜小計 covers the loan (track 1: the subsidy project's whole cost)."""
    accessories = EQUIPMENT[key][1]
    target = max(14_500_000, loan.amount * 105 // 100) if track == "1" else loan.amount * 105 // 100
    target = -(-target // 10_000) * 10_000
    rest = sum(q * p for _, q, _, p in accessories)
    main, unit = MAIN_ITEM[key]
    return Quote(vendor="北陸メカトロ販売株式会社", vendor_address="石川県金沢市駅西本町二丁目4番12号",
                 number=f"Q-2024-{_seed(key) % 9000 + 1000}", issue_date=date(2024, 4, 15),
                 items=((main, 1, unit, target - rest),) + accessories)


def _subsidy(key: str, quote: Quote) -> Subsidy:
    eligible = quote.subtotal
    return Subsidy(doc_no=f"新産第{_seed(key) % 900 + 100}号", decision_date=date(2023, 9, 15),
                   applied_date=date(2023, 8, 1), approved_date=date(2023, 7, 20),
                   project_name=f"IoTを活用した{COMPANIES[key].business.split('（')[0]}の生産性向上事業",
                   project_cost=quote.total, eligible_cost=eligible, amount=eligible // 3 // 1000 * 1000)


def _style(name: str, **overrides: Any) -> Style:
    """Variants drawn from the packet's name (deterministic), then the packet's own choices."""
    rng = random.Random(_seed(name))
    style = Style(
        wareki=rng.random() < 0.5,
        unit=rng.choice((1, 1000)),
        spaced_titles=rng.random() < 0.4,
        title_sep=rng.choice((" ", "　")),
        fullwidth=rng.random() < 0.3,
        two_column_pl=rng.random() < 0.4,
        neg_mark=rng.choice(("△", "▲")),
        loss_label=rng.random() < 0.5,
        older_loss=rng.random() < 0.25,
        amount_label=rng.choice(("融資申込額", "借入申込額", "申込金額")),
        employees_label=rng.choice(("従業員数", "常時使用する従業員")),
        start_label=rng.choice(("創業年月日", "設立年月日")),
        money_style=rng.choice(("yen", "yen", "man", "sen")),
        term_in_years=rng.random() < 0.35,
        months_word=rng.choice(("か月", "ヶ月", "カ月")),
        statements_one_file=rng.random() < 0.4,
        consumption_form=rng.choice(("sono3_3", "sono1")),
        plan_growth_rows=rng.random() < 0.4,
        nil_dash=rng.random() < 0.3,
        note_marks=rng.random() < 0.3,
        gothic=rng.random() < 0.5,
    )
    return replace(style, **overrides)


def baseline(name: str, why: str, company: str, track: str, style: dict[str, Any] | None = None,
             loan: dict[str, Any] | None = None, as_of: date = AS_OF, fys: tuple[int, ...] = (2021, 2022, 2023),
             plan: tuple[float, float, float | None] = (0.20, 0.10, None), **changes: Any) -> PacketTruth:
    """An eligible packet of ``company`` on ``track``, with the given changes."""
    st = _style(name, **(style or {}))
    c = COMPANIES[company]
    c = replace(c, **changes.pop("company_changes", {}))
    ln = Loan(amount=10_000_000 if track == "1" else 12_000_000, term_months=60, grace_months=6,
              use_of_funds="設備資金", equipment=EQUIPMENT[company][0], application_date=date(2024, 5, 20))
    ln = replace(ln, **(loan or {}))
    seed = _seed(name)
    rng = random.Random(seed)
    periods = build_periods(c, fys, st.unit, rng, loss_fy=fys[-2] if st.older_loss else None)
    quote = _quote(company, ln, track)
    truth = PacketTruth(
        name=name, why=why, track=track, as_of=as_of, company=c, loan=ln, periods=periods,
        plan=build_plan(periods[-1], 2023, st.unit, *plan), subsidy=_subsidy(company, quote),
        pref_cert=TaxCert(issue_date=date(2024, 5, 10)), consumption_cert=TaxCert(issue_date=date(2024, 5, 13)),
        quote=quote, style=st, seed=seed)
    return replace(truth, **changes)


def packets() -> list[PacketTruth]:
    """The sample packets: each an eligible baseline changed in one way (file-name schemes rotate)."""
    schemes = ("scan", "doc", "img")
    return [replace(t, style=replace(t.style, names=schemes[i % 3])) for i, t in enumerate(_packets())]


def _packets() -> list[PacketTruth]:
    """The catalogue: the 福井県 packets, then the JFC ones."""
    return _fukui_packets() + _jfc_packets()


def _fukui_packets() -> list[PacketTruth]:
    """The 福井県 catalogue; ``why`` says in one line what differs from the eligible baseline."""
    arrears = TaxCert(issue_date=date(2024, 5, 10), has_arrears=True, arrears=(("法人事業税", 710_000),))
    c_arrears = TaxCert(issue_date=date(2024, 5, 13), has_arrears=True, arrears=(("消費税及地方消費税", 1_620_000),))
    return [
        baseline("fukui-t1-eligible", "track 1 baseline: every check passes (円, 西暦)", "awara", "1",
                 style={"unit": 1, "wareki": False, "spaced_titles": False, "two_column_pl": False}),
        baseline("fukui-t2-eligible", "track 2 baseline: every check passes (千円, 和暦, spaced titles)",
                 "logitec", "2", style={"unit": 1000, "wareki": True, "spaced_titles": True, "title_sep": " "}),
        baseline("fukui-t2-eligible-manufacturing",
                 "track 2 manufacturer: 労務費 and 減価償却費 of the 製造原価報告書 are part of 付加価値額", "seimitsu",
                 "2", style={"unit": 1, "two_column_pl": True, "older_loss": True}),
        baseline("fukui-t2-value-added-short", "the plan's 付加価値額 grows 12% in 5 years (< 15%)", "wakasa", "2",
                 style={"unit": 1000, "wareki": True}, plan=(0.12, 0.10, None)),
        baseline("fukui-t2-ordinary-profit-short",
                 "経常利益 by the 要綱 (営業利益−営業外費用) grows 2% (< 5%); accounting's (with 営業外収益) grows 12%",
                 "takefu", "2", style={"unit": 1, "wareki": False, "plan_growth_rows": True},
                 plan=(0.20, 0.02, 0.12)),
        baseline("fukui-t1-over-subsidy-gap", "loan 12,000,000 > 補助事業に要する経費 − 交付決定額", "seimitsu", "1",
                 loan={"amount": 12_000_000}, style={"unit": 1000}),
        baseline("fukui-over-limit", "loan 20,000,000 > 融資限度額 15,000,000", "logitec", "2",
                 loan={"amount": 20_000_000}, style={"money_style": "man"}),
        baseline("fukui-term-too-long", "融資期間 84 months > 5 years", "takefu", "2",
                 loan={"term_months": 84}, style={"term_in_years": False}),
        baseline("fukui-grace-too-long", "据置期間 12 months > 6 months", "wakasa", "1",
                 loan={"grace_months": 12}),
        baseline("fukui-working-capital", "資金使途 運転資金, not 設備資金", "awara", "2",
                 loan={"use_of_funds": "運転資金", "equipment": "原材料および商品の仕入資金"}),
        baseline("fukui-tax-arrears", "the 県税 certificate shows 滞納額 710,000 (no no-arrears statement)",
                 "seimitsu", "1", pref_cert=arrears),
        baseline("fukui-consumption-tax-arrears", "the 消費税 certificate (その1) shows 未納税額 1,620,000",
                 "logitec", "1", consumption_cert=c_arrears, style={"consumption_form": "sono1"}),
        baseline("fukui-not-sme", "製造業 with 資本金 5億円 and 500 employees: not a 中小企業者", "seimitsu", "2",
                 company_changes={"capital": 500_000_000, "employees": 500}, style={"money_style": "yen"}),
        baseline("fukui-too-young", "設立 2023-12-01: less than 1 year in business on 2024-06-01", "awara", "1",
                 company_changes={"business_start": date(2023, 12, 1)}, style={"start_label": "設立年月日"}),
        baseline("fukui-stale-statements", "latest 決算書 ended 2022-03-31: not 直近 on 2024-06-01", "logitec", "1",
                 fys=(2019, 2020, 2021)),
        baseline("fukui-missing-consumption-cert", "no 消費税 納税証明書 in the packet", "wakasa", "2",
                 omit=frozenset({"tax_certificate_consumption"})),
        baseline("fukui-missing-one-statement", "only one 決算書 (the latest) in the packet", "takefu", "1",
                 omit=frozenset({"statement_older"}), style={"statements_one_file": False}),
        baseline("fukui-t2-missing-opinion", "track 2 without the 意見書 様式第3号", "awara", "2",
                 omit=frozenset({"opinion_letter"})),
        baseline("fukui-t1-missing-approved-plan", "track 1 without the approved 事業計画書", "seimitsu", "1",
                 omit=frozenset({"approved_plan"})),
        baseline("fukui-bad-files", "complete eligible packet plus an empty file, a text file named .pdf, "
                 "an encrypted PDF and a truncated PDF", "logitec", "2", bad_files=True),
        baseline("fukui-single-pdf", "the whole eligible packet scanned into one PDF", "wakasa", "1",
                 layout="single"),
        baseline("fukui-zip", "an eligible packet as a .zip; the certificates print the name as (株)…", "takefu",
                 "2", layout="zip", style={"short_names_on_certs": True}),
    ]


INTENT: dict[str, tuple[str, dict[str, str]]] = {  # verdict, and the checks that differ from "pass"
    "fukui-t2-value-added-short": ("ineligible", {"plan_value_added_growth": "fail"}),
    "fukui-t2-ordinary-profit-short": ("ineligible", {"plan_ordinary_profit_growth": "fail"}),
    "fukui-t1-over-subsidy-gap": ("ineligible", {"loan_limit_subsidy": "fail"}),
    "fukui-over-limit": ("ineligible", {"loan_limit": "fail"}),
    "fukui-term-too-long": ("ineligible", {"loan_term": "fail"}),
    "fukui-grace-too-long": ("ineligible", {"grace_period": "fail"}),
    "fukui-working-capital": ("ineligible", {"use_of_funds": "fail"}),
    "fukui-tax-arrears": ("ineligible", {"no_tax_arrears_prefectural": "fail"}),
    "fukui-consumption-tax-arrears": ("ineligible", {"no_tax_arrears_consumption": "fail"}),
    "fukui-not-sme": ("ineligible", {"sme": "fail"}),
    "fukui-too-young": ("ineligible", {"years_in_business": "fail"}),
    "fukui-stale-statements": ("ineligible", {"latest_two_periods": "fail"}),
    "fukui-missing-consumption-cert": ("incomplete", {"no_tax_arrears_consumption": "review"}),
    "fukui-missing-one-statement": ("incomplete", {"latest_two_periods": "review"}),
    "fukui-t2-missing-opinion": ("incomplete", {}),
    "fukui-t1-missing-approved-plan": ("incomplete", {}),
}

# ---------------------------------------------------------------- 日本政策金融公庫 IoT活用融資 (jfc-iot)

JFC_PROGRAM = "jfc-iot"
JFC_CHECK_IDS = ("sme", "expert_support", "plan_growth", "loan_limit", "loan_term", "use_of_funds",
                 "working_capital", "names_consistent")
JFC_REQUIRED = {  # the rule file's assumed document list (the leaflet lists none)
    "loan_application": 1, "financial_statements": 2, "expert_support_certificate": 1, "business_plan": 1,
    "funding_evidence": 1,
}
JFC_PROGRAMMES = ("スマートものづくり応援隊", "戦略的CIO育成支援事業", "ミラサポ専門家派遣", "スマートSMEサポーター")  # ※2
JFC_LIMITS = {"中小企業事業": 720_000_000, "国民生活事業": 72_000_000}  # 貸付限度額
JFC_MAX_TERM_MONTHS, JFC_MAX_WORKING_TERM_MONTHS = 240, 84  # 貸付期間
JFC_RATES = {"va3": Fraction(9, 100), "va5": Fraction(15, 100), "op3": Fraction(3, 100), "op5": Fraction(5, 100)}
LAND_WORDS = ("土地", "用地", "敷地", "借地権")  # 資金使途: 土地に係る資金を除く
WORKING_KINDS = ("貸借", "賃借", "リース", "レンタル", "クラウド", "人材教育", "人材育成", "教育", "研修", "診断", "助言",
                 "指導", "コンサル")  # ※3's four kinds, by the words the rule file looks for
JFC_ISSUERS = {"スマートものづくり応援隊": "公益財団法人あいち産業振興機構", "戦略的CIO育成支援事業": "独立行政法人中小企業基盤整備機構",
               "ミラサポ専門家派遣": "専門家派遣事業事務局", "スマートSMEサポーター": "株式会社せとうちITサポート"}

COMPANIES.update({
    "chubu": Company(
        name="株式会社中部精機", cert_name="(株)中部精機", representative="代表取締役　伊藤　誠司",
        address="愛知県名古屋市中川区富田町千音寺二丁目10番地", capital=50_000_000, employees=120, industry="製造業",
        business="金属製品製造（航空機部品の精密切削加工）", business_start=date(1998, 4, 1), founded=date(1998, 4, 1),
        fy_end_month=3, manufacturing=True, construction=False, sales_base=2_400_000_000, bank="", pref_tax_office="",
        tax_office="", phone="052-301-4455"),
    "naniwa": Company(
        name="株式会社なにわデータサービス", cert_name="(株)なにわデータサービス", representative="代表取締役　大西　由美",
        address="大阪府大阪市西区靱本町一丁目8番2号", capital=10_000_000, employees=28, industry="サービス業",
        business="情報処理サービス（受託計算・データ入力）", business_start=date(2012, 6, 1), founded=date(2012, 1, 1),
        fy_end_month=12, manufacturing=False, construction=False, sales_base=320_000_000, bank="", pref_tax_office="",
        tax_office="", phone="06-6441-2390"),
    "chikugo": Company(
        name="有限会社筑後フーズ", cert_name="(有)筑後フーズ", representative="代表取締役　古賀　健一",
        address="福岡県久留米市東合川五丁目3番12号", capital=3_000_000, employees=18, industry="製造業",
        business="食料品製造（漬物・惣菜）", business_start=date(2003, 10, 1), founded=date(2003, 10, 1),
        fy_end_month=9, manufacturing=True, construction=False, sales_base=180_000_000, bank="", pref_tax_office="",
        tax_office="", phone="0942-43-1177"),
    "michinoku": Company(
        name="株式会社みちのく物流", cert_name="(株)みちのく物流", representative="代表取締役社長　佐藤　隆",
        address="宮城県仙台市宮城野区扇町四丁目1番25号", capital=30_000_000, employees=95, industry="運輸業",
        business="一般貨物自動車運送業（倉庫業を含む）", business_start=date(1991, 5, 1), founded=date(1991, 4, 1),
        fy_end_month=3, manufacturing=False, construction=False, sales_base=1_500_000_000, bank="",
        pref_tax_office="", tax_office="", phone="022-258-6610"),
})
EQUIPMENT.update({
    "chubu": ("IoT対応5軸マシニングセンタおよび稼働監視システム",
              (("稼働監視センサーユニット", 6, "式", 320_000), ("データ収集サーバー", 1, "台", 850_000),
               ("据付・試運転調整費", 1, "式", 900_000))),
    "naniwa": ("クラウド連携型AI-OCRシステムおよびネットワーク機器",
               (("ネットワーク機器一式", 1, "式", 680_000), ("業務端末", 10, "台", 120_000), ("導入設定費", 1, "式", 450_000))),
    "chikugo": ("IoT温度管理システム付き自動漬込装置",
                (("無線温度センサー", 12, "個", 38_000), ("監視用タブレット", 2, "台", 95_000),
                 ("据付・試運転調整費", 1, "式", 380_000))),
    "michinoku": ("IoT対応自動倉庫および車両動態管理システム",
                  (("車載通信端末", 40, "台", 65_000), ("動態管理サーバー", 1, "式", 1_200_000),
                   ("据付・調整費", 1, "式", 1_500_000))),
})
MAIN_ITEM.update({"chubu": ("5軸マシニングセンタ VX-500", "台"), "naniwa": ("AI-OCRシステム一式", "式"),
                  "chikugo": ("自動漬込装置 TK-300", "台"), "michinoku": ("自動倉庫システム AS-40", "式")})
DETAILS = {"chubu": "IoT対応5軸マシニングセンタおよび稼働監視システムの購入",
           "naniwa": "AI-OCRシステムおよびネットワーク機器の購入",
           "chikugo": "IoT温度管理システム付き自動漬込装置の購入",
           "michinoku": "IoT対応自動倉庫および車両動態管理システムの導入"}

# ※4 routes: growth of 付加価値額 and 経常利益 in years 1–5, and the head count's factor in years 0–5
SLOW = (0.01, 0.02, 0.03, 0.04, 0.05)
FLAT = (1.0,) * 6
ROUTES: dict[str, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]] = {
    "va3": ((0.01, 0.03, 0.10, 0.11, 0.13), (0.005, 0.01, 0.015, 0.02, 0.025), (1, 1.03, 1.06, 1.12, 1.15, 1.19)),
    "va5": ((0.02, 0.04, 0.06, 0.10, 0.16), (0.005, 0.01, 0.015, 0.02, 0.025), (1, 1.02, 1.04, 1.06, 1.10, 1.14)),
    "pva3": ((0.01, 0.02, 0.05, 0.07, 0.09), (0.005, 0.01, 0.015, 0.02, 0.025), (1, 0.97, 0.95, 0.93, 0.95, 0.96)),
    "op3": (SLOW, (0.01, 0.02, 0.035, 0.04, 0.045), FLAT),
    "op5": (SLOW, (0.005, 0.01, 0.02, 0.03, 0.055), FLAT),
    "short": (SLOW, (0.005, 0.01, 0.015, 0.02, 0.025), FLAT),
}


def jfc_baseline(name: str, why: str, company: str, unit: str, programme: str = "スマートものづくり応援隊",
                 route: str = "va3", columns: tuple[int, ...] = (0, 1, 2, 3, 4, 5), heads: bool = True,
                 loan: dict[str, Any] | None = None, detail: str | None = None, style: dict[str, Any] | None = None,
                 **changes: Any) -> PacketTruth:
    """An eligible JFC packet of ``company`` (business unit ``unit``) meeting ※4 by ``route``, with changes."""
    st = _style(name, **(style or {}))
    c = replace(COMPANIES[company], **changes.pop("company_changes", {}))
    ln = Loan(amount=50_000_000 if unit == "中小企業事業" else 30_000_000, term_months=120, grace_months=12,
              use_of_funds="設備資金", equipment=EQUIPMENT[company][0], application_date=date(2024, 5, 20))
    ln = replace(ln, **(loan or {}))
    seed = _seed(name)
    fys = (2021, 2022, 2023)
    periods = build_periods(c, fys, st.unit, random.Random(seed), loss_fy=fys[-2] if st.older_loss else None)
    quote = _quote(company, ln, "2")
    va, ordinary, head_factors = ROUTES[route]
    application = Jfc(business_unit=unit, programme=programme,
                      expert_issuer=JFC_ISSUERS.get(programme, f"{c.address[:3]}よろず支援拠点"),
                      funds_detail=detail or DETAILS[company],
                      plan=build_jfc_plan(periods[-1], fys[-1], c.employees, va, ordinary, head_factors, columns, heads))
    truth = PacketTruth(
        name=name, why=why, track=None, as_of=AS_OF, company=c, loan=ln, periods=periods,
        plan=build_plan(periods[-1], fys[-1], st.unit, 0.2, 0.1), subsidy=_subsidy(company, quote),
        pref_cert=TaxCert(issue_date=date(2024, 5, 10)), consumption_cert=TaxCert(issue_date=date(2024, 5, 13)),
        quote=quote, style=st, seed=seed, program=JFC_PROGRAM, jfc=application)
    return replace(truth, **changes)


def _jfc_packets() -> list[PacketTruth]:
    """The JFC catalogue: each ※4 route alone, then one failure (or missing document) per packet."""
    short = (0, 3, 5)
    return [
        jfc_baseline("jfc-va3-eligible", "※4 by 付加価値額 +10% within 3 years only (中小企業事業, 応援隊)", "chubu",
                     "中小企業事業", route="va3"),
        jfc_baseline("jfc-va5-eligible", "※4 by 付加価値額 +16% within 5 years only; plan printed as 基準・3年目・5年目",
                     "michinoku", "中小企業事業", programme="戦略的CIO育成支援事業", route="va5", columns=short),
        jfc_baseline("jfc-per-head-eligible", "※4 by 一人当たり付加価値額 only: head count 28 → 26 in year 3 (国民生活事業, ミラサポ)",
                     "naniwa", "国民生活事業", programme="ミラサポ専門家派遣", route="pva3"),
        jfc_baseline("jfc-op3-eligible", "※4 by 経常利益 +3.5% within 3 years only (国民生活事業, SMEサポーター)",
                     "chikugo", "国民生活事業", programme="スマートSMEサポーター", route="op3"),
        jfc_baseline("jfc-op5-eligible", "※4 by 経常利益 +5.5% within 5 years only; 20-year term; 基準・3年目・5年目",
                     "chubu", "中小企業事業", route="op5", columns=short, loan={"amount": 120_000_000,
                                                                                "term_months": 240}),
        jfc_baseline("jfc-plan-short", "no route of ※4: 付加価値額 +5%, 経常利益 +2.5%, head count flat", "michinoku",
                     "中小企業事業", route="short", loan={"amount": 60_000_000}),
        jfc_baseline("jfc-plan-no-headcount", "付加価値額 and 経常利益 short and no head counts: 一人当たり cannot be judged",
                     "naniwa", "国民生活事業", programme="スマートSMEサポーター", route="short", heads=False,
                     loan={"amount": 25_000_000}),
        jfc_baseline("jfc-missing-expert", "no evidence of the expert advice in the packet", "chikugo", "国民生活事業",
                     omit=frozenset({"expert_support_certificate"})),
        jfc_baseline("jfc-expert-not-listed", "the advice came from よろず支援拠点, not one of the four experts of ※2",
                     "naniwa", "国民生活事業", programme="よろず支援拠点(経営相談)"),
        jfc_baseline("jfc-kokumin-over-limit", "国民生活事業 loan 80,000,000 > 72,000,000", "chikugo", "国民生活事業",
                     programme="ミラサポ専門家派遣", loan={"amount": 80_000_000}),
        jfc_baseline("jfc-chusho-large-loan", "中小企業事業 loan 300,000,000: over 国民生活事業's limit, within its own",
                     "chubu", "中小企業事業", programme="戦略的CIO育成支援事業", loan={"amount": 300_000_000,
                                                                                       "term_months": 180}),
        jfc_baseline("jfc-chusho-over-limit", "中小企業事業 loan 800,000,000 > 720,000,000", "michinoku", "中小企業事業",
                     loan={"amount": 800_000_000, "term_months": 180}),
        jfc_baseline("jfc-land", "設備資金 that includes 土地 (新工場用地の取得)", "chubu", "中小企業事業",
                     detail="新工場用地の取得およびIoT対応5軸マシニングセンタの購入"),
        jfc_baseline("jfc-working-capital-cloud", "運転資金 for クラウド (※3 (ロ)), 5 years", "naniwa", "国民生活事業",
                     programme="ミラサポ専門家派遣", loan={"use_of_funds": "運転資金", "term_months": 60, "grace_months": 6,
                                                           "amount": 8_000_000},
                     detail="クラウドサービスの利用料および運用費用"),
        jfc_baseline("jfc-working-capital-purchase", "運転資金 for 原材料の仕入: not one of ※3's four kinds", "chikugo",
                     "国民生活事業", loan={"use_of_funds": "運転資金", "term_months": 60, "grace_months": 6,
                                           "amount": 10_000_000},
                     detail="原材料の仕入資金"),
        jfc_baseline("jfc-term-too-long", "設備資金 for 25 years > 20 years", "michinoku", "中小企業事業",
                     loan={"term_months": 300}, style={"term_in_years": True}),
        jfc_baseline("jfc-not-sme", "製造業 with 資本金 5億円 and 500 employees: not a 中小企業", "chubu", "中小企業事業",
                     company_changes={"capital": 500_000_000, "employees": 500}, style={"money_style": "yen"}),
        jfc_baseline("jfc-single-pdf", "the whole eligible packet in one PDF", "naniwa", "国民生活事業",
                     programme="スマートSMEサポーター", route="op3", layout="single"),
    ]


JFC_INTENT: dict[str, tuple[str, dict[str, str]]] = {
    "jfc-plan-short": ("ineligible", {"plan_growth": "fail"}),
    "jfc-plan-no-headcount": ("review", {"plan_growth": "review"}),
    "jfc-missing-expert": ("incomplete", {"expert_support": "review"}),
    "jfc-expert-not-listed": ("ineligible", {"expert_support": "fail"}),
    "jfc-kokumin-over-limit": ("ineligible", {"loan_limit": "fail"}),
    "jfc-chusho-over-limit": ("ineligible", {"loan_limit": "fail"}),
    "jfc-land": ("ineligible", {"use_of_funds": "fail"}),
    "jfc-working-capital-purchase": ("ineligible", {"working_capital": "fail"}),
    "jfc-term-too-long": ("ineligible", {"loan_term": "fail"}),
    "jfc-not-sme": ("ineligible", {"sme": "fail"}),
}
INTENT.update(JFC_INTENT)
JFC_ROUTE_INTENT = {"jfc-va3-eligible": {"va3"}, "jfc-va5-eligible": {"va5"}, "jfc-per-head-eligible": {"pva3"},
                    "jfc-op3-eligible": {"op3"}, "jfc-op5-eligible": {"op5"}}


def jfc_documents(t: PacketTruth) -> list[DocSpec]:
    specs = [
        DocSpec("loan_application", "loan_application", jfc.loan_application),
        DocSpec("statement_latest", "financial_statements", _statement(len(t.periods) - 1)),
        DocSpec("statement_older", "financial_statements", _statement(len(t.periods) - 2)),
        DocSpec("expert_support_certificate", "expert_support_certificate", jfc.expert_support_certificate),
        DocSpec("business_plan", "business_plan", jfc.business_plan),
        DocSpec("funding_evidence", "funding_evidence", forms.funding_evidence),
    ]
    return [s for s in specs if s.key not in t.omit]


def jfc_routes(plan: JfcPlan) -> dict[str, bool | None]:
    """Each route of ※4 on the printed plan: True met, False not met, None not decidable.

    A route within n years is met when a printed year 1..n reaches the rate over the base year; it is
    undecidable when the plan stops before year n (or, per head, when no head counts are printed).
    """
    years = plan.printed
    last = max(y.offset for y in years)

    def route(value: Callable[[Any], Fraction], n: int, rate: Fraction) -> bool | None:
        base = value(years[0])
        if base <= 0:
            return None
        if any(value(y) / base - 1 >= rate for y in years[1:] if y.offset <= n):
            return True
        return None if last < n else False

    def va(y: Any) -> Fraction:
        return Fraction(y.value_added)

    def op(y: Any) -> Fraction:
        return Fraction(y.ordinary)

    def pva(y: Any) -> Fraction:
        return Fraction(y.value_added, y.employees)

    out = {"va3": route(va, 3, JFC_RATES["va3"]), "va5": route(va, 5, JFC_RATES["va5"]),
           "op3": route(op, 3, JFC_RATES["op3"]), "op5": route(op, 5, JFC_RATES["op5"]),
           "pva3": None, "pva5": None}
    if plan.heads:
        out["pva3"], out["pva5"] = route(pva, 3, JFC_RATES["va3"]), route(pva, 5, JFC_RATES["va5"])
    return out


def jfc_expected_checks(t: PacketTruth) -> dict[str, str]:
    """Each JFC check's status from the ground truth."""
    have = present_types(t)
    c, ln, j = t.company, t.loan, t.jfc
    assert j is not None

    def ok(cond: bool) -> str:
        return "pass" if cond else "fail"

    out: dict[str, str] = {}
    cap_lim, emp_lim = SME_LIMITS[c.industry]
    out["sme"] = ok(c.capital <= cap_lim or c.employees <= emp_lim)
    out["expert_support"] = ok(j.programme in JFC_PROGRAMMES) if have.get("expert_support_certificate") else "review"
    if not have.get("business_plan"):
        out["plan_growth"] = "review"
    else:
        routes = jfc_routes(j.plan).values()
        out["plan_growth"] = "pass" if True in routes else "review" if None in routes else "fail"
    out["loan_limit"] = ok(ln.amount <= JFC_LIMITS[j.business_unit])
    working = "運転" in ln.use_of_funds
    out["loan_term"] = ok(ln.term_months <= (JFC_MAX_WORKING_TERM_MONTHS if working else JFC_MAX_TERM_MONTHS))
    out["use_of_funds"] = ok(not any(w in j.funds_detail for w in LAND_WORDS))
    if not working or any(w in j.funds_detail for w in WORKING_KINDS):
        out["working_capital"] = "pass"
    else:
        out["working_capital"] = "fail"  # every sample's other working capital names one of the words that fail
    out["names_consistent"] = "pass" if have.get("loan_application") else "review"
    return {k: out[k] for k in JFC_CHECK_IDS}


def jfc_expected_fields(t: PacketTruth) -> dict[str, Any]:
    c, ln, j = t.company, t.loan, t.jfc
    assert j is not None
    have = present_types(t)
    plan_years = []
    labels = jfc._year_labels(t, j.plan.columns)
    for label, y in zip(labels, j.plan.printed):
        entry: dict[str, Any] = {
            "year": label, "sales": y.sales, "operating_profit": y.operating, "personnel_cost": y.personnel,
            "depreciation": y.depreciation, "value_added": y.value_added, "non_operating_expenses": None,
            "ordinary_profit": y.ordinary}
        if j.plan.heads:
            entry.update(value_added_per_head=y.value_added // y.employees // 1000 * 1000, employees=y.employees)
        entry["value_added_consistent"] = True
        plan_years.append(entry)
    fields: dict[str, Any] = {
        "loan_application": {
            "applicant_name": c.name, "address": c.address, "capital": c.capital, "employees": c.employees,
            "industry": c.industry, "business_start_date": c.business_start.isoformat(), "loan_amount": ln.amount,
            "loan_term_months": ln.term_months, "grace_months": ln.grace_months,
            "use_of_funds": "運転資金" if "運転" in ln.use_of_funds else "設備資金", "business_unit": j.business_unit,
            "funds_detail": j.funds_detail,
        },
        "financial_statements": [_statement_fields(t, p) for p in t.statements],
        "business_plan": {"applicant_name": c.name, "plan_years": plan_years},
        "funding_evidence": {"total_amount": t.quote.total},
    }
    if have.get("expert_support_certificate"):
        fields["expert_support_certificate"] = {"programme": j.programme, "recipient_name": c.name}
    return fields


# ---------------------------------------------------------------- documents of a packet

Renderer = Callable[[Pen, PacketTruth], None]


@dataclass(frozen=True)
class DocSpec:
    key: str  # unique within the packet
    type: str  # contract document type
    render: Renderer


def _statement(index: int) -> Renderer:
    return lambda pen, t: statements.financial_statements(pen, t, index)


def documents(t: PacketTruth) -> list[DocSpec]:
    """The documents the packet holds, in a clerk's natural order."""
    if t.program == JFC_PROGRAM:
        return jfc_documents(t)
    specs = [
        DocSpec("loan_application", "loan_application", forms.loan_application),
        DocSpec("tax_certificate_prefectural", "tax_certificate_prefectural", forms.tax_certificate_prefectural),
        DocSpec("tax_certificate_consumption", "tax_certificate_consumption", forms.tax_certificate_consumption),
        DocSpec("statement_latest", "financial_statements", _statement(len(t.periods) - 1)),
        DocSpec("statement_older", "financial_statements", _statement(len(t.periods) - 2)),
    ]
    if t.track == "1":
        specs += [DocSpec("subsidy_decision_notice", "subsidy_decision_notice", forms.subsidy_decision_notice),
                  DocSpec("approved_plan", "approved_plan", forms.approved_plan)]
    specs += [DocSpec("business_plan", "business_plan", forms.business_plan),
              DocSpec("funding_evidence", "funding_evidence", forms.funding_evidence),
              DocSpec("income_expenditure_plan", "income_expenditure_plan", statements.income_expenditure_plan)]
    if t.track == "2":
        specs += [DocSpec("opinion_letter", "opinion_letter", forms.opinion_letter),
                  DocSpec("plan_approval_application", "plan_approval_application", forms.plan_approval_application)]
    return [s for s in specs if s.key not in t.omit]


def file_plan(t: PacketTruth) -> list[list[DocSpec]]:
    """Which documents go into which file, in file order (names are given later)."""
    docs = documents(t)
    if t.layout == "single":
        return [docs]
    groups: list[list[DocSpec]] = []
    stmts = [d for d in docs if d.type == "financial_statements"]
    for d in docs:
        if d.type == "financial_statements" and t.style.statements_one_file:
            if d is stmts[0]:
                groups.append(stmts)
            continue
        groups.append([d])
    random.Random(t.seed).shuffle(groups)
    return groups


def file_names(t: PacketTruth, n: int) -> list[str]:
    """Meaningless names, as a scanner or a phone makes them."""
    rng = random.Random(t.seed + 1)
    if t.style.names == "scan":
        first = rng.randint(1, 40)
        return [f"scan{first + i:04d}.pdf" for i in range(n)]
    if t.style.names == "doc":
        return [f"doc_{i + 1:02d}.pdf" for i in range(n)]
    stamps = sorted(rng.sample(range(90000, 180000), n))
    return [f"IMG_20240512_{s:06d}.pdf" for s in stamps]


# ---------------------------------------------------------------- PDF output


@contextlib.contextmanager
def _deterministic_encryption() -> Iterator[None]:
    """reportlab draws encryption keys from os.urandom unless rl_config.invariant was set at import;
    a fixed byte source keeps the encrypted sample identical between runs."""
    original = pdfencrypt.os_urandom
    pdfencrypt.os_urandom = lambda n: bytes((i * 37 + 11) % 256 for i in range(n))  # type: ignore[assignment]
    try:
        yield
    finally:
        pdfencrypt.os_urandom = original  # type: ignore[assignment]


def render_pdf(t: PacketTruth, docs: list[DocSpec], encrypt: str | None = None) -> tuple[bytes, list[list[int]]]:
    """One PDF holding ``docs`` in order; returns its bytes and each document's page numbers."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, encrypt=encrypt)
    canvas.setTitle("")
    canvas.setAuthor("")
    canvas.setCreator("")
    pen = Pen(canvas, fw=t.style.fullwidth, family=GOTHIC if t.style.gothic else MINCHO)
    pages: list[list[int]] = []
    for d in docs:
        first = pen.pages + 1
        pen.fw = t.style.fullwidth and d.type != "financial_statements" and d.type != "income_expenditure_plan" \
            and not (t.program == JFC_PROGRAM and d.type == "business_plan")  # a plan table prints 半角 digits
        d.render(pen, t)
        pages.append(list(range(first, pen.pages + 1)))
    pen.finish()
    with _deterministic_encryption() if encrypt else contextlib.nullcontext():
        canvas.save()
    return buf.getvalue(), pages


def _cover_letter(pen: Pen, t: PacketTruth) -> None:
    """A 送付状 (an unknown document type), used for the encrypted and truncated samples."""
    pen.new_page()
    pen.title("送付状", 90, 16)
    pen.text(60, 140, f"{t.company.name}　御中", 11)
    pen.text(60, 180, "下記の書類を送付いたします。ご査収のほどよろしくお願いいたします。", 10.5)


def bad_files(t: PacketTruth) -> dict[str, tuple[bytes, str]]:
    """The extra unreadable files of the bad-files packet: name → (bytes, expected status)."""
    letter = [DocSpec("cover", "unknown", _cover_letter)]
    encrypted, _ = render_pdf(t, letter, encrypt="pw")
    whole, _ = render_pdf(t, letter)
    return {
        "scan0090.pdf": (b"", "unreadable"),
        "scan0091.pdf": ("提出書類チェック済み。原本は後日郵送。\n".encode("utf-8"), "unsupported"),
        "scan0092.pdf": (encrypted, "unreadable"),
        "scan0093.pdf": (whole[: len(whole) // 8], "unreadable"),
    }


# ---------------------------------------------------------------- expected results


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"no day for {year}-{month}")


def present_types(t: PacketTruth) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in documents(t):
        counts[d.type] = counts.get(d.type, 0) + 1
    return counts


def missing_documents(t: PacketTruth) -> list[str]:
    have = present_types(t)
    required = JFC_REQUIRED if t.program == JFC_PROGRAM else REQUIRED[t.track or ""]
    return sorted(k for k, n in required.items() if have.get(k, 0) < n)


def expected_checks(t: PacketTruth) -> dict[str, str]:
    """Each check's status from the ground truth (a check whose input document is missing is review)."""
    if t.program == JFC_PROGRAM:
        return jfc_expected_checks(t)
    have = present_types(t)
    c, ln = t.company, t.loan

    def ok(cond: bool) -> str:
        return "pass" if cond else "fail"

    out: dict[str, str] = {"track": "pass"}
    cap_lim, emp_lim = SME_LIMITS[c.industry]
    out["sme"] = ok(c.capital <= cap_lim or c.employees <= emp_lim)
    out["in_prefecture"] = ok(c.address.startswith("福井県"))
    out["years_in_business"] = ok(c.business_start.replace(year=c.business_start.year + 1) <= t.as_of)
    if t.track != "2":
        out["plan_value_added_growth"] = out["plan_ordinary_profit_growth"] = "not_applicable"
    elif not have.get("income_expenditure_plan"):
        out["plan_value_added_growth"] = out["plan_ordinary_profit_growth"] = "review"
    else:
        base, fifth = t.plan.years[0], t.plan.years[5]
        out["plan_value_added_growth"] = ok(fifth.value_added >= base.value_added * 1.15)
        out["plan_ordinary_profit_growth"] = ok(fifth.ordinary_youkou >= base.ordinary_youkou * 1.05)
    out["loan_limit"] = ok(ln.amount <= LOAN_LIMIT)
    if t.track != "1":
        out["loan_limit_subsidy"] = "not_applicable"
    elif not have.get("subsidy_decision_notice"):
        out["loan_limit_subsidy"] = "review"
    else:
        out["loan_limit_subsidy"] = ok(ln.amount <= t.subsidy.project_cost - t.subsidy.amount)
    out["loan_term"] = ok(ln.term_months <= MAX_TERM_MONTHS)
    out["grace_period"] = ok(ln.grace_months <= MAX_GRACE_MONTHS)
    out["use_of_funds"] = ok("運転" not in ln.use_of_funds and "設備資金" in ln.use_of_funds)
    out["no_tax_arrears_prefectural"] = (ok(not t.pref_cert.has_arrears) if have.get("tax_certificate_prefectural")
                                         else "review")
    out["no_tax_arrears_consumption"] = (ok(not t.consumption_cert.has_arrears)
                                         if have.get("tax_certificate_consumption") else "review")
    stmts = t.statements
    if len(stmts) < 2:
        out["latest_two_periods"] = "review"
    else:
        prior, latest = stmts[-2], stmts[-1]
        fresh = _add_months(t.as_of, -STATEMENT_FRESHNESS_MONTHS) <= latest.end <= t.as_of
        out["latest_two_periods"] = ok(fresh and (latest.start - prior.end).days == 1)
    # names_consistent compares the applicant's name on every name-bearing document that is present
    # (loan application, certificates, statements, notice); it never fails, and it can only be judged
    # against the loan application. Every sample prints one name throughout.
    out["names_consistent"] = "pass" if have.get("loan_application") else "review"
    return {k: out[k] for k in CHECK_IDS}


def verdict(checks: dict[str, str], missing: list[str], unreadable_required: bool = False) -> str:
    """contract.md: ineligible > incomplete > review > eligible."""
    if "fail" in checks.values():
        return "ineligible"
    if missing or unreadable_required:
        return "incomplete"
    if "review" in checks.values():
        return "review"
    return "eligible"


def _statement_fields(t: PacketTruth, p: Period) -> dict[str, Any]:
    out: dict[str, Any] = {
        "company_name": t.company.name, "period_start": p.start.isoformat(), "period_end": p.end.isoformat(),
        "sales": p.sales, "operating_profit": p.operating, "non_operating_income": p.noi,
        "non_operating_expenses": p.noe, "ordinary_profit": p.ordinary, "depreciation": p.depreciation,
        "personnel_cost": p.personnel,
    }
    if t.style.two_column_pl:
        i = t.periods.index(p)
        q = t.periods[i - 1]
        out.update(prior_sales=q.sales, prior_operating_profit=q.operating, prior_non_operating_income=q.noi,
                   prior_non_operating_expenses=q.noe, prior_ordinary_profit=q.ordinary)
    return out


def expected_fields(t: PacketTruth) -> dict[str, Any]:
    if t.program == JFC_PROGRAM:
        return jfc_expected_fields(t)
    c, ln, s = t.company, t.loan, t.style
    have = present_types(t)
    cert_name = c.cert_name if s.short_names_on_certs else c.name
    fields: dict[str, Any] = {
        "loan_application": {
            "applicant_name": c.name, "address": c.address, "capital": c.capital, "employees": c.employees,
            "industry": c.industry, "business_start_date": c.business_start.isoformat(), "loan_amount": ln.amount,
            "loan_term_months": ln.term_months, "grace_months": ln.grace_months, "use_of_funds": ln.use_of_funds,
        },
        "financial_statements": [_statement_fields(t, p) for p in t.statements],
        "business_plan": {"applicant_name": c.name},
        "funding_evidence": {"total_amount": t.quote.total},
        "income_expenditure_plan": {"plan_years": [
            {"year": fiscal_year_label(y.fiscal_year, s.wareki), "sales": y.sales, "operating_profit": y.operating,
             "personnel_cost": y.personnel, "depreciation": y.depreciation, "value_added": y.value_added,
             "non_operating_expenses": y.noe, "ordinary_profit": t.plan.printed_ordinary(y),
             "value_added_consistent": True}  # the printed 付加価値額 is always 営業利益 + 人件費 + 減価償却費
            for y in t.plan.years]},
    }
    for key, cert in (("tax_certificate_prefectural", t.pref_cert), ("tax_certificate_consumption",
                                                                       t.consumption_cert)):
        if have.get(key):
            fields[key] = {"taxpayer_name": cert_name, "issue_date": cert.issue_date.isoformat(),
                           "has_arrears": cert.has_arrears}
    if have.get("subsidy_decision_notice"):
        sub = t.subsidy
        fields["subsidy_decision_notice"] = {
            "recipient_name": c.name, "decision_date": sub.decision_date.isoformat(),
            "project_name": sub.project_name, "project_cost": sub.project_cost, "subsidy_amount": sub.amount}
    for key in ("approved_plan", "opinion_letter", "plan_approval_application"):
        if have.get(key):
            fields[key] = {"applicant_name": c.name}
    return fields


# ---------------------------------------------------------------- writing a packet


def build_packet(t: PacketTruth) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The packet's files (name → bytes) and its expected result."""
    groups = file_plan(t)
    names = file_names(t, len(groups))
    files: dict[str, bytes] = {}
    statuses: dict[str, str] = {}
    placed: list[dict[str, Any]] = []
    for name, group in zip(names, groups):
        data, pages = render_pdf(t, group)
        files[name] = data
        statuses[name] = "ok"
        placed += [{"type": d.type, "file": name, "pages": p} for d, p in zip(group, pages)]
    if t.bad_files:
        for name, (data, status) in bad_files(t).items():
            files[name] = data
            statuses[name] = status
    checks = expected_checks(t)
    missing = missing_documents(t)
    expected = {
        "packet": t.name,
        "program": t.program,
        "as_of": t.as_of.isoformat(),
        "why": t.why,
        "verdict": verdict(checks, missing),
        "track": t.track,
        "missing_documents": missing,
        "checks": checks,
        "files": dict(sorted(statuses.items())),
        "documents": sorted(placed, key=lambda d: (d["file"], d["pages"])),
        "fields": expected_fields(t),
    }
    _assert_intent(t, expected)
    return files, expected


def _assert_intent(t: PacketTruth, expected: dict[str, Any]) -> None:
    """Guard against a generator bug: each packet differs from the eligible baseline as intended."""
    want_verdict, deviations = INTENT.get(t.name, ("eligible", {}))
    got = {k: v for k, v in expected["checks"].items() if v not in ("pass", "not_applicable")}
    if expected["verdict"] != want_verdict or got != deviations:
        raise AssertionError(f"packet {t.name}: verdict {expected['verdict']} and deviations {got}, "
                             f"intended {want_verdict} and {deviations}")
    if t.name in JFC_ROUTE_INTENT and t.jfc is not None:
        met = {k for k, v in jfc_routes(t.jfc.plan).items() if v}
        if met != JFC_ROUTE_INTENT[t.name]:
            raise AssertionError(f"packet {t.name}: ※4 routes met {sorted(met)}, "
                                 f"intended {sorted(JFC_ROUTE_INTENT[t.name])}")


_INT_LIST = re.compile(r"\[\n\s+(\d+(?:,\n\s+\d+)*)\n\s+\]")


def dump_expected(expected: dict[str, Any]) -> str:
    """Indented JSON with page lists kept on one line (``"pages": [1, 2, 3]``)."""
    text = json.dumps(expected, ensure_ascii=False, indent=2)
    return _INT_LIST.sub(lambda m: "[" + re.sub(r",\n\s+", ", ", m.group(1)) + "]", text) + "\n"


_ZIP_TIME = (2024, 5, 20, 9, 0, 0)


def write_packet(t: PacketTruth, out: Path) -> Path:
    """Write the packet under ``out/packets`` and its expected file under ``out/expected``."""
    files, expected = build_packet(t)
    packets_dir = out / "packets"
    folder = packets_dir / t.name
    archive = packets_dir / f"{t.name}.zip"
    shutil.rmtree(folder, ignore_errors=True)
    archive.unlink(missing_ok=True)
    if t.layout == "zip":
        packets_dir.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in sorted(files.items()):
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data)
        target = archive
    else:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        target = folder
    exp_dir = out / "expected"
    exp_dir.mkdir(parents=True, exist_ok=True)
    (exp_dir / f"{t.name}.json").write_text(dump_expected(expected), encoding="utf-8")
    log.info("wrote packet %s (%d files)", t.name, len(files))
    return target


def generate(out: Path, only: list[str] | None = None) -> list[Path]:
    """Write every sample packet (or those named in ``only``) under ``out``."""
    return [write_packet(t, out) for t in packets() if not only or t.name in only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder that receives packets/ and expected/ (default: the samples package)")
    parser.add_argument("packets", nargs="*", help="packet names to write (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    generate(args.out, args.packets or None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
