"""Casebook URLs, under /<language>/casebook/. Ids are random hex; nothing personal is ever in a path."""

from django.urls import path, register_converter

from amparo.web.casebook import backups, lifecycle, views


class RecordId:
    regex = "[0-9a-f]{16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class Kind:
    regex = "case|incident|engagement|request|follow-up|risk"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class Format(Kind):
    regex = "json|csv"


register_converter(RecordId, "rid")
register_converter(Format, "fmt")
register_converter(Kind, "kind")

urlpatterns = [
    path("casebook/", views.dashboard, name="casebook"),
    path("casebook/setup/", lifecycle.setup, name="casebook-setup"),
    path("casebook/unlock/", lifecycle.unlock, name="casebook-unlock"),
    path("casebook/lock/", lifecycle.lock, name="casebook-lock"),
    path("casebook/wipe/", lifecycle.wipe, name="casebook-wipe"),
    path("casebook/passphrase/", lifecycle.change_passphrase, name="casebook-passphrase"),
    path("casebook/backup/", backups.backup, name="casebook-backup"),
    path("casebook/restore/", backups.restore, name="casebook-restore"),
    path("casebook/cases/new/", views.case_new, name="casebook-case-new"),
    path("casebook/cases/<rid:case_id>/", views.case_detail, name="casebook-case"),
    path("casebook/cases/<rid:case_id>/new/<kind:kind>/", views.record_new, name="casebook-record-new"),
    path("casebook/cases/<rid:case_id>/export.<fmt:fmt>", views.export_case, name="casebook-export-case"),
    path("casebook/<kind:kind>/<rid:record_id>/", views.record_edit, name="casebook-record"),
    path("casebook/<kind:kind>/<rid:record_id>/delete/", views.record_delete, name="casebook-record-delete"),
    path("casebook/follow-up/<rid:record_id>/done/", views.follow_up_done, name="casebook-follow-up-done"),
    path("casebook/missions/", views.missions, name="casebook-missions"),
    path("casebook/follow-ups/", views.follow_ups, name="casebook-follow-ups"),
    path("casebook/search/", views.search, name="casebook-search"),
    path("casebook/audit/", views.audit, name="casebook-audit"),
    path("casebook/requests/from-plan/", views.request_from_plan, name="casebook-from-plan"),
    path("casebook/export/engagements.<fmt:fmt>", views.export_engagements, name="casebook-export-engagements"),
    path("casebook/export/follow-ups.ics", views.export_follow_ups, name="casebook-export-follow-ups"),
]
