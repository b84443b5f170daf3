"""Team URLs, under /<language>/team/ (installed in team mode only). No personal data in any path:
members are named by their random principal, sessions by a hash of their key."""

from django.urls import path

from amparo.web.team import audit_views, passkey_views, views
from amparo.web.team.audit import acting

app_name = "team"

urlpatterns = [
    path("team/login/", views.login_view, name="login"),
    path("team/logout/", views.logout_view, name="logout"),
    path("team/enrol/<str:token>/", views.enrol, name="enrol"),
    path("team/account/", views.account, name="account"),
    path("team/account/sessions/end/", views.end_sessions, name="end-sessions"),
    path("team/account/password/", views.password_change, name="password"),
    path("team/account/recovery-codes/", acting(views.recovery_codes), name="recovery-codes"),
    path("team/account/passkeys/add/", passkey_views.add_passkey, name="add-passkey"),
    path("team/account/app/add/", passkey_views.add_app, name="add-app"),
    path("team/account/second-factors/remove/", passkey_views.remove_factor, name="remove-factor"),
    # Member changes are audited (amparo.web.team.audit): acting names the admin who made them.
    path("team/members/", acting(views.members), name="members"),
    path("team/members/<str:principal>/", acting(views.member_action), name="member"),
    path("team/audit/", audit_views.audit_log, name="audit"),
    path("team/audit/export/", audit_views.audit_export, name="audit-export"),
]
