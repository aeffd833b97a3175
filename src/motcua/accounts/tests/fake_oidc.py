"""A tiny OpenID Connect provider for tests: discovery, JWKS, an authorization step called
in-process, and a token endpoint over HTTP that checks PKCE, the redirect URI and the client's
credentials, then returns an RS256-signed ID token. RSA keys are made here with the standard
library (Miller-Rabin), since the project has no cryptography package."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def _probable_prime(n: int) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _round in range(24):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _square in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if _probable_prime(candidate):
            return candidate


@dataclass(frozen=True)
class RsaKey:
    n: int
    e: int
    d: int
    kid: str

    @classmethod
    def generate(cls, bits: int = 2048, kid: str = "key-1") -> RsaKey:
        e = 65537
        while True:
            p, q = _prime(bits // 2), _prime(bits // 2)
            phi = (p - 1) * (q - 1)
            if p != q and phi % e and (p * q).bit_length() == bits:
                return cls(n=p * q, e=e, d=pow(e, -1, phi), kid=kid)

    def sign(self, message: bytes) -> bytes:
        size = (self.n.bit_length() + 7) // 8
        digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
        encoded = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
        return pow(int.from_bytes(encoded, "big"), self.d, self.n).to_bytes(size, "big")

    def jwk(self) -> dict[str, str]:
        def b64(number: int) -> str:
            raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": b64(self.n),
            "e": b64(self.e),
        }


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt(key: RsaKey, claims: dict[str, Any], *, alg: str = "RS256") -> str:
    header = _b64(json.dumps({"alg": alg, "typ": "JWT", "kid": key.kid}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = _b64(key.sign(f"{header}.{payload}".encode()))
    return f"{header}.{payload}.{signature}"


@dataclass
class FakeProvider:
    key: RsaKey
    client_id: str = "motcua-test"
    client_secret: str = "provider-secret"
    base: str = ""
    subject: str = "vneid-000123"
    claims: dict[str, Any] = field(default_factory=dict)
    # What the next token carries instead of the real values (to simulate an attack).
    nonce_override: str | None = None
    signing_key: RsaKey | None = None
    grants: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def authorize(self, url: str) -> tuple[str, str]:
        """The user consents: returns (code, state) as the provider's redirect would carry."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        assert query["client_id"] == self.client_id
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.grants[code] = query
        return code, query["state"]

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        grant = self.grants.pop(form.get("code", ""), None)
        expected = (
            "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        )
        if authorization != expected:
            return 401, {"error": "invalid_client"}
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        challenge = _b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if challenge != grant["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.base,
            "aud": self.client_id,
            "sub": self.subject,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce_override if self.nonce_override is not None else grant["nonce"],
            **self.claims,
        }
        id_token = jwt(self.signing_key or self.key, claims)
        return 200, {"access_token": "at", "token_type": "Bearer", "id_token": id_token}


def serve(provider: FakeProvider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/.well-known/openid-configuration":
                self._json(
                    200,
                    {
                        "issuer": provider.base,
                        "authorization_endpoint": f"{provider.base}/authorize",
                        "token_endpoint": f"{provider.base}/token",
                        "jwks_uri": f"{provider.base}/jwks",
                    },
                )
            elif self.path == "/jwks":
                self._json(200, {"keys": [provider.key.jwk()]})
            else:
                self._json(404, {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path == "/token":
                self._json(*provider.token(form, self.headers.get("Authorization", "")))
            else:
                self._json(404, {})

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
