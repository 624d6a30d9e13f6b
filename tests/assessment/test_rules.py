"""Rules files: the shipped ones load; each kind of mistake is refused with a Chinese message naming its place."""

from __future__ import annotations

from datetime import date

import pytest

from assessment import rules
from assessment.rules import RulesError, parse
from tests.assessment.test_engine import RULES


def _broken(old: str, new: str) -> str:
    assert old in RULES
    return RULES.replace(old, new, 1)


def test_the_shipped_rules_load_and_follow_the_design():
    versions = rules.all_versions()
    assert [r.version for r, _, _ in versions] == ["2021.1", "2026.1"]
    current, file, sha = rules.in_force(date(2026, 11, 28))
    assert current.version == "2026.1" and file == "2026.yaml" and len(sha) == 64
    assert rules.in_force(date(2025, 12, 31))[0].version == "2021.1"
    weights = {c.name: c.weight for c in current.categories}
    assert weights == {"防返贫监测帮扶": 25, "两不愁三保障及饮水": 15, "产业与就业": 20, "一村一品": 15, "村级集体经济": 15,
                       "重点任务推进": 10}
    codes = [r.code for _, r in current.rules]
    assert {"M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11"} <= set(codes) and "M12" not in codes
    assert {r.method for _, r in current.rules} == set(rules.METHODS)  # every method is in use
    assert all(r.standard and r.scoring and r.source and r.department for _, r in current.rules)


@pytest.mark.parametrize("old,new,place,says", [
    ("{code: M5, weight: 10,", "{code: M5, weight: 9,", "第1个一级指标(监测)", "二级指标分值合计 39,与一级指标分值 40 不符"),
    ("method: rank,", "method: ranking,", "第2个一级指标(产业) → 第1个二级指标(I1) → 计分方法", "不在可选范围内"),
    ("{code: M6, weight: 10,", "{code: Q9, weight: 10,", "第1个一级指标(监测) → 第2个二级指标(Q9)", "不认识的指标代码 Q9"),
    ("method: attainment, target: 0.8,", "method: attainment,", "第2个二级指标(M6)", "attainment 方法须写 target"),
    ("target: 0.9, floor: 0.7,", "target: 0.9, floor: 0.95,", "第1个二级指标(M4)", "floor(不得分线)0.95 须低于 target(满分线)0.9"),
    ("target: 0, floor: 4}", "target: 0, floor: -1}", "第3个二级指标(M9)", "越低越好"),
    ("target: 0.8, zero_denominator: full}", "target: 0.8}", "第2个二级指标(M6)", "须写 zero_denominator"),
    ("{code: M5, weight: 10, method: zero_tolerance,", "{code: M6, weight: 10, method: zero_tolerance,",
     "第3个二级指标(M6)", "M6 是比率,不能按个数扣分"),
    ("{code: T2, weight: 10,", "{code: T2, weight: 10, colour: red,", "第2个二级指标(T2) → colour", "不认识此项"),
    ("{code: X1, name: 督查评价,", "{code: X1,", "第4个二级指标(X1)", "须写 name"),
    ("grades: {好: 90, 较好: 70, 一般: 55}", "grades: {好: 90, 较好: 95, 一般: 55}", "文件整体", "分数线须从高到低"),
    ("{code: G2, weight: 10,", "{code: G2, weight: ten,", "第2个二级指标(G2) → 分值", "应为数字"),
    ("{code: T2, weight: 10, method: attainment, target: 1}",
     "{code: M12, weight: 10, method: attainment, target: 1, zero_denominator: full}", "第2个二级指标(M12)",
     "没有优劣方向,不计分"),
    ("{code: T2, weight: 10, method: attainment, target: 1}",
     "{code: S10, weight: 10, method: attainment, target: 0.5, zero_denominator: full}", "第2个二级指标(S10)",
     "是参考指标(基础设施与公共服务),不纳入考核计分"),
    ("    weight: 20\n", "    weight: 25\n", "第3个一级指标(任务)", "二级指标分值合计 20,与一级指标分值 25 不符"),
])
def test_a_wrong_file_is_refused_with_its_place(old, new, place, says):
    text = _broken(old, new)
    with pytest.raises(RulesError) as err:
        parse(text, where="2027.yaml")
    msg = str(err.value)
    assert msg.startswith("考核规则文件 2027.yaml") and says in msg and place in msg, msg


def test_categories_must_add_up_to_100():
    text = RULES.replace("  - name: 任务\n    weight: 20\n", "  - name: 任务\n    weight: 25\n").replace(
        "{code: T2, weight: 10, method: attainment, target: 1}",
        "{code: T2, weight: 10, method: attainment, target: 1}\n      - {code: X2, name: 附加, weight: 5, method: manual}")
    with pytest.raises(RulesError, match="文件整体:一级指标分值合计 105,应为100"):
        parse(text, where="x.yaml")


def test_yaml_syntax_and_duplicate_codes():
    with pytest.raises(RulesError, match=r"不是有效的 YAML第\d+行"):
        parse(RULES.replace("weight: 40\n", "weight: [40\n", 1), where="x.yaml")
    with pytest.raises(RulesError, match="指标重复出现:M5"):
        parse(RULES.replace("{code: M6, weight: 10, method: attainment, target: 0.8, zero_denominator: full}",
                            "{code: M5, weight: 10, method: zero_tolerance, deduction: 1}"), where="x.yaml")
    with pytest.raises(RulesError, match="应为键值表"):
        parse("- 1\n- 2\n", where="x.yaml")


def test_no_rules_in_force_before_the_first_file(tmp_path):
    (tmp_path / "a.yaml").write_text(RULES.replace("2021-01-01", "2026-01-01"), encoding="utf-8")
    with pytest.raises(RulesError, match="没有生效的考核规则"):
        rules.in_force(date(2025, 6, 1), tmp_path)
    (tmp_path / "b.yaml").write_text(RULES, encoding="utf-8")
    with pytest.raises(RulesError, match="版本号重复"):
        rules.all_versions(tmp_path)
