"""Three-valued expressions for rule files: simpleeval with Kleene logic and an ``Unknown`` value.

A rule file's conditions are small Python expressions (``loan_amount <= loan_limit``). Every value
that was not read, or was read below the check's confidence threshold, is an ``Unknown``; anything
computed from an ``Unknown`` is ``Unknown`` too, and the check ends in review — a check never passes
on a guess. Logic is Kleene's: ``a or b`` is true if either side is true, ``a and b`` false if either
side is false, whatever the other side is.

An ``Unknown`` carries its reasons (which input was missing or doubtful and where it was read) so
that a review message can say what the clerk must look at. Reasons come in three kinds: ``input``
(a value from a document), ``calc`` (a computation could not be made, e.g. a plan too short) and
``absent`` (a plan year the plan does not have although it goes further: not planned, so ``reaches``
passes over it).

Numbers stay exact: float literals and ``/`` become ``Fraction`` so ``x >= base * 1.15`` means what
the 要綱 says, not what binary floating point makes of it.
"""

from __future__ import annotations

import ast
import calendar
import operator as op
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Literal, NamedTuple

import simpleeval

__all__ = [
    "FUNCTIONS",
    "Evaluator",
    "ExpressionError",
    "Items",
    "Reason",
    "Record",
    "Unknown",
    "compile_expression",
    "compile_template",
    "names_used",
    "truth",
]

ReasonKind = Literal["input", "calc", "absent"]
UNKNOWN_TEXT = "不明"  # how an Unknown is written in a message


class ExpressionError(ValueError):
    """An expression in a rule file that cannot be compiled (syntax, forbidden construct)."""


class Reason(NamedTuple):
    kind: ReasonKind
    text: str


class Unknown:
    """A value that is not known; it has no truth value (use ``truth``)."""

    __slots__ = ("reasons",)

    def __init__(self, reasons: Iterable[Reason] = ()) -> None:
        self.reasons: tuple[Reason, ...] = tuple(dict.fromkeys(reasons))

    @classmethod
    def because(cls, text: str, kind: ReasonKind = "calc") -> Unknown:
        return cls((Reason(kind, text),))

    @classmethod
    def merge(cls, *values: Any) -> Unknown:
        return cls(r for v in values if isinstance(v, Unknown) for r in v.reasons)

    def __bool__(self) -> bool:
        raise TypeError("an Unknown has no truth value; use expr.truth()")

    def __repr__(self) -> str:
        return f"Unknown({[r.text for r in self.reasons]!r})"


class Items(list[Any]):
    """A list value read from a document, labelled so that a missing element can be named."""

    def __init__(self, values: Iterable[Any] = (), label: str = "") -> None:
        super().__init__(values)
        self.label = label


class Record(dict[str, Any]):
    """A row of a list value (one plan year), labelled like ``Items``."""

    def __init__(self, values: Mapping[str, Any], label: str = "") -> None:
        super().__init__(values)
        self.label = label


def truth(value: Any) -> bool | Unknown:
    """Kleene truth of a value: True, False or Unknown."""
    if isinstance(value, Unknown):
        return value
    return bool(value)


# ---------------------------------------------------------------- compiling

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.Name,
    ast.Load, ast.Constant, ast.Attribute, ast.Subscript, ast.List, ast.Tuple, ast.JoinedStr,
    ast.FormattedValue, ast.And, ast.Or, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod,
    ast.USub, ast.UAdd, ast.Not, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
)


def _check_nodes(tree: ast.AST, text: str) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"{type(node).__name__} is not allowed in {text!r}")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"attribute {node.attr!r} is not allowed in {text!r}")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.keywords):
            raise ExpressionError(f"only plain function calls f(a, b) are allowed in {text!r}")


