"""The assessment rules files (assets/rules/*.yaml, DESIGN.md §4.1): loaded, validated by a schema, explained in
Chinese when wrong."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from data_access.indicators import INDICATORS

RULES_DIR = Path(__file__).resolve().parents[1] / "assets" / "rules"
METHODS = ("attainment", "threshold", "rank", "zero_tolerance", "manual", "deduct_per_step", "all_or_nothing")
METHOD_NAMES = {"attainment": "完成比例计分", "threshold": "达标线计分", "rank": "按名次计分", "zero_tolerance": "按个数扣分",
                "manual": "评定计分", "deduct_per_step": "按差距扣分", "all_or_nothing": "达标得分、不达标不得分"}
GRADES = ("好", "较好", "一般")  # 较差 is below the last cut-off
LOWEST = "较差"
TOLERANCE = 1e-9


class RulesError(ValueError):
    """A rules file that cannot be used, with a Chinese message naming the place in the file."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """One 二级指标: its scoring method, weight and target, and the office's own words for it."""

    code: str
    name: str | None = None
    weight: float = Field(gt=0)
    method: Literal[METHODS]
    target: float | None = None
    floor: float | None = None
    step: float | None = Field(default=None, gt=0)
    deduction: float | None = Field(default=None, ge=0)
    zero_denominator: Literal["full", "zero", "exclude"] | None = None
    standard: str = ""
    scoring: str = ""
    source: str = ""
    department: str = ""

    @property
    def better(self) -> str:
        """high or low, from the indicator's definition (manual scores: high)."""
        return INDICATORS[self.code].better if self.code in INDICATORS else "high"

    @property
    def title(self) -> str:
        """The 二级指标 as shown: the rules' own name, else the indicator's."""
        return self.name or INDICATORS[self.code].name

    @property
    def is_rate(self) -> bool:
        return self.code in INDICATORS and INDICATORS[self.code].unit == "%"

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        m = self.method
        if m == "manual":
            if self.code in INDICATORS:
                raise ValueError(f"{self.code} 由数据计算,不能用 manual(评定计分);评定项请另取代码(如 X1)")
            if not self.name:
                raise ValueError("评定计分(manual)的指标须写 name(指标名称)")
            return self
        if self.code not in INDICATORS:
            raise ValueError(f"不认识的指标代码 {self.code}(应为 INDICATORS.md 中的代码,评定项用 manual)")
        ind = INDICATORS[self.code]
        if not ind.scored:
            raise ValueError(f"{self.code} {ind.name} 是参考指标(基础设施与公共服务),不纳入考核计分")
        if not ind.ranked:
            raise ValueError(f"{self.code} {ind.name} 没有优劣方向,不计分")
        need = {"attainment": ("target",), "threshold": ("target", "floor"), "deduct_per_step": ("target", "step", "deduction"),
                "all_or_nothing": ("target",), "zero_tolerance": ("deduction",), "rank": ("deduction",)}[m]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"{m} 方法须写 {'、'.join(missing)}")
        if m == "zero_tolerance" and ind.unit == "%":
            raise ValueError(f"{self.code} 是比率,不能按个数扣分(zero_tolerance)")
        if m == "attainment" and self.target <= 0:
            raise ValueError("attainment(完成比例计分)的 target 须大于0")
        if m == "threshold":
            if self.better == "high" and self.floor >= self.target:
                raise ValueError(f"floor(不得分线){self.floor} 须低于 target(满分线){self.target}")
            if self.better == "low" and self.floor <= self.target:
                raise ValueError(f"{self.code} 越低越好:floor(不得分线){self.floor} 须高于 target(满分线){self.target}")
        if ind.unit == "%" and self.zero_denominator is None:
            raise ValueError(f"{self.code} 是比率,须写 zero_denominator(分母为0时:full 满分 / zero 零分 / exclude 不参评)")
        return self


class Category(_Strict):
    """One 一级指标 and its indicators."""

    name: str
    weight: float = Field(gt=0)
    indicators: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> Category:
        total = sum(r.weight for r in self.indicators)
        if abs(total - self.weight) > TOLERANCE:
            raise ValueError(f"二级指标分值合计 {total:g},与一级指标分值 {self.weight:g} 不符")
        return self


class Veto(_Strict):
    """A one-vote veto (一票否决) and the best grade a county with it may get."""

    name: str
    cap_grade: Literal["好", "较好", "一般", "较差"]


class Cap(_Strict):
    max: float = Field(ge=0)


