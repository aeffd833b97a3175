from django.urls import path

from . import applicant_views, board_views, complaint_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("kiem-tra-van-ban/", views.verify, name="verify"),
    path(
        "nop-truc-tuyen/da-nop/<int:pk>/",
        applicant_views.submission_done,
        name="submission_done",
    ),
    path("nop-truc-tuyen/<str:code>/", applicant_views.submission, name="submission"),
    path("ho-so-cua-toi/", applicant_views.my_dossiers, name="my_dossiers"),
    path("kho-du-lieu/", applicant_views.my_store, name="my_store"),
    path("ho-so-cua-toi/<str:reference>/", applicant_views.my_dossier, name="my_dossier"),
    path(
        "ho-so-cua-toi/<str:reference>/bo-sung/",
        applicant_views.my_dossier_supplement,
        name="my_dossier_supplement",
    ),
    path(
        "ho-so-cua-toi/<str:reference>/dung-giai-quyet/",
        applicant_views.my_dossier_withdraw,
        name="my_dossier_withdraw",
    ),
    path(
        "ho-so-cua-toi/<str:reference>/danh-gia/",
        applicant_views.my_dossier_rate,
        name="my_dossier_rate",
    ),
    path(
        "ho-so-cua-toi/<str:reference>/tep/<int:file_id>/",
        applicant_views.my_dossier_file,
        name="my_dossier_file",
    ),
    path("phan-anh-kien-nghi/", complaint_views.published_list, name="published_list"),
    path(
        "phan-anh-kien-nghi/cong-khai/<int:pk>/",
        complaint_views.published_detail,
        name="published_detail",
    ),
    path("phan-anh-kien-nghi/gui/", complaint_views.complaint_new, name="complaint_new"),
    path(
        "phan-anh-kien-nghi/da-gui/<str:code>/",
        complaint_views.complaint_sent,
        name="complaint_sent",
    ),
    path("phan-anh-kien-nghi/theo-doi/", complaint_views.complaint_follow, name="complaint_follow"),
    path("phan-anh-kien-nghi/cua-toi/", complaint_views.my_complaints, name="my_complaints"),
    path(
        "phan-anh-kien-nghi/cua-toi/<str:code>/",
        complaint_views.my_complaint,
        name="my_complaint",
    ),
    path(
        "phan-anh-kien-nghi/cua-toi/<str:code>/bo-sung/",
        complaint_views.my_complaint_information,
        name="my_complaint_information",
    ),
    path("bang-trang-thai/<str:unit_code>/", board_views.status_board, name="status_board"),
    path("thong-ke/", board_views.statistics, name="statistics"),
    path("thanh-toan/thong-bao/", views.payment_callback, name="payment_callback"),
    path("thanh-toan/<str:code>/", views.payment, name="payment"),
    path(
        "thanh-toan/<str:code>/<int:payment_id>/cong-thanh-toan/",
        views.payment_gateway_start,
        name="payment_gateway_start",
    ),
]
