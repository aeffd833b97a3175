"""The applicant's pages: online submission with drafts, my dossiers, a dossier's page with
supplement, withdrawal, result download and rating. On the demo province: the ward of Hồng
Châu handles birth registration (1.001193) online."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import notices, services
from motcua.dossiers.files import Upload
from motcua.dossiers.models import Dossier, DossierFile, FileKind, Status
from motcua.feedback.models import Rating
from motcua.integrations.delivery import Policy, deliver_due
from motcua.integrations.notices import NoticeDestination
from motcua.integrations.tests.fakes import Inbox
from motcua.portal.models import SubmissionDraft
from motcua.postal.models import PostalShipment
from motcua.printing.pdf import engine_problem
from motcua.procedures.models import ProcedureVersion

PROCEDURE = "1.001193"  # birth registration, full online service
COUNTER_ONLY = "2.001019"  # certifying a will: no online service
PDF = b"%PDF-1.4\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200


@pytest.fixture
def citizen(demo: None) -> User:
    return User.objects.create_user("citizen", email="an@example.vn", first_name="An")


@pytest.fixture
def client_in(citizen: User) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def officer(username: str) -> User:
    return User.objects.get(username=username)


def documents() -> list[int]:
    version = ProcedureVersion.objects.effective_on(timezone.localdate()).get(
        procedure__code=PROCEDURE
    )
    return [d.pk for d in version.documents.all()]


def form_data(**extra: object) -> dict[str, object]:
    ids = documents()
    data: dict[str, object] = {
        "applicant_kind": "citizen",
        "full_name": "Nguyễn Văn An",
        "id_number": "001099012345",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "",
        "return_channel": "online",
        f"doc_{ids[0]}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
        f"doc_{ids[1]}": SimpleUploadedFile("giay-chung-sinh.png", PNG, "image/png"),
    }
    data.update(extra)
    return data


def submit(client: Client, **extra: object) -> Dossier:
    response = client.post(reverse("portal:submission", args=[PROCEDURE]), form_data(**extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dossier.objects.latest("pk")


def receive(dossier: Dossier) -> Dossier:
    return services.dossier_receive(actor=officer("tiepnhan.hongchau"), code=str(dossier.pk))


def test_the_procedure_page_offers_online_submission_only_where_allowed(demo: None) -> None:
    online = Client().get(reverse("portal:procedure_detail", args=[PROCEDURE]))
    counter = Client().get(reverse("portal:procedure_detail", args=[COUNTER_ONLY]))
    link = reverse("portal:submission", args=[PROCEDURE])
    assert link in online.content.decode()
    assert "Nộp trực tuyến" in online.content.decode()
    assert "/nop-truc-tuyen/" not in counter.content.decode()


def test_submission_requires_sign_in(demo: None) -> None:
    url = reverse("portal:submission", args=[PROCEDURE])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_a_procedure_without_online_service_has_no_submission_form(client_in: Client) -> None:
    assert client_in.get(reverse("portal:submission", args=[COUNTER_ONLY])).status_code == 404


def test_the_form_is_prefilled_and_lists_the_documents_to_attach(client_in: Client) -> None:
    page = client_in.get(reverse("portal:submission", args=[PROCEDURE])).content.decode()
    assert 'value="an@example.vn"' in page
    assert "Tờ khai đăng ký khai sinh" in page
    assert 'type="file"' in page


def test_a_draft_keeps_the_typed_data_and_resumes(client_in: Client, citizen: User) -> None:
    url = reverse("portal:submission", args=[PROCEDURE])
    response = client_in.post(
        url, {"full_name": "Trần Thị Bình", "phone": "0987", "save_draft": "1"}, follow=True
    )
    assert "Đã lưu bản nháp" in response.content.decode()
    assert SubmissionDraft.objects.filter(user=citizen, procedure_code=PROCEDURE).exists()
    page = client_in.get(url).content.decode()
    assert 'value="Trần Thị Bình"' in page
    assert PROCEDURE in client_in.get(reverse("portal:my_dossiers")).content.decode()


def test_missing_fields_are_announced_in_vietnamese(client_in: Client) -> None:
    response = client_in.post(
        reverse("portal:submission", args=[PROCEDURE]),
        {"applicant_kind": "citizen", "return_channel": "postal"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert "Nhập họ và tên" in page
    assert "Đính kèm thành phần hồ sơ này" in page
    assert "Nhập địa chỉ nhận kết quả qua bưu chính" in page
    assert not Dossier.objects.filter(applicant_name="").exists()


def test_a_file_that_is_not_a_pdf_or_image_is_refused_clearly(client_in: Client) -> None:
    ids = documents()
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"0" * 100, "application/pdf")
    response = client_in.post(
        reverse("portal:submission", args=[PROCEDURE]), form_data(**{f"doc_{ids[0]}": bad})
    )
    assert response.status_code == 422
    assert "virus.pdf" in response.content.decode()
    assert not Dossier.objects.filter(applicant_name="Nguyễn Văn An").exists()


def test_submitting_creates_the_dossier_with_its_files_and_confirms(
    client_in: Client, citizen: User
) -> None:
    client_in.post(
        reverse("portal:submission", args=[PROCEDURE]), {"full_name": "x", "save_draft": "1"}
    )
    response = client_in.post(
        reverse("portal:submission", args=[PROCEDURE]), form_data(), follow=True
    )
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert dossier.status == Status.AWAITING_RECEPTION
    assert dossier.channel == "online"
    assert sorted(f.name for f in dossier.files.all()) == ["giay-chung-sinh.png", "to-khai.pdf"]
    page = response.content.decode()
    assert "Số tham chiếu khi nộp" in page
    assert f"<strong>{dossier.pk}</strong>" in page
    assert not SubmissionDraft.objects.filter(user=citizen).exists()


def test_once_received_the_confirmation_shows_the_code_and_the_appointment(
    client_in: Client,
) -> None:
    dossier = receive(submit(client_in))
    done = client_in.get(reverse("portal:submission_done", args=[dossier.pk])).content.decode()
    assert dossier.code in done
    # The submission reference still leads to the dossier, now under its code.
    old = client_in.get(reverse("portal:my_dossier", args=[str(dossier.pk)]))
    assert old.status_code == 302
    page = client_in.get(old["Location"]).content.decode()
    local_due = timezone.localtime(dossier.due_at)
    assert local_due.strftime("%d/%m/%Y") in page
    assert "Hẹn trả kết quả" in page


def test_another_applicant_cannot_see_or_act_on_the_dossier(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    stranger = User.objects.create_user("stranger")
    other = Client()
    other.force_login(stranger)
    for name in ("portal:my_dossier", "portal:my_dossier_withdraw"):
        assert other.get(reverse(name, args=[dossier.code])).status_code == 404
    file = dossier.files.first()
    assert file is not None
    url = reverse("portal:my_dossier_file", args=[dossier.code, file.pk])
    assert other.get(url).status_code == 404
    assert (
        other.post(reverse("portal:my_dossier_supplement", args=[dossier.code])).status_code == 404
    )
    assert dossier.code not in other.get(reverse("portal:my_dossiers")).content.decode()


def test_an_officer_who_may_see_the_dossier_has_no_applicant_page_for_it(
    client_in: Client,
) -> None:
    dossier = receive(submit(client_in))
    desk = Client()
    desk.force_login(officer("tiepnhan.hongchau"))
    assert desk.get(reverse("portal:my_dossier", args=[dossier.code])).status_code == 404


def test_the_applicant_sees_what_is_asked_and_supplements_online(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    services.dossier_request_supplement(
        actor=officer("tuphap.hongchau"),
        code=dossier.code or "",
        items=["Bản sao giấy chứng sinh rõ nét"],
        reasons="Bản chụp bị mờ, không đọc được",
    )
    url = reverse("portal:my_dossier", args=[dossier.code])
    page = client_in.get(url).content.decode()
    assert "Bản sao giấy chứng sinh rõ nét" in page
    assert "Bản chụp bị mờ" in page
    # Nothing attached: told so, nothing changes.
    response = client_in.post(reverse("portal:my_dossier_supplement", args=[dossier.code]), {})
    assert response.status_code == 422
    assert "Đính kèm" in response.content.decode()
    response = client_in.post(
        reverse("portal:my_dossier_supplement", args=[dossier.code]),
        {
            "note": "Gửi lại bản rõ",
            "attachments": [SimpleUploadedFile("chung-sinh-ro.pdf", PDF, "application/pdf")],
        },
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.files.filter(kind=FileKind.SUPPLEMENT, name="chung-sinh-ro.pdf").exists()
    assert "Đã gửi hồ sơ bổ sung" in response.content.decode()


def test_the_timeline_says_how_the_applicant_was_told(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    inbox = Inbox()
    destination = NoticeDestination(
        name=notices.NAME, topics=notices.TOPICS, compose=notices.compose, backend=lambda: inbox
    )
    deliver_due(now=timezone.now(), destinations=[destination], policy=Policy.from_settings())
    assert inbox.sms or inbox.email

    page = client_in.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()

    assert page.count("Đã thông báo qua") == len(inbox.sms) + len(inbox.email)


def test_the_applicant_follows_a_result_sent_by_post(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    Dossier.objects.filter(pk=dossier.pk).update(requested_return_channel="postal")
    booked_at = timezone.now()
    PostalShipment.objects.create(
        dossier=dossier,
        tracking_number="EB123456789VN",
        booked_at=booked_at,
        status_at=booked_at,
        recipient="Nguyễn Văn An",
        address="Số 1 Lê Lợi",
    )
    page = client_in.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Gửi qua bưu chính" in page and "mã vận đơn EB123456789VN" in page


def test_the_timeline_hides_the_internal_process_and_officers(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    services.dossier_forward(
        actor=officer("tuphap.hongchau"), code=dossier.code or "", note="Ghi chú nội bộ XYZ"
    )
    page = client_in.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Ghi chú nội bộ XYZ" not in page
    assert "Nguyễn Thị Bảo Ngọc" not in page  # the receiving officer
    assert "Tiếp nhận" in page


def test_an_apology_letter_shows_its_reason_and_the_new_appointment(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    assert dossier.due_at is not None
    new_due = dossier.due_at + dt.timedelta(days=3)
    services.dossier_apologise_and_extend(
        actor=officer("lanhdao.hongchau"),
        code=dossier.code or "",
        reason="Cần xác minh thêm với nơi sinh",
        new_due_at=new_due,
        now=dossier.due_at - dt.timedelta(hours=1),
    )
    page = client_in.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert "Cần xác minh thêm với nơi sinh" in page
    assert timezone.localtime(new_due).strftime("%H:%M %d/%m/%Y") in page


def test_withdrawal_asks_for_confirmation_then_stops_and_offers_form_05(
    client_in: Client,
) -> None:
    dossier = receive(submit(client_in))
    url = reverse("portal:my_dossier_withdraw", args=[dossier.code])
    assert "Dừng giải quyết hồ sơ" in client_in.get(url).content.decode()
    unconfirmed = client_in.post(url, {"reason": "Không còn nhu cầu"})
    assert unconfirmed.status_code == 422
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    page = client_in.post(url, {"reason": "Không còn nhu cầu", "confirm": "on"}, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert reverse("printing:dossier_form", args=[dossier.code, "05"]) in page.content.decode()


def resolve_electronically(dossier: Dossier) -> Dossier:
    code = dossier.code or ""
    services.dossier_forward(actor=officer("tuphap.hongchau"), code=code)
    return services.dossier_resolve(
        actor=officer("lanhdao.hongchau"),
        code=code,
        result_number="123/TLKS",
        result_signer="Nguyễn Văn Hùng",
        result_date=timezone.localdate(),
        electronic=True,
        result_uploads=[Upload(name="trich-luc-khai-sinh.pdf", file=ContentFile(PDF))],
    )


def test_the_electronic_result_is_downloaded_only_once_issued(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    resolved = resolve_electronically(dossier)
    result = DossierFile.objects.get(dossier=dossier, kind=FileKind.RESULT)
    url = reverse("portal:my_dossier_file", args=[resolved.code, result.pk])
    page = client_in.get(reverse("portal:my_dossier", args=[resolved.code])).content.decode()
    assert url in page
    response = client_in.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "trich-luc-khai-sinh.pdf" in response["Content-Disposition"]


def test_a_returned_dossier_can_be_rated_with_a_reason_when_dissatisfied(
    client_in: Client,
) -> None:
    dossier = resolve_electronically(receive(submit(client_in)))
    code = dossier.code or ""
    services.dossier_return_result(actor=officer("tiepnhan.hongchau"), code=code, channel="online")
    url = reverse("portal:my_dossier_rate", args=[code])
    response = client_in.post(url, {"level": "dissatisfied"})
    assert response.status_code == 422
    assert "Vui lòng nêu lý do không hài lòng" in response.content.decode()
    assert not Rating.objects.filter(dossier=dossier).exists()
    client_in.post(url, {"level": "very_satisfied"})
    assert Rating.objects.get(dossier=dossier).level == "very_satisfied"


def test_my_dossiers_lists_own_dossiers_in_a_bounded_number_of_queries(
    client_in: Client, citizen: User, django_assert_max_num_queries: object
) -> None:
    for _ in range(3):
        receive(submit(client_in))
    submit(client_in)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        page = client_in.get(reverse("portal:my_dossiers")).content.decode()
    for dossier in Dossier.objects.filter(applicant_user=citizen):
        assert (dossier.code or f"Lần nộp số {dossier.pk}") in page


def test_the_payment_link_appears_while_a_fee_is_awaited(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    services.dossier_request_payment(
        actor=officer("tuphap.hongchau"),
        code=dossier.code or "",
        amount=Decimal("8000"),
        description="Lệ phí",
    )
    page = client_in.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    assert reverse("portal:payment", args=[dossier.code]) in page


@pytest.mark.parametrize(
    "path",
    [
        "/ho-so-cua-toi/%00/",
        "/ho-so-cua-toi/" + "9" * 40 + "/",
        "/ho-so-cua-toi/%00/dung-giai-quyet/",
        "/nop-truc-tuyen/%00/",
        "/nop-truc-tuyen/" + "x" * 300 + "/",
    ],
)
def test_odd_references_are_not_found_not_errors(client_in: Client, path: str) -> None:
    assert client_in.get(path).status_code == 404


def test_the_rating_form_asks_the_per_dossier_criteria_and_records_the_answers(
    client_in: Client,
) -> None:
    dossier = resolve_electronically(receive(submit(client_in)))
    code = dossier.code or ""
    services.dossier_return_result(actor=officer("tiepnhan.hongchau"), code=code, channel="online")
    page = client_in.get(reverse("portal:my_dossier", args=[code])).content.decode()
    assert "Thái độ của cán bộ, công chức, viên chức" in page  # criterion 7
    assert "Công khai thủ tục hành chính" not in page  # criterion 6 grades the agency
    url = reverse("portal:my_dossier_rate", args=[code])
    response = client_in.post(
        url, {"level": "satisfied", "criterion_c1": "a", "criterion_c7": "zz"}
    )
    assert response.status_code == 422  # not one of the allowed answers
    assert 'id="id_criterion_c7-error" role="alert"' in response.content.decode()
    assert not Rating.objects.filter(dossier=dossier).exists()
    client_in.post(url, {"level": "satisfied", "criterion_c1": "a", "criterion_c7": "b"})
    rating = Rating.objects.get(dossier=dossier)
    assert rating.level == "satisfied" and rating.answers == {"c1": "a", "c7": "b"}
    # Changing it shows the answers given.
    page = client_in.get(reverse("portal:my_dossier", args=[code])).content.decode()
    assert re.search(r'name="criterion_c7" value="b"[^>]*checked', page)


def test_the_dossier_page_links_the_agencys_papers(client_in: Client) -> None:
    dossier = receive(submit(client_in))
    code = dossier.code or ""

    page = client_in.get(reverse("portal:my_dossier", args=[code])).content.decode()

    assert "Văn bản của cơ quan" in page
    receipt = reverse("printing:dossier_form", args=[code, "01"])
    assert receipt in page and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert reverse("printing:dossier_form", args=[code, "06"]) not in page  # the agencies' own
    if not engine_problem():  # WeasyPrint can print here
        response = client_in.get(receipt)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