def compile_expression(text: str) -> ast.expr:
    """Parse one expression of a rule file; raises ExpressionError naming the problem."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error in {text!r}: {exc.msg}") from None
    _check_nodes(tree, text)
    return tree.body


def compile_template(text: str) -> ast.expr:
    """Parse a message template: text with ``{expression}`` or ``{expression:format}`` parts."""
    try:
        tree = ast.parse("f" + repr(str(text)), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error in message {text!r}: {exc.msg}") from None
    _check_nodes(tree, text)
    return tree.body


def names_used(node: ast.AST) -> tuple[set[str], set[str]]:
    """(names read as values, functions called) in a compiled expression or template."""
    calls = [sub for sub in ast.walk(node) if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)]
    func_nodes = {id(call.func) for call in calls}
    names = {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and id(sub) not in func_nodes}
    return names, {call.func.id for call in calls}  # type: ignore[attr-defined]


# ---------------------------------------------------------------- evaluating

def _exact(value: Any) -> Any:
    if isinstance(value, float):
        return Fraction(repr(value))
    return value


def _div(a: Any, b: Any) -> Any:
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)) and not isinstance(a, bool):
        return Fraction(a) / Fraction(b)
    return op.truediv(a, b)


def _in(item: Any, container: Any) -> bool | Unknown:
    if isinstance(container, (list, tuple)):
        if item in [c for c in container if not isinstance(c, Unknown)]:
            return True
        unknown = [c for c in container if isinstance(c, Unknown)]
        return Unknown.merge(*unknown) if unknown else False
    return op.contains(container, item)


def _not_in(item: Any, container: Any) -> bool | Unknown:
    found = _in(item, container)
    return found if isinstance(found, Unknown) else not found


_OPERATORS: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Add: op.add, ast.Sub: op.sub, ast.Mult: op.mul, ast.Div: _div, ast.FloorDiv: op.floordiv,
    ast.Mod: op.mod, ast.Eq: op.eq, ast.NotEq: op.ne, ast.Gt: op.gt, ast.Lt: op.lt, ast.GtE: op.ge,
    ast.LtE: op.le, ast.USub: op.neg, ast.UAdd: op.pos, ast.In: _in, ast.NotIn: _not_in,
}
_CALC_ERRORS = (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError, OverflowError)


class Evaluator(simpleeval.EvalWithCompoundTypes):  # type: ignore[misc]
    """Evaluates compiled expressions with Kleene logic; never raises on a doubtful value.

    ``labels`` (field name → Japanese label) names a missing attribute in a reason
    (``収支計画書の計画[5]の営業利益がありません``).
    """

    def __init__(self, names: dict[str, Any], functions: Mapping[str, Callable[..., Any]],
                 labels: Mapping[str, str] | None = None) -> None:
        super().__init__(operators=dict(_OPERATORS), functions=dict(functions), names=names)
        self.labels: Mapping[str, str] = labels or {}

    def eval_node(self, node: ast.AST) -> Any:
        self.expr = ""
        return self._eval(node)

    def render(self, node: ast.AST) -> str:
        """Evaluate a compiled template to its text."""
        return str(self.eval_node(node))

    def _calc_unknown(self, node: ast.AST, what: str = "を計算できません") -> Unknown:
        return Unknown.because(f"{ast.unparse(node)} {what}")

    # -- leaves
    def _eval_constant(self, node: ast.Constant) -> Any:
        return _exact(node.value)

    # -- operators
    def _eval_unaryop(self, node: ast.UnaryOp) -> Any:
        value = self._eval(node.operand)
        if isinstance(value, Unknown):
            return value
        if isinstance(node.op, ast.Not):
            return not value
        try:
            return self.operators[type(node.op)](value)
        except _CALC_ERRORS:
            return self._calc_unknown(node)

    def _eval_binop(self, node: ast.BinOp) -> Any:
        left = self._eval(node.left)
        right = self._eval(node.right)
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown.merge(left, right)
        try:
            return self.operators[type(node.op)](left, right)
        except _CALC_ERRORS:
            return self._calc_unknown(node)

    def _eval_boolop(self, node: ast.BoolOp) -> Any:
        unknowns: list[Unknown] = []
        value: Any = None
        decisive = isinstance(node.op, ast.Or)  # `or` stops at a true value, `and` at a false one
        for sub in node.values:
            value = self._eval(sub)
            if isinstance(value, Unknown):
                unknowns.append(value)
            elif bool(value) is decisive:
                return value
        return Unknown.merge(*unknowns) if unknowns else value

    def _eval_compare(self, node: ast.Compare) -> Any:
        unknowns: list[Any] = []
        left = self._eval(node.left)
        for operation, comparator in zip(node.ops, node.comparators):
            right = self._eval(comparator)
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                unknowns += [left, right]
            else:
                try:
                    result = self.operators[type(operation)](left, right)
                except _CALC_ERRORS:
                    result = self._calc_unknown(node, "を比較できません")
                if isinstance(result, Unknown):
                    unknowns.append(result)
                elif not result:
                    return False
            left = right
        return Unknown.merge(*unknowns) if unknowns else True

    def _eval_ifexp(self, node: ast.IfExp) -> Any:
        test = truth(self._eval(node.test))
        if isinstance(test, Unknown):
            return test
        return self._eval(node.body) if test else self._eval(node.orelse)

    def _eval_call(self, node: ast.Call) -> Any:
        name = node.func.id  # type: ignore[attr-defined]  # compile_expression allows plain names only
        try:
            func = self.functions[name]
        except KeyError:
            raise simpleeval.FunctionNotDefined(name, self.expr) from None
        args = [self._eval(a) for a in node.args]
        try:
            return func(*args)
        except _CALC_ERRORS:
            return self._calc_unknown(node)

    # -- containers
    def _eval_subscript(self, node: ast.Subscript) -> Any:
        container = self._eval(node.value)
        key = self._eval(node.slice)
        if isinstance(container, Unknown) or isinstance(key, Unknown):
            return Unknown.merge(container, key)
        label = getattr(container, "label", "") or ast.unparse(node.value)
        try:
            item = container[key]
        except (IndexError, KeyError, TypeError):
            return Unknown.because(f"{label}[{key}]がありません")
        if item is None:
            return Unknown.because(f"{label}[{key}]が空欄です")
        return _exact(item)

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        obj = self._eval(node.value)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, dict):
            item = obj.get(node.attr)
            if item is None:
                label = getattr(obj, "label", "") or ast.unparse(node.value)
                return Unknown.because(f"{label}の{self.labels.get(node.attr, node.attr)}がありません")
            return _exact(item)
        if isinstance(obj, date) and node.attr in ("year", "month", "day"):
            return getattr(obj, node.attr)
        return self._calc_unknown(node, "を読めません")

    def _eval_formattedvalue(self, node: ast.FormattedValue) -> str:
        value = self._eval(node.value)
        if isinstance(value, Unknown):
            return UNKNOWN_TEXT
        spec = str(self._eval(node.format_spec)) if node.format_spec is not None else ""
        if isinstance(value, Fraction):
            value = float(value)
        try:
            return format(value, spec)
        except (TypeError, ValueError):
            return str(value)


# ---------------------------------------------------------------- functions

def _strict(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a function so that an Unknown argument makes the result Unknown."""

    def wrapper(*args: Any) -> Any:
        unknown = [a for a in args if isinstance(a, Unknown)]
        if unknown:
            return Unknown.merge(*unknown)
        return func(*args)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _need_date(value: Any) -> date:
    if not isinstance(value, date):
        raise TypeError("a date is needed")
    return value


