"""Japanese labels a clerk reads in the terminal summary."""

from __future__ import annotations

DOCUMENT_LABELS: dict[str, str] = {
    "loan_application": "融資申込書・借入申込書",
    "tax_certificate_prefectural": "県税の納税証明書（滞納がないこと）",
    "tax_certificate_consumption": "消費税及地方消費税の納税証明書",
    "financial_statements": "決算書",
    "subsidy_decision_notice": "補助金交付決定通知書",
    "approved_plan": "認定を受けた事業計画書",
    "business_plan": "事業計画書 [様式第2号]",
    "funding_evidence": "資金需要を証する書類（見積書等）",
    "income_expenditure_plan": "収支計画書 [様式第4号]",
    "opinion_letter": "意見書 [様式第3号]",
    "plan_approval_application": "事業計画承認申請書 [様式第5号]",
    "expert_support_certificate": "IoT専門家の支援を受けたことを証する書類",
    "unknown": "種類不明の書類",
}

VERDICT_LABELS: dict[str, str] = {
    "eligible": "適格（要件を満たしています）",
    "ineligible": "不適格（満たしていない要件があります）",
    "incomplete": "書類不足（必要書類がそろっていません）",
    "review": "要確認（担当者の確認が必要です）",
}

STATUS_LABELS: dict[str, str] = {
    "pass": "適合",
    "fail": "不適合",
    "review": "要確認",
    "not_applicable": "対象外",
    "present": "あり",
    "missing": "不足",
    "unreadable": "読取不可",
    "ok": "読取済",
    "unsupported": "対象外の形式",
}


def document_label(doc_type: str | None) -> str:
    if doc_type is None:
        return "区分により必要となる書類"
    return DOCUMENT_LABELS.get(doc_type, doc_type)
