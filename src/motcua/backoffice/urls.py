from django.urls import path

from . import feedback_views, monitoring_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("security/", views.security, name="security"),
    path("reminders/", views.reminders, name="reminders"),
    path("logout/", views.logout_view, name="logout"),
    path("membership/", views.switch_membership, name="switch_membership"),
    path("reception/", views.reception_pick, name="reception_pick"),
    path("reception/<str:procedure_code>/", views.reception_form, name="reception_form"),
    path("search/", views.search, name="search"),
    path("book/", views.book, name="book"),
    path("untold/", views.untold, name="untold"),
    path("untold/<int:message_id>/told/", views.untold_told, name="untold_told"),
    path("shipments/", views.shipments, name="shipments"),
    path("monitoring/", monitoring_views.dashboard, name="monitoring"),
    path("monitoring/bieu06/", monitoring_views.bieu06_page, name="monitoring_bieu06"),
    path("monitoring/index766/", monitoring_views.index766_page, name="monitoring_index766"),
    path("monitoring/overdue/", monitoring_views.overdue_page, name="monitoring_overdue"),
    path("monitoring/activity/", monitoring_views.activity_page, name="monitoring_activity"),
    path("monitoring/dossiers/", monitoring_views.dossiers_page, name="monitoring_dossiers"),
    path("dossiers/<str:code>/", views.dossier_detail, name="dossier"),
    path("dossiers/<str:code>/<str:action>/", views.dossier_act, name="dossier_act"),
    path("complaints/", feedback_views.complaint_inbox, name="complaints"),
    path("complaints/<str:code>/", feedback_views.complaint_detail, name="complaint"),
    path(
        "complaints/<str:code>/files/<int:attachment_id>/",
        feedback_views.complaint_attachment,
        name="complaint_attachment",
    ),
    path("complaints/<str:code>/<str:action>/", feedback_views.complaint_act, name="complaint_act"),
]
