"""Typed SQLAlchemy models of the monitoring, industry and app databases."""

from data_access.models.app import AppBase
from data_access.models.industry import IndustryBase
from data_access.models.monitoring import MonitoringBase

BASES = {"monitoring": MonitoringBase, "industry": IndustryBase, "app": AppBase}

__all__ = ["AppBase", "BASES", "IndustryBase", "MonitoringBase"]
