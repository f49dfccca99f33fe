"""The readable Japanese summary of a report, for a clerk at a terminal or in ``summary.txt``."""

from __future__ import annotations

from typing import Any

from pipeline.labels import STATUS_LABELS, VERDICT_LABELS, document_label
from pipeline.model import CheckResult, Report


def _fmt_value(value: Any) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return f"[{len(value)}件]"
    return str(value)


def _fmt_input(name: str, item: Any) -> str:
    if not isinstance(item, dict):
        return f"{name} = {_fmt_value(item)}"
    if item.get("missing") or ("value" in item and item.get("value") is None and "file" not in item):
        return f"{name}: 読み取れませんでした"
    text = f"{name} = {_fmt_value(item.get('value'))}"
    if "file" in item:
        where = f"{item['file']} p.{item.get('page')}"
        bbox = item.get("bbox")
        if bbox:
            where += " [" + ", ".join(f"{v:.0f}" for v in bbox) + "]"
        src = {"text": "テキスト層", "ocr": "OCR"}.get(str(item.get("source")), str(item.get("source")))
        conf = item.get("confidence")
        conf_s = f" 信頼度 {conf:.2f}" if isinstance(conf, (int, float)) else ""
        text += f"  ({where}, {src}{conf_s})"
    elif "reference" in item:
        text += f"  ({item['reference']})"
    return text


def _check_lines(check: CheckResult) -> list[str]:
    mark = {"fail": "✗", "review": "?"}.get(check.status, "·")
    lines = [f"  {mark} [{STATUS_LABELS[check.status]}] {check.label}（{check.reference}）",
             f"      {check.message}"]
    for name, item in check.inputs.items():
        lines.append(f"      - {_fmt_input(name, item)}")
    return lines


def render_summary(report: Report, verbose: bool = False) -> str:
    """Verdict, bad files, missing documents with their 要綱 item, and each failing or review check."""
    out: list[str] = []
    track = f"（{report.track}）" if report.track else "判定できず"
    out.append(f"審査結果: {report.packet}")
    out.append(f"  制度: {report.program}（{report.edition} 版） 基準日: {report.as_of.isoformat()}")
    out.append(f"  判定: {VERDICT_LABELS[report.verdict]}")
    if report.track or any(c.id == "track" for c in report.checks):  # only programs with tracks
        out.append(f"  融資対象者の区分: {track}")
    bad = [f for f in report.files if f.status != "ok"]
    out.append(f"  ファイル: {len(report.files)}件（読み取れないもの {len(bad)}件） 書類: {len(report.documents)}件")
    for f in bad:
        out.append(f"    ✗ {f.file}: {STATUS_LABELS[f.status]} — {f.error or ''}")
    unknown = [d for d in report.documents if d.type == "unknown"]
    for d in unknown:
        out.append(f"    ? {d.file} p.{','.join(map(str, d.pages))}: 種類を判別できませんでした")
    missing = [r for r in report.requirements if r.status != "present"]
    if missing:
        out.append("不足している書類:")
        for r in missing:
            out.append(f"  ✗ {r.label}（{r.reference}） — {STATUS_LABELS[r.status]}"
                       f"  [{document_label(r.document_type)}]")
    shown = [c for c in report.checks if verbose or c.status in ("fail", "review")]
    if shown:
        out.append("確認結果（不適合・要確認）:" if not verbose else "確認結果:")
        for c in shown:
            out.extend(_check_lines(c))
    counts: dict[str, int] = {}
    for c in report.checks:
        counts[c.status] = counts.get(c.status, 0) + 1
    out.append("チェック: " + "  ".join(f"{STATUS_LABELS[k]} {v}" for k, v in sorted(counts.items())))
    return "\n".join(out) + "\n"
