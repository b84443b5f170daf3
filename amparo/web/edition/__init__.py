"""The offline edition: the public site as static files, rendered by the web layer that serves it live.

``export_site`` writes a folder (the ``amparo export-site`` command), ``build_editions``
writes one prebuilt ZIP per language for the download view to serve as a file.
"""

from amparo.web.edition.export import ExportError, ExportResult, build_files, export_site, zip_archive

__all__ = ["ExportError", "ExportResult", "build_files", "export_site", "zip_archive"]
