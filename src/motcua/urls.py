from django.contrib import admin
from django.urls import include, path

from motcua.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/", include("motcua.backoffice.urls")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("forms/", include("motcua.printing.urls")),
    path("", include("motcua.portal.urls")),
]
