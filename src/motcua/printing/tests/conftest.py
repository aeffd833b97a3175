"""Fixtures for the forms: a small province (dossiers' factories) whose dossiers belong to
an applicant with a fully accented name, and PDF text extraction."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import MONDAY, World, make_world
from motcua.printing.pdf import engine_problem

NAME = "Nguyễn Thị Hồng Ánh"
APPLICANT = services.Applicant(
    name=NAME,
    id_number="001190012345",
    phone="0987654321",
    address="Số 5 ngõ Hòe Nhai, phường Một",
)


@pytest.fixture(autouse=True)
def _pdf_engine() -> None:
    problem = engine_problem()
    if problem:
        pytest.skip(problem)


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def received(world: World) -> Dossier:
    """A walk-in received at the ward's counter on Monday 9 March 2026 at 09:00."""
    return services.dossier_receive(
        actor=world.receiver,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        documents=[d.pk for d in world.home.documents],
        now=MONDAY,
    )


@pytest.fixture
def submitted(world: World) -> Dossier:
    """An online submission awaiting the desk's checks (no code yet)."""
    return services.dossier_submit(
        actor=world.applicant,
        procedure_code=world.procedure_code,
        applicant=APPLICANT,
        now=MONDAY,
    )


def pdf_text(content: bytes) -> str:
    """The PDF's text, NFC, with every run of white space (line breaks too) as one space."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def text_of() -> Callable[[bytes], str]:
    return pdf_text
