"""Signing keys made for the tests: a PKCS#12 file with a self-signed organisation
certificate, as an agency's would be, and PDFs signed with it (the electronic results'
tests, the forms' tests and the deploy check); a time-stamping service's certificate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "mat-khau-khoa"


def self_signed(holder: str, *, time_stamping: bool = False) -> tuple[Any, Any]:
    """An RSA key and a self-signed certificate issued to `holder` (asn1crypto, for
    pyHanko): an organisation's signing certificate, or a time-stamping service's."""
    from asn1crypto import x509 as asn1_x509

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, holder),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, holder),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
    )
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        ).add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    certificate = builder.sign(key, hashes.SHA256())
    der = certificate.public_bytes(serialization.Encoding.DER)
    return key, asn1_x509.Certificate.load(der)


def private_key_info(key: Any) -> Any:
    """`key` as asn1crypto's PrivateKeyInfo, as pyHanko's test signers take it."""
    from asn1crypto import keys

    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return keys.PrivateKeyInfo.load(der)


def make_key(folder: Path, holder: str, passphrase: str = PASSPHRASE) -> tuple[str, Any]:
    """A PKCS#12 file with a key and a self-signed organisation certificate issued to
    `holder`; its path and the certificate (asn1crypto, for pyHanko's validation)."""
    key, certificate = self_signed(holder)
    path = folder / f"{abs(hash(holder))}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"agency",
            key,
            x509.load_der_x509_certificate(certificate.dump()),
            None,
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    return str(path), certificate


def blank_pdf(text: str = "") -> bytes:
    """A one-page A4 PDF."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_pdf(key_path: str, pdf: bytes | None = None, passphrase: str = PASSPHRASE) -> bytes:
    """`pdf` (a blank page by default) signed with the key in `key_path`, PAdES."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(key_path, passphrase=passphrase.encode())
    assert signer is not None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf or blank_pdf()))
    metadata = signers.PdfSignatureMetadata(
        field_name="ky-so", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return bytes(signers.sign_pdf(writer, metadata, signer=signer).getvalue())


def pem(certificate: Any) -> bytes:
    """`certificate` (asn1crypto) as PEM, as a trusted roots file holds it."""
    from asn1crypto import pem as asn1_pem

    return bytes(asn1_pem.armor("CERTIFICATE", certificate.dump()))
