"""Industry database (产业库): specialty villages, collective economy, projects and assets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Double, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data_access.models.changes import change_table


class IndustryBase(DeclarativeBase):
    """Declarative base of the industry database."""


class IndustryDatasetInfo(IndustryBase):
    """Key/value facts about the loaded industry data."""

    __tablename__ = "dataset_info"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class SpecialtyVillage(IndustryBase):
    """A 一村一品 specialty village."""

    __tablename__ = "specialty_village"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    industry: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(10))  # 种植 养殖 乡村旅游 加工
    level: Mapped[str] = mapped_column(String(20))  # 市级 省级 全国一村一品示范村
    year_recognised: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(4))  # 培育 认定 示范


class SpecialtyMetric(IndustryBase):
    """Yearly metrics of a specialty village, reported once the year has closed: a year still running has
    no row, and its figures (I2) are those of the last completed year."""

    __tablename__ = "specialty_metric"
    specialty_village_id: Mapped[int] = mapped_column(
        ForeignKey("specialty_village.id"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    industry_output: Mapped[float] = mapped_column(Double)  # 元
    agri_output: Mapped[float] = mapped_column(Double)  # 元
    households_engaged: Mapped[int] = mapped_column(Integer)
    households_total: Mapped[int] = mapped_column(Integer)
    per_capita_income: Mapped[float] = mapped_column(Double)
    county_per_capita_income: Mapped[float] = mapped_column(Double)
    chain_production: Mapped[bool] = mapped_column(Boolean)
    chain_processing: Mapped[bool] = mapped_column(Boolean)
    chain_circulation: Mapped[bool] = mapped_column(Boolean)
    chain_service: Mapped[bool] = mapped_column(Boolean)
    brand: Mapped[str | None] = mapped_column(String(40))
    certification: Mapped[str | None] = mapped_column(String(10))  # 绿色 有机 地理标志
    cooperatives: Mapped[int] = mapped_column(Integer)
    households_linked: Mapped[int] = mapped_column(Integer)


class CollectiveIncome(IndustryBase):
    """Village collective economy for a year (quarter null) or a quarter."""

    __tablename__ = "collective_income"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)
    total_income: Mapped[float] = mapped_column(Double)
    operating_income: Mapped[float] = mapped_column(Double)  # 经营+发包及上交+投资收益+其他经营
    op_business: Mapped[float] = mapped_column(Double)
    op_contracting: Mapped[float] = mapped_column(Double)
    op_investment: Mapped[float] = mapped_column(Double)
    op_other: Mapped[float] = mapped_column(Double)
    subsidy_income: Mapped[float] = mapped_column(Double)
    other_income: Mapped[float] = mapped_column(Double)
    development_type: Mapped[str] = mapped_column(String(10))
    assets: Mapped[float] = mapped_column(Double)
    debts: Mapped[float] = mapped_column(Double)

    __table_args__ = (Index("ix_collective_county_year", "county_code", "year"),)


class IndustryProject(IndustryBase):
    """A 衔接资金 industry project."""

    __tablename__ = "industry_project"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(60))
    industry: Mapped[str] = mapped_column(String(20))
    fund_source: Mapped[str] = mapped_column(String(20))
    investment: Mapped[float] = mapped_column(Double)  # 元
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(6))  # 在建 运营正常 弱质 闲置 已盘活 已整改
    households_linked: Mapped[int] = mapped_column(Integer)
    revenue: Mapped[float] = mapped_column(Double)  # latest yearly revenue, 元


class ProjectStatusChange(IndustryBase):
    """A dated status of a project, so rates can be read as of any date."""

    __tablename__ = "project_status_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("industry_project.id"), index=True)
    changed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(6))


class ProjectAsset(IndustryBase):
    """An entry of the 扶贫项目资产台账."""

    __tablename__ = "project_asset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("industry_project.id"), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    village_code: Mapped[str] = mapped_column(String(12))
    asset_class: Mapped[str] = mapped_column(String(6))  # 经营性 公益性 到户类
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Double)
    owner: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(4))  # 正常 闲置 损毁 流失
    yearly_income: Mapped[float] = mapped_column(Double)
    formed_on: Mapped[date] = mapped_column(Date)
    disposal: Mapped[str | None] = mapped_column(String(6))  # 转让 置换 报损 报废
    disposal_approved: Mapped[bool | None] = mapped_column(Boolean)


class PvStation(IndustryBase):
    """A village PV station (村级光伏电站)."""

    __tablename__ = "pv_station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    kw: Mapped[float] = mapped_column(Double)
    built_year: Mapped[int] = mapped_column(Integer)


class PvYear(IndustryBase):
    """A PV station's yearly generation, income and its use."""

    __tablename__ = "pv_year"
    station_id: Mapped[int] = mapped_column(ForeignKey("pv_station.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation_kwh: Mapped[float] = mapped_column(Double)
    income: Mapped[float] = mapped_column(Double)
    use_public_jobs: Mapped[float] = mapped_column(Double)
    use_public_works: Mapped[float] = mapped_column(Double)
    use_rewards: Mapped[float] = mapped_column(Double)


class CountyMonthly(IndustryBase):
    """County monthly figures: labour, 衔接资金, 消费帮扶 and 832 purchases."""

    __tablename__ = "county_monthly"
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month
    labour_employed: Mapped[int] = mapped_column(Integer)
    labour_target: Mapped[int] = mapped_column(Integer)
    fund_spent: Mapped[float] = mapped_column(Double)  # year to date, 元
    fund_industry: Mapped[float] = mapped_column(Double)  # year to date, 元
    consumption_sales: Mapped[float] = mapped_column(Double)
    purchase_832: Mapped[float] = mapped_column(Double)
    purchase_reserved: Mapped[float] = mapped_column(Double)


class CountyTarget(IndustryBase):
    """A county's yearly target for an indicator (e.g. I1 specialty villages)."""

    __tablename__ = "county_target"
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(8), primary_key=True)
    target: Mapped[float] = mapped_column(Double)


class SocialSupport(IndustryBase):
    """A 定点帮扶 or 百企兴百村 pairing with a village."""

    __tablename__ = "social_support"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(6))  # 定点帮扶 百企兴百村
    partner: Mapped[str] = mapped_column(String(40))
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    started_year: Mapped[int] = mapped_column(Integer)
    funds: Mapped[float] = mapped_column(Double)
    projects: Mapped[int] = mapped_column(Integer)


ImportChange = change_table(IndustryBase.metadata)
