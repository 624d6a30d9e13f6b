"""Monitoring database (防返贫监测库), modelled on the national system's concepts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Double, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data_access.models.changes import change_table


class MonitoringBase(DeclarativeBase):
    """Declarative base of the monitoring database."""


class DatasetInfo(MonitoringBase):
    """Key/value facts about the loaded data (source, data date); shared shape with industry."""

    __tablename__ = "dataset_info"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Region(MonitoringBase):
    """City, county, township and village in one table with parent codes (统计用区划代码)."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(10))  # city / county / township / village
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)
    is_tuopin_county: Mapped[bool] = mapped_column(Boolean, default=False)
    is_key_county: Mapped[bool] = mapped_column(Boolean, default=False)
    is_tuopin_village: Mapped[bool] = mapped_column(Boolean, default=False)


class Household(MonitoringBase):
    """A rural household (脱贫户 or other monitored household)."""

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    head_name: Mapped[str] = mapped_column(String(30))
    head_id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(11))
    size: Mapped[int] = mapped_column(Integer)
    is_tuopin: Mapped[bool] = mapped_column(Boolean)
    is_dibao: Mapped[bool] = mapped_column(Boolean, default=False)
    is_tekun: Mapped[bool] = mapped_column(Boolean, default=False)
    labour_count: Mapped[int] = mapped_column(Integer)


