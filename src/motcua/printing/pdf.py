"""HTML to PDF with WeasyPrint, loaded on first use: WeasyPrint needs Pango from the
system, and a machine without it must still run everything but the PDFs, and say clearly
what to install."""

from __future__ import annotations

import functools
from typing import Any

from .exceptions import DEBIAN_PACKAGES, PdfEngineUnavailable


@functools.cache
def _weasyprint() -> Any:
    try:
        import weasyprint
    except OSError as error:  # cffi could not dlopen libpango / libpangoft2
        raise PdfEngineUnavailable(str(error)) from error
    return weasyprint


def engine_problem() -> str:
    """'' when PDFs can be made; otherwise what the operator must do (for `make run`, the
    tests' skip reason, and health checks)."""
    try:
        _weasyprint()
    except PdfEngineUnavailable as error:
        return (
            f"WeasyPrint cannot load Pango ({error.details.get('cause', '')}): "
            f"apt-get install -y {DEBIAN_PACKAGES}"
        )
    return ""


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of `html` (its @page rules give the paper size and margins)."""
    weasyprint = _weasyprint()
    pdf: bytes = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    return pdf
