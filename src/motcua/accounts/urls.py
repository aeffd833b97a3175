from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    path("dang-nhap/xac-thuc/", views.verify, name="verify"),
    path("dang-nhap/dinh-danh/", views.oidc_start, name="oidc_start"),
    path("dang-nhap/dinh-danh/ket-qua/", views.oidc_callback, name="oidc_callback"),
    path("dang-xuat/", views.logout, name="logout"),
    path("", views.profile, name="profile"),
]
