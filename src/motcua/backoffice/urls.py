from django.urls import path

from . import feedback_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("security/", views.security, name="security"),
    path("logout/", views.logout_view, name="logout"),
    path("membership/", views.switch_membership, name="switch_membership"),
    path("reception/", views.reception_pick, name="reception_pick"),
    path("reception/<str:procedure_code>/", views.reception_form, name="reception_form"),
    path("search/", views.search, name="search"),
    path("book/", views.book, name="book"),
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
