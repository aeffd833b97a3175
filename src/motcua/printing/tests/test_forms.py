"""Each form prints for a dossier in the state that calls for it, with the dossier's code,
the applicant's name with its diacritics and the moments as the form writes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, ReturnChannel
from motcua.dossiers.tests.factories import MONDAY, World, at
from motcua.printing import forms
from motcua.printing.exceptions import FormNotApplicable, UnknownForm

from .conftest import NAME

Text = Callable[[bytes], str]
RECEIVED = "09 giờ 00 phút, ngày 09 tháng 03 năm 2026"  # Monday 9 March 2026, 09:00
DUE = "09 giờ 00 phút, ngày 12 tháng 03 năm 2026"  # + 3 working days


def pdf(world: World, dossier: Dossier, form: str, user: Any = None) -> bytes:
    reference = dossier.code or str(dossier.pk)
    return forms.dossier_form_pdf(user=user or world.receiver, code=reference, form=form).content


def test_receipt_has_code_applicant_moments_documents_and_motto(
    world: World, received: Dossier, text_of: Text
) -> None:
    assert received.due_at == at(12, 9)
    text = text_of(pdf(world, received, "01"))

    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert received.code and received.code in text
    assert NAME in text
    assert f"Thời gian nhận hồ sơ: {RECEIVED}" in text
    assert f"Thời gian trả kết quả giải quyết hồ sơ: {DUE}" in text
    assert "03 ngày làm việc" in text
    for document in world.home.documents:
        assert document.name in text
    assert "Trực tiếp tại Bộ phận Một cửa" in text
    # The receiving officer, family name first; the issuing unit in the name block.
    assert world.home.center.name.upper() in text


@override_settings(MOTCUA_PUBLIC_URL="https://dichvucong.example.gov.vn/")
def test_receipt_qr_code_holds_the_public_lookup_url_with_the_token(
    world: World, received: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    import segno

    payloads: list[str] = []
    make = segno.make

    def spy(content: str, *args: Any, **kwargs: Any) -> Any:
        payloads.append(content)
        return make(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    html = forms.dossier_form_html(received, "01")

    assert payloads == [
        f"https://dichvucong.example.gov.vn/tra-cuu/?code={received.code}"
        f"&token={received.lookup_token}"
    ]
    assert 'src="data:image/png;base64,' in html
    # The URL in the QR code opens the public lookup page.
    path = payloads[0].removeprefix("https://dichvucong.example.gov.vn")
    assert Client().get(path).status_code == 200


def test_supplement_request_at_reception(world: World, submitted: Dossier, text_of: Text) -> None:
    services.dossier_request_supplement_at_reception(
        actor=world.receiver,
        reference=str(submitted.pk),
        reasons="Tờ khai chưa có chữ ký của người yêu cầu",
        items=["Tờ khai đăng ký khai sinh có chữ ký", "Bản chính giấy chứng sinh"],
        now=at(9, 10, 15),
    )
    text = text_of(pdf(world, submitted, "02"))

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert NAME in text
    assert "Tờ khai đăng ký khai sinh có chữ ký" in text
    assert "Bản chính giấy chứng sinh" in text
    assert "Lý do: Tờ khai chưa có chữ ký của người yêu cầu" in text
    assert "10 giờ 15 phút, ngày 09 tháng 03 năm 2026" in text


def test_supplement_request_during_processing(
    world: World, received: Dossier, text_of: Text
) -> None:
    assert received.code
    services.dossier_request_supplement(
        actor=world.specialist,
        code=received.code,
        items=["Bản sao giấy chứng nhận kết hôn"],
        reasons="Thiếu căn cứ xác định quan hệ cha, mẹ",
        now=at(10, 14, 30),
    )
    text = text_of(pdf(world, received, "02", user=world.specialist))

    assert received.code in text
    assert NAME in text
    assert "Bản sao giấy chứng nhận kết hôn" in text
    assert "14 giờ 30 phút, ngày 10 tháng 03 năm 2026" in text


def test_refusal_of_reception_states_the_reasons(
    world: World, submitted: Dossier, text_of: Text
) -> None:
    services.dossier_refuse_reception(
        actor=world.receiver,
        reference=str(submitted.pk),
        reasons="Thủ tục không thuộc thẩm quyền giải quyết của phường",
        now=at(9, 11),
    )
    text = text_of(pdf(world, submitted, "03"))

    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert NAME in text
    assert "Thủ tục không thuộc thẩm quyền giải quyết của phường" in text
    assert "11 giờ 00 phút, ngày 09 tháng 03 năm 2026" in text


def test_apology_shows_the_original_and_the_new_appointment(
    world: World, received: Dossier, text_of: Text
) -> None:
    assert received.code
    services.dossier_apologise_and_extend(
        actor=world.leader,
        code=received.code,
        reason="Chờ kết quả xác minh của cơ quan công an",
        new_due_at=at(17, 16),
        now=at(11, 9),
    )
    text = text_of(pdf(world, received, "04", user=world.leader))

    assert "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert received.code in text
    assert NAME in text
    assert f"Vào {RECEIVED}" in text
    assert f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {DUE}" in text
    assert "16 giờ 00 phút, ngày 17 tháng 03 năm 2026" in text
    assert "Chờ kết quả xác minh của cơ quan công an" in text
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in text


def test_stop_notice_after_a_withdrawal(world: World, received: Dossier, text_of: Text) -> None:
    assert received.code
    services.dossier_withdraw(
        actor=world.receiver, code=received.code, reason="Không còn nhu cầu", now=at(10, 8)
    )
    text = text_of(pdf(world, received, "05"))

    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert received.code in text
    assert NAME in text
    assert "08 giờ 00 phút, ngày 10 tháng 03 năm 2026" in text
    assert "Không còn nhu cầu" in text


def test_control_slip_has_one_row_per_hand_over(
    world: World, received: Dossier, text_of: Text
) -> None:
    code = received.code
    assert code
    services.dossier_forward(actor=world.specialist, code=code, now=at(9, 14))
    services.dossier_resolve(
        actor=world.leader,
        code=code,
        result_number="15/2026/TP-KS",
        result_signer="Chủ tịch UBND phường",
        result_date=at(10, 9).date(),
        now=at(10, 9),
    )
    services.dossier_return_result(
        actor=world.receiver,
        code=code,
        channel=ReturnChannel.COUNTER,
        collected_by=NAME,
        now=at(10, 15),
    )
    text = text_of(pdf(world, received, "06"))

    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert code in text
    assert NAME in text
    assert f"Ngày nhận hồ sơ: {RECEIVED}" in text
    assert text.count("1. Giao:") == 4  # received, forwarded, resolved, returned
    assert "2. Nhận: Tổ chức, cá nhân: " + NAME in text
    assert "14 giờ 00 phút, 09/03/2026" in text
    assert "Trước hạn" in text


@pytest.mark.parametrize("form", ["02", "03", "04", "05"])
def test_a_form_whose_action_did_not_happen_does_not_apply(
    world: World, received: Dossier, form: str
) -> None:
    with pytest.raises(FormNotApplicable) as error:
        pdf(world, received, form)
    assert error.value.code == "form_not_applicable"
    assert error.value.message  # Vietnamese, for people


@pytest.mark.parametrize("form", ["01", "06"])
def test_receipt_and_control_slip_need_a_received_dossier(
    world: World, submitted: Dossier, form: str
) -> None:
    with pytest.raises(FormNotApplicable):
        pdf(world, submitted, form)


@pytest.mark.parametrize("form", ["08", "00", "abc", "07"])
def test_unknown_forms_and_the_book_are_refused_for_a_dossier(
    world: World, received: Dossier, form: str
) -> None:
    expected = FormNotApplicable if form == "07" else UnknownForm
    with pytest.raises(expected):
        pdf(world, received, form)


def test_forms_available_follow_what_happened(world: World, received: Dossier) -> None:
    assert [f.number for f in forms.forms_available_for(received)] == ["01", "06"]
    assert received.code
    services.dossier_apologise_and_extend(
        actor=world.leader,
        code=received.code,
        reason="Chờ xác minh",
        new_due_at=at(17, 16),
        now=at(11, 9),
    )
    assert [f.number for f in forms.forms_available_for(received)] == ["01", "04", "06"]
    url = reverse("printing:dossier_form", args=[received.code, "04"])
    assert url == f"/forms/{received.code}/04.pdf"


def test_forms_print_in_vietnamese_whatever_the_reader_language(
    world: World, received: Dossier, text_of: Text
) -> None:
    from django.utils import translation

    with translation.override("en"):
        text = text_of(pdf(world, received, "01"))
    assert "Thời gian nhận hồ sơ" in text
    assert MONDAY.year == 2026
