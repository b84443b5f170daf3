"""Amparo: diplomatic support for human rights defenders, as cited open data and tools."""

__version__ = "0.1.0"
