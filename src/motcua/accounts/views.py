"""Applicant accounts: sign-up and login by a one-time code, or an OIDC identity provider."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/login.html")
