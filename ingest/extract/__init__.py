"""Deterministic recognisers for numbers, quantities, substances, dates and arrests in sentences."""