class Member(MonitoringBase):
    """A household member with schooling, health, insurance, labour and work."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    id_number: Mapped[str] = mapped_column(String(18))
    relation: Mapped[str] = mapped_column(String(10))  # 户主 配偶 子女 父母 孙子女 其他
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(2))
    school_stage: Mapped[str | None] = mapped_column(String(10))  # 学前 小学 初中 高中 中职 高校
    dropout_on: Mapped[date | None] = mapped_column(Date)  # recorded as 失学辍学 on this date
    returned_on: Mapped[date | None] = mapped_column(Date)  # back at school (劝返复学) on this date
    health: Mapped[str] = mapped_column(String(10))  # 健康 长期慢性病 大病 残疾
    disability_level: Mapped[int | None] = mapped_column(Integer)
    medical_insured_on: Mapped[date | None] = mapped_column(Date)  # 基本医保 coverage began; None: not insured
    pension_insured: Mapped[bool] = mapped_column(Boolean)
    labour_capacity: Mapped[str] = mapped_column(String(4))  # 普通 弱 丧失 无
    work_place: Mapped[str | None] = mapped_column(String(10))  # 县内 省内县外 省外
    work_months: Mapped[int] = mapped_column(Integer, default=0)

    # the G2/G3 lists (lists.dropouts, lists.uninsured) read the few members concerned through these, not by
    # scanning every member (dropouts 500 -> 245 ms in one county at scale 10 on PostgreSQL)
    __table_args__ = (Index("ix_member_dropout", "dropout_on"), Index("ix_member_insured", "medical_insured_on"))


class MonitoringCase(MonitoringBase):
    """A monitoring case (监测对象), created at discovery; region and persons kept for aggregation."""

    __tablename__ = "monitoring_case"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6))
    persons: Mapped[int] = mapped_column(Integer)
    case_type: Mapped[str] = mapped_column(String(10))  # 脱贫不稳定户 边缘易致贫户 突发严重困难户
    channel: Mapped[str] = mapped_column(String(10))  # 农户自主申报 基层干部排查 部门筛查预警
    discovered_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(6))  # 纳入 不予纳入
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_days: Mapped[int | None] = mapped_column(Integer)  # decided_on - discovered_on (M4)
    included_on: Mapped[date | None] = mapped_column(Date)
    income_per_capita: Mapped[float | None] = mapped_column(Double)
    status: Mapped[str] = mapped_column(String(8))  # 待认定 监测中 风险已消除 不予纳入
    eliminated_on: Mapped[date | None] = mapped_column(Date)
    elimination_kind: Mapped[str | None] = mapped_column(String(6))  # 稳定消除 自然消除

    __table_args__ = (
        Index("ix_case_county_discovered", "county_code", "discovered_on"),
        Index("ix_case_county_included", "county_code", "included_on"),
    )


class CaseRisk(MonitoringBase):
    """One of up to five risks of a case, with the 因灾 subtype."""

    __tablename__ = "case_risk"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("monitoring_case.id"), index=True)
    risk: Mapped[str] = mapped_column(String(10))
    disaster_subtype: Mapped[str | None] = mapped_column(String(10))


class Measure(MonitoringBase):
    """An assistance measure (帮扶措施) of a case."""

    __tablename__ = "measure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("monitoring_case.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Double, default=0)
    department: Mapped[str] = mapped_column(String(20))
    is_developmental: Mapped[bool] = mapped_column(Boolean)


class Visit(MonitoringBase):
    """A follow-up visit (跟踪回访) to a household."""

    __tablename__ = "visit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_case.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    visitor_role: Mapped[str] = mapped_column(String(10))
    finding: Mapped[str] = mapped_column(String(40))


class DepartmentAlert(MonitoringBase):
    """A department screening alert (部门筛查预警)."""

    __tablename__ = "department_alert"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(6))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    person_id_number: Mapped[str | None] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(30))
    received_on: Mapped[date] = mapped_column(Date)
    verified_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(8))  # 纳入 不纳入 已是监测对象


class GuaranteeCheck(MonitoringBase):
    """A yearly 两不愁三保障及饮水 check of a household."""

    __tablename__ = "guarantee_check"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    food_clothing_ok: Mapped[bool] = mapped_column(Boolean)
    education_ok: Mapped[bool] = mapped_column(Boolean)
    medical_ok: Mapped[bool] = mapped_column(Boolean)
    housing_grade: Mapped[str] = mapped_column(String(1))  # A B safe; C D 危房
    water_quantity_ok: Mapped[bool] = mapped_column(Boolean)
    water_quality_ok: Mapped[bool] = mapped_column(Boolean)
    water_convenience_ok: Mapped[bool] = mapped_column(Boolean)
    water_reliability_ok: Mapped[bool] = mapped_column(Boolean)
    water_ok: Mapped[bool] = mapped_column(Boolean)  # all four water items met (kept by the loader, for the index)

    __table_args__ = (Index("ix_check_housing", "housing_grade", "checked_on"),
                      Index("ix_check_water", "water_ok", "checked_on"))


class IncomeRecord(MonitoringBase):
    """A household's yearly income and rigid expenditure."""

    __tablename__ = "income_record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    wage: Mapped[float] = mapped_column(Double)
    business: Mapped[float] = mapped_column(Double)
    property: Mapped[float] = mapped_column(Double)
    transfer: Mapped[float] = mapped_column(Double)
    rigid_expenditure: Mapped[float] = mapped_column(Double)
    per_capita_net: Mapped[float] = mapped_column(Double)


class IncomeLine(MonitoringBase):
    """The monitoring income line (监测范围) of a province and year: a setting, not a constant."""

    __tablename__ = "income_line"
    province: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[float] = mapped_column(Double)


class VillageCondition(MonitoringBase):
    """Yearly village conditions (村情): roads, express, networks, toilets, clinics, water."""

    __tablename__ = "village_condition"
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    natural_villages: Mapped[int] = mapped_column(Integer)
    natural_villages_hardened: Mapped[int] = mapped_column(Integer)
    express_delivery: Mapped[bool] = mapped_column(Boolean)
    fibre: Mapped[bool] = mapped_column(Boolean)
    g4: Mapped[bool] = mapped_column(Boolean)
    sanitary_toilet_share: Mapped[float] = mapped_column(Double)
    garbage_treated: Mapped[bool] = mapped_column(Boolean)
    sewage_treated: Mapped[bool] = mapped_column(Boolean)
    clinic: Mapped[bool] = mapped_column(Boolean)
    remote_medical: Mapped[bool] = mapped_column(Boolean)
    service_facility: Mapped[bool] = mapped_column(Boolean)
    grid_upgraded: Mapped[bool] = mapped_column(Boolean)
    safe_water_share: Mapped[float] = mapped_column(Double)