class Rules(_Strict):
    """One version of the rules."""

    version: str
    effective_from: date
    grades: dict[str, float]
    veto: list[Veto] = []
    bonus: Cap = Cap(max=0)
    deductions: Cap = Cap(max=0)
    categories: list[Category] = Field(min_length=1)

    @model_validator(mode="after")
    def _whole(self) -> Rules:
        if tuple(self.grades) != GRADES:
            raise ValueError(f"grades 须依次写 {'、'.join(GRADES)} 三档的分数线(低于最后一档为{LOWEST})")
        cuts = list(self.grades.values())
        if any(a <= b for a, b in zip(cuts, cuts[1:], strict=False)):
            raise ValueError("grades 分数线须从高到低")
        total = sum(c.weight for c in self.categories)
        if abs(total - 100) > TOLERANCE:
            raise ValueError(f"一级指标分值合计 {total:g},应为100")
        codes = [r.code for c in self.categories for r in c.indicators]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"指标重复出现:{'、'.join(dup)}")
        return self

    @property
    def rules(self) -> list[tuple[str, Rule]]:
        """(category, rule) for every indicator, in the file's order."""
        return [(c.name, r) for c in self.categories for r in c.indicators]

    def grade(self, total: float, vetoed: bool, cap: str | None) -> str:
        """The grade of a total, capped by a veto."""
        grade = next((g for g, cut in self.grades.items() if total >= cut - TOLERANCE), LOWEST)
        order = [*GRADES, LOWEST]
        if vetoed and cap and order.index(grade) < order.index(cap):
            return cap
        return grade


FIELDS = {"version": "版本", "effective_from": "生效日期", "grades": "等次分数线", "veto": "一票否决", "bonus": "加分",
          "deductions": "减分", "categories": "一级指标", "indicators": "二级指标", "weight": "分值", "method": "计分方法",
          "target": "目标值", "floor": "不得分线", "step": "扣分步长", "deduction": "扣分", "zero_denominator": "分母为0时",
          "code": "指标代码", "name": "名称", "cap_grade": "最高等次", "max": "上限"}
TYPES = {"missing": "缺少此项", "extra_forbidden": "不认识此项(拼写错误?)", "float_parsing": "应为数字",
         "float_type": "应为数字", "greater_than": "须大于0", "greater_than_equal": "不能为负数",
         "too_short": "不能为空", "date_from_datetime_parsing": "应为日期(如 2026-01-01)", "date_parsing": "应为日期",
         "date_type": "应为日期(如 2026-01-01)", "string_type": "应为文字", "list_type": "应为列表", "dict_type": "应为键值表"}


def _place(raw: object, loc: tuple) -> str:
    """第2个一级指标(两不愁三保障及饮水) → 第3个二级指标(G3) → 分值, from a pydantic error location."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            label = (node.get("name") or node.get("code")) if isinstance(node, dict) else None
            last = parts.pop() if parts else "项"
            parts.append(f"第{key + 1}个{last}" + (f"({label})" if label else ""))
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(FIELDS.get(str(key), str(key)))
    return " → ".join(parts) or "文件整体"


def message(err: dict) -> str:
    """One pydantic error in Chinese."""
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    if err["type"] == "literal_error":
        return f"取值 {err.get('input')!r} 不在可选范围内({err['ctx']['expected']})"
    return TYPES.get(err["type"], err["msg"])


def parse(text: str, *, where: str) -> Rules:
    """Rules from YAML text; RulesError names the file and the place in it when anything is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise RulesError(f"考核规则文件 {where} 不是有效的 YAML{at}:{getattr(exc, 'problem', '') or exc}") from None
    if not isinstance(raw, dict):
        raise RulesError(f"考核规则文件 {where} 应为键值表(version、effective_from、categories 等)")
    try:
        return Rules.model_validate(raw)
    except ValidationError as exc:
        lines = explain(exc, raw)
        raise RulesError(f"考核规则文件 {where} 有 {len(lines)} 处错误:\n" + "\n".join(f"- {x}" for x in lines)) from None


def explain(exc: ValidationError, raw: object) -> list[str]:
    """Each of pydantic's errors as 「place:what is wrong」 in Chinese."""
    return [f"{_place(raw, tuple(e['loc']))}:{message(e)}" for e in exc.errors()]


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> tuple[Rules, str]:
    text = Path(path).read_text(encoding="utf-8")
    return parse(text, where=Path(path).name), hashlib.sha256(text.encode()).hexdigest()


def all_versions(folder: Path | None = None) -> list[tuple[Rules, str, str]]:
    """Every rules file of the folder as (rules, file name, SHA-256), oldest first."""
    folder = folder or RULES_DIR
    out = []
    for p in sorted(folder.glob("*.yaml")):
        rules, sha = _load(str(p), p.stat().st_mtime)
        out.append((rules, p.name, sha))
    versions = [r.version for r, _, _ in out]
    dup = sorted({v for v in versions if versions.count(v) > 1})
    if dup:
        raise RulesError(f"考核规则版本号重复:{'、'.join(dup)}")
    return sorted(out, key=lambda x: x[0].effective_from)


def in_force(as_of: date, folder: Path | None = None) -> tuple[Rules, str, str]:
    """The rules whose effective_from is the latest on or before as_of, with file name and SHA-256."""
    found = [x for x in all_versions(folder) if x[0].effective_from <= as_of]
    if not found:
        raise RulesError(f"{as_of.isoformat()} 没有生效的考核规则(assets/rules/ 中最早的文件晚于该日期)")
    return found[-1]
