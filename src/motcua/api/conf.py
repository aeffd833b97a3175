"""The API's tunables: a Django setting of the name, else the environment variable (so a
deployment sets them like DATABASE_URL), else the default.

- MOTCUA_API_PUBLIC_RATE (10/minute): public lookups per client address.
- MOTCUA_API_PUBLIC_TOKEN_RATE (600/minute): per token of a system relaying lookups.
- MOTCUA_API_PUBLIC_CODE_FAILURES (20/hour): wrong factors per dossier code, from anywhere.
- MOTCUA_TRUSTED_PROXIES (0, shared with the portal and sign-in): proxies in front whose
  X-Forwarded-For is believed."""

from __future__ import annotations

from motcua.conf import setting

__all__ = ["setting"]
