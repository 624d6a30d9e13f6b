"""Deterministic demo data for the configured city (see seed.seed for the deliberate problems)."""
