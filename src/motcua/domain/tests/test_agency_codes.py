import pytest

from motcua.domain.agency_codes import (
    AgencyCodeScheme,
    InvalidAgencyCode,
    detect_scheme,
    level1_code,
    validate,
)

QD20 = AgencyCodeScheme.QD20_2020
QCVN = AgencyCodeScheme.QCVN102_2016


@pytest.mark.parametrize(
    ("code", "scheme"),
    [
        pytest.param("H56", QD20, id="qd20-level1"),
        pytest.param("H56.14", QD20, id="qd20-level2"),
        pytest.param("G06.01", QD20, id="qd20-ministry-unit"),
        pytest.param("H15.50.05.13", QD20, id="qd20-deep"),
        pytest.param("000.17.22.H56", QCVN, id="qcvn-commune"),
        pytest.param("000.00.00.G09", QCVN, id="qcvn-ministry"),
    ],
)
def test_valid_codes(code: str, scheme: AgencyCodeScheme) -> None:
    assert detect_scheme(code) is scheme
    validate(code, scheme)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("h56", id="lower-case"),
        pytest.param("Z56", id="letter-z-not-allowed"),
        pytest.param("H5", id="short-level1"),
        pytest.param("H56..1", id="empty-group"),
        pytest.param("H56.1-2", id="dash"),
        pytest.param("H56." + "1" * 40, id="too-long"),
        pytest.param("00.17.22.H56", id="qcvn-short-group"),
        pytest.param("", id="empty"),
    ],
)
def test_invalid_codes(code: str) -> None:
    assert detect_scheme(code) is None
    for scheme in AgencyCodeScheme:
        with pytest.raises(InvalidAgencyCode):
            validate(code, scheme)


def test_scheme_mismatch_is_invalid() -> None:
    with pytest.raises(InvalidAgencyCode, match="qcvn102_2016"):
        validate("H56.14", QCVN)


def test_level1_code_reads_each_scheme_from_its_own_end() -> None:
    assert level1_code("H56.14.02", QD20) == "H56"
    assert level1_code("000.17.22.H56", QCVN) == "H56"
