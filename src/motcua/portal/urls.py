from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("thanh-toan/thong-bao/", views.payment_callback, name="payment_callback"),
    path("thanh-toan/<str:code>/", views.payment, name="payment"),
    path(
        "thanh-toan/<str:code>/<int:payment_id>/cong-thanh-toan/",
        views.payment_gateway_start,
        name="payment_gateway_start",
    ),
]
