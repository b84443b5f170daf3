"""Temporary: the offline edition moved to :mod:`amparo.web.edition`; delete once the CLI imports it there."""

from amparo.web.edition.export import ExportError, export_site  # noqa: F401
