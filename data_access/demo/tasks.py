"""Key tasks decomposed from the plan's sections, with weekly progress and meeting actions."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

# (plan section, task, category, lead department, target, deadline month-day)
PLAN_TASKS = [
    ("二(一)1 保持主要帮扶政策总体稳定", "梳理现有帮扶政策形成政策清单", "政策衔接", "市乡村振兴局", "政策清单印发", "03-31"),
    ("二(一)2 健全防止返贫动态监测和帮扶机制", "开展防返贫集中排查", "防返贫监测", "市乡村振兴局", "排查覆盖全部农户", "06-30"),
    ("二(一)2 健全防止返贫动态监测和帮扶机制", "监测对象识别认定15日内完成", "防返贫监测", "市乡村振兴局", "及时率100%", "12-31"),
    ("二(一)2 健全防止返贫动态监测和帮扶机制", "部门筛查预警数据月度比对", "防返贫监测", "市乡村振兴局", "每月比对1次", "11-30"),
    ("二(一)3 巩固“两不愁三保障”成果", "控辍保学动态清零", "两不愁三保障", "市教育局", "失学辍学动态清零", "09-30"),
    ("二(一)3 巩固“两不愁三保障”成果", "脱贫人口基本医保参保动员", "两不愁三保障", "市医保局", "参保率稳定在99%以上", "03-31"),
    ("二(一)3 巩固“两不愁三保障”成果", "农村低收入人口危房改造", "两不愁三保障", "市住建局", "危房动态清零", "10-31"),
    ("二(一)3 巩固“两不愁三保障”成果", "农村供水工程维修养护", "两不愁三保障", "市水务局", "完成年度维修养护任务", "10-31"),
    ("二(一)4 加强扶贫项目资产管理和监督", "扶贫项目资产确权登记", "资产管理", "市农业农村局", "确权率100%", "06-30"),
    ("二(二)1 聚力做大做强脱贫地区乡村特色产业", "弱质项目整改和闲置项目盘活", "产业发展", "市农业农村局", "整改盘活率90%以上", "09-30"),
    ("二(二)1 聚力做大做强脱贫地区乡村特色产业", "村级光伏电站运维管护", "产业发展", "市发改委", "电站正常运行率95%以上", "08-31"),
    ("二(二)1 聚力做大做强脱贫地区乡村特色产业", "预算单位832平台采购预留份额", "消费帮扶", "市财政局", "完成预留份额", "12-15"),
    ("二(二)2 促进脱贫人口稳定就业", "脱贫劳动力务工规模稳定", "就业帮扶", "市人社局", "务工规模不低于上年", "10-31"),
    ("二(二)2 促进脱贫人口稳定就业", "乡村公益岗位按需设岗", "就业帮扶", "市人社局", "公益岗位动态调整到位", "05-31"),
    ("二(二)3 持续改善脱贫地区基础设施条件", "有条件建制村村村通快递", "基础设施", "市邮政管理局", "建制村快递服务全覆盖", "12-31"),
    ("二(二)3 持续改善脱贫地区基础设施条件", "较大人口规模自然村通硬化路", "基础设施", "市交通运输局", "完成年度建设任务", "10-31"),
    ("二(二)3 持续改善脱贫地区基础设施条件", "农村厕所革命和生活垃圾治理", "人居环境", "市农业农村局", "完成年度改厕任务", "09-30"),
    ("二(二)4 进一步提升脱贫地区公共服务水平", "乡镇卫生院和村卫生室远程医疗全覆盖", "公共服务", "市卫健委", "远程医疗覆盖率100%", "12-31"),
    ("二(三)3 分层分类实施社会救助", "低保对象重残重病加发", "社会救助", "市民政局", "按标准足额加发", "06-30"),
    ("二(三)5 完善养老保障和儿童关爱服务", "生活不能自理特困人员集中供养", "社会救助", "市民政局", "集中供养率不低于50%", "11-30"),
    ("二(三)5 完善养老保障和儿童关爱服务", "困难群体城乡居民养老保险代缴", "社会保障", "市人社局", "应代缴尽代缴", "07-31"),
    ("二(四)2 加快村级集体经济发展", "消除集体经济薄弱村", "集体经济", "市委组织部", "经营性收入5万元以下村清零", "12-31"),
    ("二(四)2 加快村级集体经济发展", "经营性收入10万元以上村占比提升", "集体经济", "市农业农村局", "占比提高5个百分点", "12-31"),
    ("二(四)3 推进“一村一品”特色产业发展", "新认定一村一品专业村", "一村一品", "市农业农村局", "完成年度认定目标", "11-30"),
    ("二(四)4 坚持和完善社会力量参与帮扶机制", "百企兴百村结对帮扶", "社会帮扶", "市工商联", "结对企业落实帮扶项目", "08-31"),
    ("二(五)1 做好财政投入政策衔接", "衔接资金用于产业发展比重", "资金监管", "市财政局", "产业占比不低于60%", "12-31"),
    ("二(五)2 做好金融服务政策衔接", "脱贫人口小额信贷应贷尽贷", "金融帮扶", "人民银行绥化市分行", "有需求的应贷尽贷", "09-30"),
    ("三(二) 做好工作体系衔接", "驻村第一书记和工作队轮换管理", "驻村帮扶", "市委组织部", "在岗率达标", "06-30"),
    ("三(三) 做好规划实施和项目建设衔接", "制定年度衔接工作计划", "规划实施", "市乡村振兴局", "年度计划印发", "02-28"),
    ("三(四) 做好考核机制衔接", "开展年度实绩考核", "考核评估", "市委农办", "完成考核并通报", "12-31"),
]
OWNERS = ["市乡村振兴局", "市农业农村局", "市民政局", "市教育局", "市住建局", "市人社局", "各县(市)区"]


def key_tasks(rng, as_of: date, problem: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tasks of last year and this year with weekly progress; some late, some overdue."""
    tasks, progress = [], []
    tid = 1
    worst = sorted(problem, key=problem.get)[-3:]
    for year in (as_of.year - 1, as_of.year):
        for section, title, cat, lead, target, md in PLAN_TASKS:
            deadline = date.fromisoformat(f"{year}-{md}")
            start = date(year, 1, 5)
            fate = rng.choice(["on_time", "late", "open"], p=[0.78, 0.1, 0.12])
            if fate == "on_time":
                done = deadline - timedelta(days=int(rng.integers(0, 60)))
            elif fate == "late":
                done = deadline + timedelta(days=int(rng.integers(5, 60)))
            else:
                done = None
            done = max(done, start + timedelta(days=20)) if done else None
            if done and done > as_of:
                done = None
            counties = "全市" if rng.random() < 0.6 else ",".join(rng.choice(worst, 2, replace=False))
            tasks.append(dict(id=tid, year=year, plan_section=section, title=f"{year}年{title}",
                              category=cat, lead_department=lead, counties=counties,
                              deadline=deadline, target=target, completed_on=done))
            end = min(done or as_of, as_of)
            weeks = pd.date_range(start, end, freq="W-SUN").date
            total = max((deadline - start).days, 1)
            for w in weeks:
                # only the week of completion reports 100%; before it a task stalls short of it
                pct = min(95.0, 100.0 * (w - start).days / total * rng.uniform(0.7, 1.05))
                if done and w >= done - timedelta(days=6):
                    pct = 100.0
                progress.append(dict(task_id=tid, week_end=w, percent=round(pct, 1),
                                     note="按计划推进" if pct >= 50 else "正在推进"))
            tid += 1
    tp = pd.DataFrame(progress)
    tp.insert(0, "id", np.arange(1, len(tp) + 1))
    return pd.DataFrame(tasks), tp


