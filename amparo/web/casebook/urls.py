"""Casebook URLs, under /<language>/casebook/. Ids are random hex; nothing personal is ever in a path."""

from django.urls import path, register_converter

from amparo.web.casebook import backups, letters, lifecycle, sharing, transfers, views


class RecordId:
    regex = "[0-9a-f]{16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class Kind:
    regex = "case|incident|engagement|request|follow-up|risk|consent"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class Format(Kind):
    regex = "json|csv"


register_converter(RecordId, "rid")
register_converter(Format, "fmt")
register_converter(Kind, "kind")

app_name = "casebook"

urlpatterns = [
    path("casebook/", views.dashboard, name="dashboard"),
    path("casebook/setup/", lifecycle.setup, name="setup"),
    path("casebook/unlock/", lifecycle.unlock, name="unlock"),
    path("casebook/lock/", lifecycle.lock, name="lock"),
    path("casebook/wipe/", lifecycle.wipe, name="wipe"),
    path("casebook/passphrase/", lifecycle.change_passphrase, name="passphrase"),
    path("casebook/backup/", backups.backup, name="backup"),
    path("casebook/restore/", backups.restore, name="restore"),
    path("casebook/cases/new/", views.case_new, name="case-new"),
    path("casebook/cases/<rid:case_id>/", views.case_detail, name="case"),
    path("casebook/cases/<rid:case_id>/new/<kind:kind>/", views.record_new, name="record-new"),
    path("casebook/cases/<rid:case_id>/access/", sharing.case_access, name="case-access"),
    path("casebook/cases/<rid:case_id>/export.<fmt:fmt>", views.export_case, name="export-case"),
    path("casebook/cases/<rid:case_id>/move/", transfers.move_out, name="move-out"),
    path("casebook/import/", transfers.import_case, name="import"),
    path("casebook/<kind:kind>/<rid:record_id>/", views.record_edit, name="record"),
    path("casebook/<kind:kind>/<rid:record_id>/delete/", views.record_delete, name="record-delete"),
    path("casebook/follow-up/<rid:record_id>/done/", views.follow_up_done, name="follow-up-done"),
    path("casebook/request/<rid:record_id>/letter/", letters.request_letter, name="request-letter"),
    path("casebook/missions/", views.missions, name="missions"),
    path("casebook/follow-ups/", views.follow_ups, name="follow-ups"),
    path("casebook/search/", views.search, name="search"),
    path("casebook/audit/", views.audit, name="audit"),
    path("casebook/requests/from-plan/", views.request_from_plan, name="from-plan"),
    path("casebook/export/engagements.<fmt:fmt>", views.export_engagements, name="export-engagements"),
    path("casebook/export/follow-ups.ics", views.export_follow_ups, name="export-follow-ups"),
]
