"""Sign-in through an OpenID Connect provider (the VNeID-style login of a real deployment):
authorization-code flow with PKCE (S256), `state` against login CSRF and `nonce` against
replayed ID tokens. Standard library only (urllib, hashlib, hmac).

The ID token's RS256 signature is verified here against the provider's JWKS: RSASSA-PKCS1-v1_5
with SHA-256 is a modular exponentiation and a byte comparison (RFC 8017 section 8.2.2), so
no cryptography package is needed. Other algorithms are refused (never `none`, never HS256).

Settings (Django settings, else the environment): `MOTCUA_OIDC_ISSUER`,
`MOTCUA_OIDC_CLIENT_ID`, `MOTCUA_OIDC_CLIENT_SECRET`, `MOTCUA_OIDC_REDIRECT_URI` (default:
this site's callback URL), `MOTCUA_OIDC_SCOPES` ("openid profile email phone"),
`MOTCUA_OIDC_LABEL` (the button's provider name, "VNeID"). Without an issuer and a client id
the feature is off and its button is not shown. The provider must be reached over HTTPS
(plain HTTP is accepted only on the loopback interface, for tests and local development)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from motcua.caching import ProcessCache
from motcua.conf import setting

from .exceptions import OidcError

LEEWAY_SECONDS = 120
PENDING_MAX_AGE_SECONDS = 600
METADATA_MAX_AGE_SECONDS = 3600
MIN_RSA_BITS = 2048
HTTP_TIMEOUT_SECONDS = 10

# DER prefix of a DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: str
    label: str


def oidc_settings() -> OidcSettings | None:
    """The configured provider, or None when OIDC sign-in is off."""
    issuer = setting("MOTCUA_OIDC_ISSUER").rstrip("/")
    client_id = setting("MOTCUA_OIDC_CLIENT_ID")
    if not issuer or not client_id:
        return None
    return OidcSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=setting("MOTCUA_OIDC_CLIENT_SECRET"),
        redirect_uri=setting("MOTCUA_OIDC_REDIRECT_URI"),
        scopes=setting("MOTCUA_OIDC_SCOPES", "openid profile email phone"),
        label=setting("MOTCUA_OIDC_LABEL", "VNeID"),
    )


def _b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _require_secure(url: str) -> None:
    parsed = urllib.parse.urlsplit(url)
    loopback = parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    if parsed.scheme != "https" and not (parsed.scheme == "http" and loopback):
        raise OidcError(f"insecure_endpoint: {url}")


def _http_json(
    url: str, *, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    _require_secure(url)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read().decode())
    except urllib.error.HTTPError as exc:
        raise OidcError(f"http_{exc.code}: {url}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise OidcError(f"unreachable_or_invalid: {url}: {exc}") from exc
    if not isinstance(answer, dict):
        raise OidcError(f"not_an_object: {url}")
    return answer


# The provider's discovery document and keys, by URL.
_documents: ProcessCache[str, dict[str, Any]] = ProcessCache(
    recheck_setting="MOTCUA_OIDC_METADATA_SECONDS",
    recheck_default=METADATA_MAX_AGE_SECONDS,
    max_entries=32,
)


def _cached_json(url: str, *, refresh: bool = False) -> dict[str, Any]:
    if refresh:  # a token signed with a key we do not know yet: the keys may have rotated
        _documents.forget(url)
    document: dict[str, Any] = _documents.get(url, _http_json)
    return document


def provider_metadata(config: OidcSettings) -> dict[str, Any]:
    """The provider's discovery document (kept per process for an hour, or
    MOTCUA_OIDC_METADATA_SECONDS)."""
    metadata = _cached_json(f"{config.issuer}/.well-known/openid-configuration")
    if str(metadata.get("issuer", "")).rstrip("/") != config.issuer:
        raise OidcError("discovery_issuer_mismatch")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise OidcError(f"discovery_missing_{key}")
    return metadata


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the redirect and the callback."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    started_at: float

    def as_session(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_session(cls, data: object) -> Pending | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(**data)
        except TypeError:
            return None


def authorization_start(
    config: OidcSettings, *, redirect_uri: str, now: dt.datetime
) -> tuple[str, Pending]:
    """The provider URL to send the browser to, and what to keep in its session."""
    metadata = provider_metadata(config)
    pending = Pending(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        redirect_uri=config.redirect_uri or redirect_uri,
        started_at=now.timestamp(),
    )
    challenge = _b64url_encode(hashlib.sha256(pending.verifier.encode()).digest())
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": pending.redirect_uri,
            "scope": config.scopes,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    endpoint = str(metadata["authorization_endpoint"])
    _require_secure(endpoint)
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{query}", pending


def rsa_sha256_verify(*, n: int, e: int, message: bytes, signature: bytes) -> bool:
    """RSASSA-PKCS1-v1_5 verification with SHA-256 (RFC 8017 section 8.2.2)."""
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    encoded = pow(s, e, n).to_bytes(size, "big")
    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    return hmac.compare_digest(encoded, expected)


def _signing_key(jwks_uri: str, kid: str | None) -> tuple[int, int]:
    for refresh in (False, True):  # a key not found may be a rotation: fetch once more
        keys = _cached_json(jwks_uri, refresh=refresh).get("keys", [])
        candidates = [
            key
            for key in keys
            if isinstance(key, dict)
            and key.get("kty") == "RSA"
            and key.get("use", "sig") == "sig"
            and (kid is None or key.get("kid") == kid)
        ]
        if len(candidates) == 1:
            key = candidates[0]
            return (
                int.from_bytes(_b64url_decode(str(key["n"])), "big"),
                int.from_bytes(_b64url_decode(str(key["e"])), "big"),
            )
    raise OidcError("signing_key_not_found")


def id_token_claims(
    id_token: str,
    *,
    config: OidcSettings,
    jwks_uri: str,
    nonce: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """The claims of `id_token` once its signature, issuer, audience, times and nonce hold."""
    try:
        header_b64, payload_b64, signature_b64 = id_token.split(".")
        header = json.loads(_b64url_decode(header_b64))
        claims = json.loads(_b64url_decode(payload_b64))
        signature = _b64url_decode(signature_b64)
    except ValueError as exc:
        raise OidcError("id_token_malformed") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise OidcError("id_token_malformed")
    if header.get("alg") != "RS256":
        raise OidcError(f"id_token_alg_{header.get('alg')}")
    n, e = _signing_key(jwks_uri, header.get("kid"))
    if n.bit_length() < MIN_RSA_BITS:
        raise OidcError("signing_key_too_short")
    signed = f"{header_b64}.{payload_b64}".encode()
    if not rsa_sha256_verify(n=n, e=e, message=signed, signature=signature):
        raise OidcError("id_token_signature")
    if str(claims.get("iss", "")).rstrip("/") != config.issuer:
        raise OidcError("id_token_issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.client_id not in audiences:
        raise OidcError("id_token_audience")
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise OidcError("id_token_azp")
    moment = now.timestamp()
    try:
        expires, issued = float(claims["exp"]), float(claims.get("iat", moment))
    except (KeyError, TypeError, ValueError) as exc:
        raise OidcError("id_token_times") from exc
    if expires < moment - LEEWAY_SECONDS or issued > moment + LEEWAY_SECONDS:
        raise OidcError("id_token_expired")
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("id_token_nonce")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OidcError("id_token_subject")
    return claims


def authorization_complete(
    config: OidcSettings,
    *,
    pending: Pending | None,
    params: Mapping[str, str],
    now: dt.datetime,
) -> dict[str, Any]:
    """Check the callback against the session, exchange the code (with the PKCE verifier)
    and return the validated ID token claims."""
    if pending is None:
        raise OidcError("no_pending_sign_in")
    if now.timestamp() - pending.started_at > PENDING_MAX_AGE_SECONDS:
        raise OidcError("pending_sign_in_expired")
    if not hmac.compare_digest(params.get("state", ""), pending.state):
        raise OidcError("state_mismatch")
    if params.get("error"):
        raise OidcError(f"provider_error: {params.get('error')}")
    code = params.get("code", "")
    if not code:
        raise OidcError("no_code")
    metadata = provider_metadata(config)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending.redirect_uri,
        "code_verifier": pending.verifier,
        "client_id": config.client_id,
    }
    headers = {}
    if config.client_secret:
        credentials = (
            f"{urllib.parse.quote(config.client_id, safe='')}:"
            f"{urllib.parse.quote(config.client_secret, safe='')}"
        )
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    token = _http_json(str(metadata["token_endpoint"]), data=form, headers=headers)
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("no_id_token")
    return id_token_claims(
        id_token,
        config=config,
        jwks_uri=str(metadata["jwks_uri"]),
        nonce=pending.nonce,
        now=now,
    )