class ResidentTeam(MonitoringBase):
    """A resident team (驻村工作队) with its first secretary (第一书记)."""

    __tablename__ = "resident_team"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    first_secretary: Mapped[str] = mapped_column(String(30))
    team_size: Mapped[int] = mapped_column(Integer)
    dispatching_unit: Mapped[str] = mapped_column(String(40))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    days_on_duty: Mapped[int] = mapped_column(Integer)


class SocialAssistance(MonitoringBase):
    """A 民政 record: 低保, 特困 (with centralised care) or 临时救助 of a person."""

    __tablename__ = "social_assistance"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(6))  # 低保 特困 临时救助
    standard: Mapped[float] = mapped_column(Double)  # monthly standard it is paid at now (history: AssistanceStandard)
    topup: Mapped[float] = mapped_column(Double, default=0)  # 重度残疾等加发
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    unable_self_care: Mapped[bool] = mapped_column(Boolean, default=False)
    centralised_care: Mapped[bool] = mapped_column(Boolean, default=False)


class AssistanceStandard(MonitoringBase):
    """The monthly 低保 or 特困 standard of a county in a year, as 民政 sets it."""

    __tablename__ = "assistance_standard"
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(6), primary_key=True)  # 低保 特困
    monthly: Mapped[float] = mapped_column(Double)


class Employment(MonitoringBase):
    """A year of work of a 脱贫劳动力."""

    __tablename__ = "employment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    year: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(10))  # 县内 省内县外 省外
    months: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # 务工 公益岗位 以工代赈 扶贫车间 生态护林员
    trained: Mapped[bool] = mapped_column(Boolean)


class EmploymentSummary(MonitoringBase):
    """脱贫劳动力 with work per village and year (the household's village), refreshed with the village summaries: the
    稳定就业 board and S12, S13 read these instead of the person-level employment records. Persons are distinct
    within a village and year, so sums over villages count each person once."""

    __tablename__ = "employment_summary"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    workers: Mapped[int] = mapped_column(Integer)  # persons with any employment record of the year
    in_county: Mapped[int] = mapped_column(Integer)  # persons working 县内
    in_province: Mapped[int] = mapped_column(Integer)  # 省内县外
    out_province: Mapped[int] = mapped_column(Integer)  # 省外
    kind_work: Mapped[int] = mapped_column(Integer)  # persons with a record of the kind 务工
    kind_public: Mapped[int] = mapped_column(Integer)  # 公益岗位
    kind_relief: Mapped[int] = mapped_column(Integer)  # 以工代赈
    kind_workshop: Mapped[int] = mapped_column(Integer)  # 扶贫车间
    kind_ranger: Mapped[int] = mapped_column(Integer)  # 生态护林员
    months: Mapped[int] = mapped_column(Integer)  # months worked, summed over the records
    stable: Mapped[int] = mapped_column(Integer)  # persons with a record of six months or more (S13)
    trained: Mapped[int] = mapped_column(Integer)  # persons trained


class VillageSummary(MonitoringBase):
    """Per-village figures at each reporting date (the data date and every Sunday before it), refreshed by
    the seeder and every import, so that pages read hundreds of rows instead of scanning people."""

    __tablename__ = "village_summary"
    period_end: Mapped[date] = mapped_column(Date, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    households: Mapped[int] = mapped_column(Integer)
    tuopin_households: Mapped[int] = mapped_column(Integer)
    persons: Mapped[int] = mapped_column(Integer)  # members born on or before period_end
    tuopin_persons: Mapped[int] = mapped_column(Integer)
    guarantee_households: Mapped[int] = mapped_column(Integer)  # G population: 脱贫户 and households ever included
    guarantee_persons: Mapped[int] = mapped_column(Integer)  # G3 denominator
    insured: Mapped[int] = mapped_column(Integer)  # G3 numerator
    unsafe_housing: Mapped[int] = mapped_column(Integer)  # G1
    unsafe_water: Mapped[int] = mapped_column(Integer)  # G4
    dropouts: Mapped[int] = mapped_column(Integer)  # G2


ImportChange = change_table(MonitoringBase.metadata)
