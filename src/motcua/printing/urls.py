from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("tracking-book.pdf", views.tracking_book, name="tracking_book"),
    path("<str:code>/<str:form>.pdf", views.dossier_form, name="dossier_form"),
]