def _need_int(value: Any) -> int:
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("an integer is needed")
    return value


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier if negative), clamped to the month's last day."""
    day, months = _need_date(day), _need_int(months)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * _need_int(years))


def add_days(day: date, days: int) -> date:
    return _need_date(day) + timedelta(days=_need_int(days))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``: the largest m with add_months(start, m) <= end."""
    start, end = _need_date(start), _need_date(end)
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    while months < 0 and add_months(start, months + 1) <= end:
        months += 1
    return months


def growth(base: Any, later: Any) -> Fraction | Unknown:
    """Relative growth ``later / base - 1``; Unknown when the base is zero or negative."""
    if base <= 0:
        return Unknown.because(f"基準値 {base:,} が0以下のため伸び率を計算できません")
    return Fraction(later) / Fraction(base) - 1


def _flatten(args: tuple[Any, ...]) -> list[Any]:
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return list(args[0])
    return list(args)


def _min(*args: Any) -> Any:
    values = _flatten(args)
    unknown = [v for v in values if isinstance(v, Unknown)]
    return Unknown.merge(*unknown) if unknown else min(values)


def _max(*args: Any) -> Any:
    values = _flatten(args)
    unknown = [v for v in values if isinstance(v, Unknown)]
    return Unknown.merge(*unknown) if unknown else max(values)


_SPACES = re.compile(r"\s+")
_POSTCODE = re.compile(r"^〒?\d{3}-?\d{4}")


def clean_text(text: Any) -> str:
    """NFKC, no spaces: the form in which rule files compare text read from documents."""
    if not isinstance(text, str):
        raise TypeError("text is needed")
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def contains(text: str, part: str) -> bool:
    return clean_text(part) in clean_text(text)


def _candidates(items: Any) -> list[str]:
    return [items] if isinstance(items, str) else list(items)


def starts_with_any(text: str, prefixes: Any) -> bool:
    """Does the text (a leading 〒 postcode skipped) start with one of the prefixes?"""
    body = _POSTCODE.sub("", clean_text(text))
    return any(body.startswith(clean_text(p)) for p in _candidates(prefixes))


def first_of(text: str, names: Any, what: str = "名称") -> str | Unknown:
    """The name (of ``names``) found earliest in the text; Unknown (``{what}が見つかりません``) if none."""
    body = clean_text(text)
    found = [(body.find(clean_text(n)), n) for n in _candidates(names) if clean_text(n) in body]
    if not found:
        return Unknown.because(f"{what}が見つかりません")
    return min(found, key=lambda pair: pair[0])[1]


def match_keywords(text: str, table: list[dict[str, Any]], what: str = "値") -> Any:
    """The first row of ``table`` one of whose ``keywords`` occurs in the text; Unknown if none."""
    body = clean_text(text)
    for row in table:
        if any(clean_text(k) in body for k in row["keywords"]):
            return Record(row, label=str(row.get("name", "")))
    return Unknown.because(f"{what}「{text}」が表のどの区分にも当たりません")


def column(table: list[dict[str, Any]], key: str) -> list[Any]:
    return [_exact(row[key]) for row in table]


def same_names(names: Any, affixes: Any) -> bool | Unknown:
    """Are the names the same once company-form affixes (株式会社, (株)…) and spaces are removed?

    False as soon as two readable names differ; Unknown if any name is unknown or fewer than two
    names were read; True otherwise.
    """
    forms = sorted((clean_text(a) for a in _candidates(affixes)), key=len, reverse=True)
    known: set[str] = set()
    unknown: list[Unknown] = []
    for name in _flatten((names,)):
        if isinstance(name, Unknown):
            unknown.append(name)
            continue
        text = clean_text(name)
        for form in forms:
            text = text.replace(form, "")
        known.add(text)
    if len(known) > 1:
        return False
    if unknown:
        return Unknown.merge(*unknown)
    if len(_flatten((names,))) < 2:
        return Unknown.because("照合できる名称が2つ未満です")
    return True


def join(values: Any, separator: str = "、") -> str:
    """The values as one text; an unknown one is written 不明."""
    return separator.join(UNKNOWN_TEXT if isinstance(v, Unknown) else str(v) for v in _flatten((values,)))


def yen(amount: Any) -> str:
    """20000000 → '20,000,000円'."""
    if isinstance(amount, bool) or not isinstance(amount, (int, Fraction)):
        raise TypeError("an amount is needed")
    return f"{round(amount):,}円"


def pct(ratio: Any, digits: int = 1) -> str:
    """0.12 → '12.0%'; pct(0.15, 0) → '15%'."""
    if isinstance(ratio, bool) or not isinstance(ratio, (int, Fraction, float)):
        raise TypeError("a ratio is needed")
    return f"{float(ratio) * 100:.{_need_int(digits)}f}%"


def known(value: Any) -> bool:
    """True if the value is known (read with enough confidence, or computable)."""
    return not isinstance(value, Unknown)


def first_known(*values: Any) -> Any:
    """The first known value; if none is known, the first value (an Unknown, with its reasons)."""
    for value in values:
        if not isinstance(value, Unknown):
            return value
    return values[0] if values else Unknown.because("値がありません")


def contains_any(text: str, parts: Any) -> bool:
    """Does the text contain one of the parts (compared as ``contains`` does)?"""
    return any(contains(text, p) for p in _candidates(parts))


def known_text(*values: Any) -> str | Unknown:
    """The known texts among the values, joined by a space; Unknown if none is known."""
    texts = [str(v) for v in _flatten(values) if not isinstance(v, Unknown) and v is not None]
    if texts:
        return " ".join(texts)
    return Unknown.merge(*_flatten(values)) if _flatten(values) else Unknown.because("値がありません")


def which(labels: Any, conditions: Any) -> list[Any]:
    """The labels whose condition is true (an unknown condition is left out)."""
    return [label for label, cond in zip(_flatten((labels,)), _flatten((conditions,))) if truth(cond) is True]


def _growths(series: Any, years: Any) -> tuple[list[Any], Unknown | None]:
    """Growth over the base (element 0) of elements 1..years; Unknown elements stay Unknown.

    The second item is an Unknown when no growth can be computed at all (base unknown or not positive).
    """
    values = _flatten((series,))
    n = _need_int(years)
    if not values:
        return [], Unknown.because("計画の値がありません")
    base = values[0]
    if isinstance(base, Unknown):
        return [], base
    if base <= 0:
        return [], Unknown.because(f"基準年度の値 {round(base):,} が0以下のため伸び率を計算できません")
    later = values[1:n + 1]
    if len(later) < n:
        later += [Unknown.because(f"計画に{k}年目の値がありません") for k in range(len(later) + 1, n + 1)]
    later = [v for v in later if not _not_planned(v)]
    out = [v if isinstance(v, Unknown) else Fraction(v) / Fraction(base) - 1 for v in later]
    return out, None


def _not_planned(value: Any) -> bool:
    """An Unknown that only stands for a plan year the plan leaves out (see ``plan_year``)."""
    return isinstance(value, Unknown) and bool(value.reasons) and all(r.kind == "absent" for r in value.reasons)


def reaches(series: Any, years: Any, rate: Any) -> bool | Unknown:
    """Does the series grow by at least ``rate`` over its base (element 0) within ``years`` (elements
    1..years)? True as soon as one known year reaches it; False when every year is known and none
    does; Unknown otherwise (with the reasons of the unknown years)."""
    growths, problem = _growths(series, years)
    if problem is not None:
        return problem
    if any(not isinstance(g, Unknown) and g >= rate for g in growths):
        return True
    unknown = [g for g in growths if isinstance(g, Unknown)]
    return Unknown.merge(*unknown) if unknown else False


def best_growth(series: Any, years: Any) -> Fraction | Unknown:
    """The highest known growth over the base within ``years`` (for messages); Unknown if none is known."""
    growths, problem = _growths(series, years)
    if problem is not None:
        return problem
    known_growths = [g for g in growths if not isinstance(g, Unknown)]
    if not known_growths:
        return Unknown.merge(*growths)
    return max(known_growths)


_RELATIVE_YEAR = re.compile(r"(\d{1,2})(?:年目|期目|年後|年度目)")
_BASE_YEAR = re.compile(r"基準|直近|実績|現状|現在|申請時|前期|当期")
_ERA_YEAR = re.compile(r"(令和|平成|昭和|R|H|S)\.?(元|\d{1,2})年?")
_WESTERN_YEAR = re.compile(r"(\d{4})(?:年|/|\.|-)")
_TERM_YEAR = re.compile(r"第(\d{1,3})期")
_ERA_BASE = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}


def _year_offset(label: Any) -> tuple[str, int] | None:
    """('rel', n) for 「3年目」, ('rel', 0) for 「基準年度」, ('abs', 2024) for 「令和6年度」 / 「2024年度」 /
    「第13期」; None when the label says nothing usable."""
    if not isinstance(label, str):
        return None
    text = clean_text(label)
    m = _RELATIVE_YEAR.search(text)
    if m:
        return "rel", int(m.group(1))
    m = _ERA_YEAR.search(text)
    if m:
        return "abs", _ERA_BASE[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
    m = _WESTERN_YEAR.search(text)
    if m:
        return "abs", int(m.group(1))
    m = _TERM_YEAR.search(text)
    if m:
        return "abs", int(m.group(1))
    if _BASE_YEAR.search(text):
        return "rel", 0
    return None


def plan_year(plan: Any, n: Any) -> Any:
    """The entry of a plan (a list of years, base year first) for the n-th year after the base.

    Found by the labels when they say it (「3年目」, or fiscal years 「令和8年度」 counted from the base
    year's); by position when the labels are not all readable (consecutive years assumed). A year the
    plan leaves out although it goes further (「基準年度・3年目・5年目」 has no 1年目) is an Unknown of kind
    ``absent``, which ``reaches`` passes over; a year after the plan's last is a plain Unknown.
    """
    years = list(plan)
    k = _need_int(n)
    label = getattr(plan, "label", "") or "計画"
    offsets: list[int] = []
    parsed = [_year_offset(y.get("year") if isinstance(y, dict) else None) for y in years]
    if years and all(p is not None for p in parsed):
        base = parsed[0]
        for p in parsed:
            assert p is not None and base is not None
            if p[0] == "rel":
                offsets.append(p[1])
            elif base[0] == "abs":
                offsets.append(p[1] - base[1])
            else:
                offsets = []
                break
    if offsets and offsets[0] == 0 and offsets == sorted(set(offsets)):
        if k in offsets:
            return years[offsets.index(k)]
        return Unknown.because(f"{label}に{k}年目の列がありません", "absent" if k < offsets[-1] else "calc")
    if 0 <= k < len(years):
        return years[k]
    return Unknown.because(f"{label}に{k}年目の列がありません")


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "known": known,
    "first_known": first_known,
    "known_text": known_text,
    "which": which,
    "reaches": reaches,
    "best_growth": best_growth,
    "min": _min,
    "max": _max,
    "same_names": same_names,
    "join": join,
    **{
        f.__name__: _strict(f)
        for f in (add_years, add_months, add_days, months_between, growth, contains, starts_with_any,
                  first_of, match_keywords, column, yen, pct, contains_any, plan_year)
    },
    "abs": _strict(abs),
    "len": _strict(len),
}
"""The functions a rule file may call. All but ``known``, ``first_known``, ``known_text``, ``which``,
``reaches``, ``best_growth``, ``same_names``, ``join``, ``min`` and ``max`` are strict: an Unknown argument
makes the result Unknown."""
