"""Reads of applicant accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import ApplicantProfile, SignInIdentity


def applicant_profile_for(user: AbstractBaseUser | AnonymousUser) -> ApplicantProfile | None:
    if not user.is_authenticated:
        return None
    return ApplicantProfile.objects.filter(user_id=user.pk).first()


def applicant_prefill(user: AbstractBaseUser | AnonymousUser) -> dict[str, str]:
    """Initial values for an online submission's applicant fields, from the profile.
    Keys: full_name, personal_id, phone, email, address (empty strings when unknown;
    an empty dict for an anonymous visitor or a user without a profile)."""
    profile = applicant_profile_for(user)
    if profile is None:
        return {}
    return {
        "full_name": profile.full_name,
        "personal_id": profile.personal_id,
        "phone": profile.phone,
        "email": profile.email,
        "address": profile.address,
    }


def sign_in_identities_for(user: AbstractBaseUser | AnonymousUser) -> list[SignInIdentity]:
    if not user.is_authenticated:
        return []
    return list(SignInIdentity.objects.filter(user_id=user.pk).order_by("kind", "value"))