def meeting_actions(rng, as_of: date, counties: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decisions of the last twelve weekly meetings, some still open past their due date; a third owned by one
    county (its account sees them)."""
    decisions = ["督促逾期未认定监测对象完成识别认定", "对未走访监测户开展补访", "核查违规消除风险案例",
                 "推进闲置项目盘活", "补充因病监测户健康帮扶措施", "核实部门预警信息", "推进薄弱村集体经济提升",
                 "整改危房问题户", "落实控辍保学劝返", "更新扶贫资产台账"]
    rows, ups = [], []
    monday = as_of - timedelta(days=as_of.weekday())
    aid = 1
    for w in range(12, 0, -1):
        meeting = monday - timedelta(weeks=w)
        for _ in range(int(rng.integers(2, 4))):
            due = meeting + timedelta(days=int(rng.integers(7, 28)))
            closed = due - timedelta(days=int(rng.integers(0, 6))) if rng.random() < 0.7 else None
            if closed and closed > as_of:
                closed = None
            status = "已完成" if closed else ("逾期" if due < as_of else "进行中")
            county = str(rng.choice(list(counties))) if rng.random() < 0.35 else None
            owner = counties[county] if county else str(rng.choice(OWNERS))
            rows.append(dict(id=aid, meeting_date=meeting, decision=str(rng.choice(decisions)), owner=owner,
                             owner_county=county, due_on=due, status=status, closed_on=closed))
            if meeting + timedelta(days=7) <= as_of:
                ups.append(dict(action_id=aid, at=meeting + timedelta(days=7), note="已部署,正在推进", evidence=None,
                                created_by="office"))
            aid += 1
    up = pd.DataFrame(ups)
    up.insert(0, "id", np.arange(1, len(up) + 1))
    return pd.DataFrame(rows), up


def assessment_entries(rng, as_of: date, problem: dict[str, float]) -> pd.DataFrame:
    """The office's entries for the assessment: 督查 scores of the manual indicator (X1 in the rules), a bonus, a
    deduction, and a veto (规模性返贫) in an earlier year for the county with the most problems."""
    worst, best = max(problem, key=problem.get), min(problem, key=problem.get)
    ordered = sorted(problem, key=problem.get)
    rows = []
    year_start = date(as_of.year, 3, 1)
    for county in ordered[-3:]:
        pts = float(round(rng.uniform(1.0, 3.0), 1))
        rows.append(dict(county_code=county, kind="manual", indicator="X1", points=pts,
                         reason="市级督查发现一村一品专业村台账不实,限期整改", effective_on=year_start))
    rows.append(dict(county_code=best, kind="bonus", indicator=None, points=2.0,
                     reason="防返贫监测帮扶经验做法被省级推广", effective_on=date(as_of.year, 6, 1)))
    rows.append(dict(county_code=ordered[-2], kind="deduction", indicator=None, points=3.0,
                     reason="国家成效考核反馈问题整改不到位", effective_on=date(as_of.year, 7, 1)))
    rows.append(dict(county_code=worst, kind="veto", indicator="发生规模性返贫", points=0.0,
                     reason="因灾导致较大范围返贫,经核实认定", effective_on=date(as_of.year - 2, 8, 1)))
    df = pd.DataFrame(rows)
    df.insert(0, "id", np.arange(1, len(df) + 1))
    df["created_by"] = "office"
    df["created_at"] = pd.Timestamp(as_of)
    df["revoked_by"], df["revoked_at"] = None, None
    return df
