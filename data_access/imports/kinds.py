"""Every importable table (DESIGN.md §3): its template columns, natural key, references and date order rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Table

from data_access.imports.fields import Field
from data_access.models import app as A
from data_access.models import industry as I
from data_access.models import monitoring as M

YES_NO = dict(kind="bool")
RISKS = ("因病", "因残", "因学", "因灾", "缺劳动力", "因意外事故", "因产业项目失败", "因务工就业不稳", "其他")
MEASURES = ("产业", "就业", "金融", "公益岗位", "健康", "义务教育保障", "其他教育", "住房安全", "饮水安全",
            "综合保障(低保/特困/临时救助)", "社会帮扶", "搬迁", "生产生活条件改善")
DEPARTMENTS = ("民政", "教育", "人社", "住建", "医保", "卫健", "应急", "残联", "水利")
RISK_SPLIT = re.compile(r"[、,,;;/ ]+")
PLACES = ("县内", "省内县外", "省外")
INDUSTRIES = ("鲜食玉米", "食用菌", "果蔬", "水稻", "大豆", "生猪", "肉牛", "大鹅", "乡村旅游", "杂粮加工", "其他")
DEV_TYPES = ("产业带动型", "资产经营型", "资源开发型", "服务创收型", "乡村旅游型", "自主经营型", "资金入股型")
PROJECT_STATUS = ("在建", "运营正常", "弱质", "闲置", "已盘活", "已整改")


@dataclass(frozen=True)
class Ref:
    """A reference a row makes to a record that must already exist (imported before this file)."""

    to: str  # household, member, case, project, specialty, station, task
    fields: tuple[str, ...]  # the row's fields that name it
    required: bool = True


@dataclass(frozen=True)
class Kind:
    """One importable table: where it goes, its columns, natural key and rules."""

    key: str
    title: str  # the template's sheet name and the page's label
    database: str  # monitoring / industry / app
    table: Table
    fields: tuple[Field, ...]
    natural_key: tuple[str, ...]  # table columns that identify a row (after references are resolved)
    refs: tuple[Ref, ...] = ()
    orders: tuple[tuple[str, str, str], ...] = ()  # (earlier, later, what the later one is)
    region: str | None = None  # the field holding a village (12) or county (6) code
    dates: tuple[str, ...] = ()  # fields whose earliest value bounds the reporting periods an import touches
    needs: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (field, when this field, is one of these values)
    note: str = ""

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _head(required: bool = True) -> Field:
    return Field("head_id", "户主身份证号", "id", required, aliases=("户主证件号码", "户主身份证号码", "户主证件号"))


def _person() -> Field:
    return Field("person_id", "身份证号", "id", aliases=("证件号码", "身份证号码", "公民身份号码", "成员身份证号"))


VILLAGE = Field("village_code", "村代码", "code", aliases=("行政村代码", "村级代码", "统计用区划代码", "村区划代码"))
COUNTY = Field("county_code", "县代码", "county", aliases=("县级代码", "县(市)区代码", "县区划代码", "行政区划代码"))
YEAR = Field("year", "年度", "year", aliases=("年份",), low=2015, high=2035)

KINDS: dict[str, Kind] = {}


def split_risks(value: object) -> list[str]:
    """The risks a 致贫返贫风险 cell lists (顿号, commas or spaces between them)."""
    return [p for p in RISK_SPLIT.split(str(value)) if p] if value else []


def _add(kind: Kind) -> None:
    KINDS[kind.key] = kind


_add(Kind("household", "农户信息", "monitoring", M.Household.__table__, (
    VILLAGE,
    Field("head_name", "户主姓名", length=30, aliases=("户主",)),
    Field("head_id_number", "户主身份证号", "id", aliases=("户主证件号码", "户主身份证号码")),
    Field("phone", "联系电话", "phone", required=False, aliases=("手机号", "联系方式", "电话")),
    Field("size", "家庭人口数", "int", low=1, high=30, aliases=("家庭人口", "人口数")),
    Field("is_tuopin", "是否脱贫户", **YES_NO), Field("is_dibao", "是否低保户", **YES_NO),
    Field("is_tekun", "是否特困户", **YES_NO),
    Field("labour_count", "劳动力人数", "int", low=0, high=30, aliases=("劳动力数",)),
), ("head_id_number",), region="village_code", note="一户一行;先导入农户,再导入家庭成员和监测对象。"))

_add(Kind("member", "家庭成员", "monitoring", M.Member.__table__, (
    _head(), Field("name", "姓名", length=30, aliases=("成员姓名",)),
    Field("id_number", "身份证号", "id", aliases=("证件号码", "身份证号码", "成员身份证号")),
    Field("relation", "与户主关系", "enum", choices=("户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他")),
    Field("birth_date", "出生日期", "date"), Field("sex", "性别", "enum", choices=("男", "女")),
    Field("school_stage", "在校生阶段", "enum", False, choices=("学前", "小学", "初中", "高中", "中职", "高校")),
    Field("dropout_on", "失学辍学日期", "date", False), Field("returned_on", "劝返复学日期", "date", False),
    Field("health", "健康状况", "enum", choices=("健康", "长期慢性病", "大病", "残疾")),
    Field("disability_level", "残疾等级", "int", False, low=1, high=4),
    Field("medical_insured_on", "基本医保参保日期", "date", False, aliases=("医保参保日期",)),
    Field("pension_insured", "是否参加养老保险", **YES_NO),
    Field("labour_capacity", "劳动能力", "enum", choices=("普通", "弱", "丧失", "无")),
    Field("work_place", "务工地点", "enum", False, choices=PLACES),
    Field("work_months", "务工月数", "int", False, low=0, high=12),
), ("id_number",), (Ref("household", ("head_id",)),),
    orders=(("birth_date", "dropout_on", "失学辍学日期"), ("dropout_on", "returned_on", "劝返复学日期"),
            ("birth_date", "medical_insured_on", "基本医保参保日期")), dates=("birth_date",),
    needs=(("disability_level", "health", ("残疾",)),)))

_add(Kind("case", "监测对象", "monitoring", M.MonitoringCase.__table__, (
    _head(), Field("case_type", "监测对象类别", "enum", choices=("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")),
    Field("channel", "识别渠道", "enum", choices=("农户自主申报", "基层干部排查", "部门筛查预警")),
    Field("persons", "监测人口数", "int", low=1, high=30, aliases=("人口数", "家庭人口数")),
    Field("discovered_on", "发现日期", "date"), Field("decision", "认定结果", "enum", False, choices=("纳入", "不予纳入")),
    Field("decided_on", "认定日期", "date", False), Field("included_on", "纳入日期", "date", False, aliases=("县级审定日期",)),
    Field("income_per_capita", "人均纯收入", "number", False, low=0, high=1_000_000, aliases=("家庭人均纯收入",)),
    Field("status", "监测状态", "enum", choices=("待认定", "监测中", "风险已消除", "不予纳入"), aliases=("状态",)),
    Field("eliminated_on", "风险消除日期", "date", False, aliases=("消除日期",)),
    Field("elimination_kind", "风险消除方式", "enum", False, choices=("稳定消除", "自然消除"), aliases=("消除方式",)),
    Field("risks", "致贫返贫风险", aliases=("风险类型", "主要风险"), length=80,
          note="最多5项,用顿号分隔,可选:" + "、".join(RISKS)),
    Field("disaster_subtype", "因灾类型", "enum", False, choices=("洪涝", "干旱", "风雹", "低温冷冻", "病虫害", "其他")),
), ("household_id", "discovered_on"), (Ref("household", ("head_id",)),),
    orders=(("discovered_on", "decided_on", "认定日期"), ("discovered_on", "included_on", "纳入日期"),
            ("included_on", "eliminated_on", "风险消除日期")), dates=("discovered_on",),
    needs=(("decided_on", "decision", ("纳入", "不予纳入")), ("included_on", "status", ("监测中", "风险已消除")),
           ("eliminated_on", "status", ("风险已消除",)), ("elimination_kind", "status", ("风险已消除",)),
           ("disaster_subtype", "risks", ("因灾",))),
    note="一个监测对象一行;同一户以发现日期区分。"))

_add(Kind("measure", "帮扶措施", "monitoring", M.Measure.__table__, (
    _head(), Field("category", "措施类别", "enum", choices=MEASURES), Field("started_on", "开始日期", "date"),
    Field("amount", "金额(元)", "number", False, low=0, high=10_000_000, aliases=("金额", "帮扶金额")),
    Field("department", "责任部门", length=20), Field("is_developmental", "是否开发式帮扶", **YES_NO),
), ("case_id", "category", "started_on"), (Ref("case", ("head_id", "started_on")),), dates=("started_on",),
    note="措施归入该户在开始日期及以前发现的最近一个监测对象。"))

_add(Kind("visit", "跟踪回访", "monitoring", M.Visit.__table__, (
    _head(), Field("visited_on", "回访日期", "date"),
    Field("visitor_role", "回访人身份", "enum", choices=("驻村工作队", "第一书记", "村干部", "乡镇干部")),
    Field("finding", "回访情况", length=40),
), ("household_id", "visited_on", "visitor_role"), (Ref("household", ("head_id",)), Ref("case", ("head_id", "visited_on"),
                                                                                   required=False)),
    dates=("visited_on",)))

_add(Kind("alert", "部门预警", "monitoring", M.DepartmentAlert.__table__, (
    _head(), Field("source", "预警部门", "enum", choices=DEPARTMENTS),
    Field("person_id_number", "预警人员身份证号", "id", False), Field("kind", "预警类型", length=30),
    Field("received_on", "接收日期", "date"), Field("verified_on", "核实日期", "date", False),
    Field("result", "核实结果", "enum", False, choices=("纳入", "不纳入", "已是监测对象")),
), ("source", "household_id", "kind", "received_on"), (Ref("household", ("head_id",)),),
    orders=(("received_on", "verified_on", "核实日期"),), dates=("received_on",)))

_add(Kind("check", "三保障及饮水核查", "monitoring", M.GuaranteeCheck.__table__, (
    _head(), Field("checked_on", "核查日期", "date"),
    Field("food_clothing_ok", "吃穿不愁", **YES_NO), Field("education_ok", "义务教育有保障", **YES_NO),
    Field("medical_ok", "基本医疗有保障", **YES_NO),
    Field("housing_grade", "住房安全等级", "enum", choices=("A", "B", "C", "D"), note="A、B级为安全,C、D级为危房"),
    Field("water_quantity_ok", "饮水水量达标", **YES_NO), Field("water_quality_ok", "饮水水质达标", **YES_NO),
    Field("water_convenience_ok", "用水方便", **YES_NO), Field("water_reliability_ok", "供水保证率达标", **YES_NO),
), ("household_id", "checked_on"), (Ref("household", ("head_id",)),), dates=("checked_on",)))

_add(Kind("income", "家庭收入", "monitoring", M.IncomeRecord.__table__, (
    _head(), YEAR,
    Field("wage", "工资性收入", "number", low=0, high=10_000_000), Field("business", "经营净收入", "number", low=-10_000_000,
                                                                    high=10_000_000),
    Field("property", "财产净收入", "number", low=-10_000_000, high=10_000_000),
    Field("transfer", "转移净收入", "number", low=0, high=10_000_000),
    Field("rigid_expenditure", "刚性支出", "number", low=0, high=10_000_000, aliases=("刚性支出(元)",)),
    Field("per_capita_net", "人均纯收入", "number", low=-1_000_000, high=1_000_000, aliases=("家庭人均纯收入",)),
), ("household_id", "year"), (Ref("household", ("head_id",)),), dates=("year",)))

_add(Kind("village_condition", "村情设施", "monitoring", M.VillageCondition.__table__, (
    VILLAGE, YEAR, Field("natural_villages", "自然村数", "int", low=0, high=200),
    Field("natural_villages_hardened", "通硬化路自然村数", "int", low=0, high=200),
    Field("express_delivery", "快递进村", **YES_NO), Field("fibre", "通光纤", **YES_NO), Field("g4", "通4G", **YES_NO),
    Field("sanitary_toilet_share", "卫生厕所普及率", "share"), Field("garbage_treated", "生活垃圾收运处置", **YES_NO),
    Field("sewage_treated", "生活污水治理", **YES_NO), Field("clinic", "有村卫生室", **YES_NO),
    Field("remote_medical", "卫生室远程医疗", **YES_NO), Field("service_facility", "综合服务设施", **YES_NO),
    Field("grid_upgraded", "电网改造升级", **YES_NO), Field("safe_water_share", "农村自来水普及率", "share"),
), ("village_code", "year"), orders=(), region="village_code", dates=("year",)))

_add(Kind("resident_team", "驻村工作队", "monitoring", M.ResidentTeam.__table__, (
    VILLAGE, Field("first_secretary", "第一书记", length=30, aliases=("第一书记姓名",)),
    Field("team_size", "工作队人数", "int", low=1, high=20), Field("dispatching_unit", "派出单位", length=40),
    Field("started_on", "派驻日期", "date"), Field("ended_on", "期满日期", "date", False, aliases=("离任日期",)),
    Field("days_on_duty", "在岗天数", "int", low=0, high=3000),
), ("village_code", "started_on"), orders=(("started_on", "ended_on", "期满日期"),), region="village_code",
    dates=("started_on",)))

_add(Kind("social_assistance", "社会救助", "monitoring", M.SocialAssistance.__table__, (
    _person(), Field("kind", "救助类别", "enum", choices=("低保", "特困", "临时救助")),
    Field("standard", "保障标准(元/月)", "number", low=0, high=100_000, aliases=("保障标准", "救助金额")),
    Field("topup", "加发金额(元/月)", "number", False, low=0, high=100_000, aliases=("加发金额",)),
    Field("started_on", "开始日期", "date"), Field("ended_on", "终止日期", "date", False),
    Field("unable_self_care", "生活不能自理", "bool", False), Field("centralised_care", "集中供养", "bool", False),
), ("member_id", "kind", "started_on"), (Ref("member", ("person_id",)),),
    orders=(("started_on", "ended_on", "终止日期"),), dates=("started_on",)))

_add(Kind("assistance_standard", "救助标准", "monitoring", M.AssistanceStandard.__table__, (
    COUNTY, YEAR, Field("kind", "救助类别", "enum", choices=("低保", "特困")),
    Field("monthly", "月标准(元)", "number", low=0, high=100_000, aliases=("保障标准", "月保障标准")),
), ("county_code", "year", "kind"), region="county_code", dates=("year",)))

_add(Kind("employment", "脱贫劳动力就业", "monitoring", M.Employment.__table__, (
    _person(), YEAR, Field("place", "务工地点", "enum", choices=PLACES),
    Field("months", "务工月数", "int", low=0, high=12),
    Field("kind", "就业方式", "enum", choices=("务工", "公益岗位", "以工代赈", "扶贫车间", "生态护林员")),
    Field("trained", "是否参加培训", **YES_NO),
), ("member_id", "year", "kind"), (Ref("member", ("person_id",)),), dates=("year",)))

_add(Kind("specialty_village", "一村一品专业村", "industry", I.SpecialtyVillage.__table__, (
    VILLAGE, Field("industry", "主导产业", "enum", choices=INDUSTRIES),
    Field("category", "产业类别", "enum", choices=("种植", "养殖", "乡村旅游", "加工")),
    Field("level", "认定级别", "enum", choices=("市级", "省级", "全国一村一品示范村")),
    Field("year_recognised", "认定年度", "year", low=2000, high=2035), Field("status", "状态", "enum", choices=("培育", "认定", "示范")),
), ("village_code", "industry"), region="village_code", dates=("year_recognised",)))

_add(Kind("specialty_metric", "专业村年度指标", "industry", I.SpecialtyMetric.__table__, (
    VILLAGE, Field("industry", "主导产业", "enum", choices=INDUSTRIES), YEAR,
    Field("industry_output", "主导产业产值(元)", "number", low=0, high=1e11, aliases=("主导产业产值",)),
    Field("agri_output", "村农业总产值(元)", "number", low=0, high=1e11, aliases=("农业总产值",)),
    Field("households_engaged", "从事主导产业户数", "int", low=0, high=100_000),
    Field("households_total", "总户数", "int", low=1, high=100_000),
    Field("per_capita_income", "农民人均可支配收入(元)", "number", low=0, high=1_000_000),
    Field("county_per_capita_income", "全县农民人均可支配收入(元)", "number", low=0, high=1_000_000),
    Field("chain_production", "有生产环节", **YES_NO), Field("chain_processing", "有加工环节", **YES_NO),
    Field("chain_circulation", "有流通环节", **YES_NO), Field("chain_service", "有服务环节", **YES_NO),
    Field("brand", "注册品牌", required=False, length=40),
    Field("certification", "认证", "enum", False, choices=("绿色", "有机", "地理标志")),
    Field("cooperatives", "合作社数", "int", low=0, high=1000), Field("households_linked", "联农带农户数", "int", low=0,
                                                                    high=100_000),
), ("specialty_village_id", "year"), (Ref("specialty", ("village_code", "industry")),), region="village_code",
    dates=("year",)))

_add(Kind("collective_income", "村级集体经济收入", "industry", I.CollectiveIncome.__table__, (
    VILLAGE, YEAR, Field("quarter", "季度", "int", False, low=1, high=4, note="年报留空"),
    Field("op_business", "经营收入", "number", low=0, high=1e10), Field("op_contracting", "发包及上交收入", "number", low=0,
                                                                   high=1e10),
    Field("op_investment", "投资收益", "number", low=-1e10, high=1e10), Field("op_other", "其他经营收入", "number", low=0,
                                                                        high=1e10),
    Field("subsidy_income", "补助收入", "number", low=0, high=1e10), Field("other_income", "其他收入", "number", low=0, high=1e10),
    Field("development_type", "发展类型", "enum", choices=DEV_TYPES),
    Field("assets", "资产总额", "number", low=0, high=1e11), Field("debts", "负债总额", "number", low=0, high=1e11),
), ("village_code", "year", "quarter"), region="village_code", dates=("year",),
    note="经营性收入=经营收入+发包及上交收入+投资收益+其他经营收入,由看板计算;总收入再加补助收入和其他收入。"))

_add(Kind("project", "衔接资金产业项目", "industry", I.IndustryProject.__table__, (
    VILLAGE, Field("name", "项目名称", length=60), Field("industry", "产业类别", length=20),
    Field("fund_source", "资金来源", "enum", choices=("中央衔接资金", "省级衔接资金", "市县衔接资金", "涉农整合资金", "其他")),
    Field("investment", "投资额(元)", "number", low=0, high=1e10, aliases=("投资额", "总投资")),
    Field("year", "实施年度", "year", low=2015, high=2035, aliases=("年度",)),
    Field("status", "运营状态", "enum", choices=PROJECT_STATUS, aliases=("状态",)),
    Field("households_linked", "联农带农户数", "int", low=0, high=100_000),
    Field("revenue", "年收益(元)", "number", low=-1e10, high=1e10, aliases=("年收益",)),
), ("village_code", "name", "year"), region="village_code", dates=("year",)))

_add(Kind("project_status", "项目状态变更", "industry", I.ProjectStatusChange.__table__, (
    VILLAGE, Field("project_name", "项目名称", length=60), Field("project_year", "实施年度", "year", low=2015, high=2035),
    Field("changed_on", "变更日期", "date"), Field("status", "运营状态", "enum", choices=PROJECT_STATUS, aliases=("状态",)),
), ("project_id", "changed_on"), (Ref("project", ("village_code", "project_name", "project_year")),),
    region="village_code", dates=("changed_on",)))

_add(Kind("asset", "扶贫项目资产", "industry", I.ProjectAsset.__table__, (
    VILLAGE, Field("project_name", "所属项目名称", required=False, length=60),
    Field("project_year", "项目实施年度", "year", False, low=2015, high=2035),
    Field("asset_class", "资产类别", "enum", choices=("经营性", "公益性", "到户类")), Field("kind", "资产名称", length=20),
    Field("value", "资产价值(元)", "number", low=0, high=1e10, aliases=("资产价值", "原值")),
    Field("owner", "产权归属", required=False, length=40), Field("state", "资产状态", "enum", choices=("正常", "闲置", "损毁", "流失")),
    Field("yearly_income", "年收益(元)", "number", low=-1e10, high=1e10, aliases=("年收益",)),
    Field("formed_on", "形成日期", "date"),
    Field("disposal", "处置方式", "enum", False, choices=("转让", "置换", "报损", "报废")),
    Field("disposal_approved", "处置已审批", "bool", False),
), ("village_code", "asset_class", "kind", "formed_on"), (Ref("project", ("village_code", "project_name", "project_year"),
                                                             required=False),),
    region="village_code", dates=("formed_on",)))

_add(Kind("pv_station", "村级光伏电站", "industry", I.PvStation.__table__, (
    VILLAGE, Field("kw", "装机容量(千瓦)", "number", low=0.1, high=100_000, aliases=("装机容量",)),
    Field("built_year", "建成年度", "year", low=2010, high=2035),
), ("village_code", "built_year"), region="village_code", dates=("built_year",)))

_add(Kind("pv_year", "光伏电站年度收益", "industry", I.PvYear.__table__, (
    VILLAGE, Field("built_year", "建成年度", "year", low=2010, high=2035), YEAR,
    Field("generation_kwh", "发电量(千瓦时)", "number", low=0, high=1e10, aliases=("发电量",)),
    Field("income", "收益(元)", "number", low=0, high=1e10, aliases=("收益", "发电收益")),
    Field("use_public_jobs", "设置公益岗位(元)", "number", low=0, high=1e10),
    Field("use_public_works", "小型公益事业(元)", "number", low=0, high=1e10),
    Field("use_rewards", "奖励补助(元)", "number", low=0, high=1e10),
), ("station_id", "year"), (Ref("station", ("village_code", "built_year")),), region="village_code", dates=("year",)))

_add(Kind("county_monthly", "县级月度数据", "industry", I.CountyMonthly.__table__, (
    COUNTY, Field("month", "月份", "month"),
    Field("labour_employed", "脱贫劳动力务工人数", "int", low=0, high=10_000_000),
    Field("labour_target", "务工目标人数", "int", low=0, high=10_000_000),
    Field("fund_spent", "衔接资金累计支出(元)", "number", low=0, high=1e11),
    Field("fund_industry", "用于产业累计支出(元)", "number", low=0, high=1e11),
    Field("consumption_sales", "消费帮扶销售额(元)", "number", low=0, high=1e11),
    Field("purchase_832", "832平台采购额(元)", "number", low=0, high=1e11),
    Field("purchase_reserved", "预留采购份额(元)", "number", low=0, high=1e11),
), ("county_code", "month"), region="county_code", dates=("month",)))

_add(Kind("social_support", "社会帮扶", "industry", I.SocialSupport.__table__, (
    VILLAGE, Field("kind", "帮扶类型", "enum", choices=("定点帮扶", "百企兴百村")),
    Field("partner", "帮扶单位", length=40, aliases=("帮扶单位(企业)", "帮扶企业")),
    Field("started_year", "结对年度", "year", low=2010, high=2035),
    Field("funds", "投入资金(元)", "number", low=0, high=1e11, aliases=("帮扶资金",)),
    Field("projects", "引进项目数", "int", low=0, high=10_000),
), ("kind", "partner", "village_code"), region="village_code", dates=("started_year",)))

_add(Kind("task_progress", "重点任务进度", "app", A.TaskProgress.__table__, (
    Field("task_year", "任务年度", "year", low=2021, high=2035), Field("task_title", "任务名称", length=120),
    Field("week_end", "周末日期", "date", note="填写本周星期日"), Field("percent", "完成进度", "share"),
    Field("note", "进展情况", length=200),
), ("task_id", "week_end"), (Ref("task", ("task_year", "task_title")),), dates=("week_end",)))
