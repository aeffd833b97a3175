"""Complaints and recommendations on the portal: sending one (about a procedure, an own
dossier, an officer) with attachments, clear errors that lose nothing, following it from
the account or with the tracking code and access key (rate limited, revealing nothing),
answering a request for information, and the published answers with their search. On the
demo province: the ward of Hồng Châu (H99.50.01) handles birth registration (1.001193)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.dossiers import services as dossier_services
from motcua.feedback import services
from motcua.feedback.models import (
    Complaint,
    ComplaintAbout,
    ComplaintAction,
    ComplaintAttachment,
    ComplaintState,
)

PROCEDURE = "1.001193"
WARD = "H99.50.01"
PDF = b"%PDF-1.4\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200
NEW = "portal:complaint_new"


@pytest.fixture
def citizen(demo: None) -> User:
    return User.objects.create_user("pakn", email="binh@example.vn", first_name="Bình")


@pytest.fixture
def client_in(citizen: User) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def officer(username: str) -> User:
    return User.objects.get(username=username)


def anonymous_data(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "about": "procedure",
        "procedure_code": PROCEDURE,
        "subject": "Biểu mẫu khó tìm",
        "content": "Đề nghị đăng tờ khai đăng ký khai sinh ở định dạng dễ điền.",
        "submitter_name": "Lê Văn Cường",
        "submitter_phone": "0912 111 222",
    }
    data.update(extra)
    return data


def answered_and_published(complaint: Complaint, answer: str) -> Complaint:
    leader = officer("lanhdao.hongchau")
    services.complaint_answer(actor=leader, tracking_code=complaint.tracking_code, answer=answer)
    return services.complaint_publish(actor=leader, tracking_code=complaint.tracking_code)


def test_an_anonymous_recommendation_about_a_procedure_is_sent_with_two_files(
    demo: None,
) -> None:
    client = Client()
    response = client.post(
        reverse(NEW),
        anonymous_data(
            attachments=[
                SimpleUploadedFile("de-xuat.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("anh.png", PNG, "image/png"),
            ]
        ),
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(subject="Biểu mẫu khó tìm")
    assert complaint.about == ComplaintAbout.PROCEDURE
    assert complaint.agency.code == WARD  # the competent agency of the version in force
    assert complaint.submitter_phone == "0912111222"
    assert sorted(ComplaintAttachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    page = client.get(response["Location"]).content.decode()
    # The tracking code and the access key are shown once, for following without an account.
    assert complaint.tracking_code in page and complaint.access_token in page
    assert complaint.events.get().action == ComplaintAction.SUBMIT


def test_the_confirmation_is_not_shown_to_another_visitor(demo: None) -> None:
    response = Client().post(reverse(NEW), anonymous_data())
    assert Client().get(response["Location"]).status_code == 404


def test_a_bad_file_is_refused_in_vietnamese_and_the_text_is_kept(demo: None) -> None:
    response = Client().post(
        reverse(NEW),
        anonymous_data(
            attachments=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"0" * 80, "application/pdf")]
        ),
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "không phải là tệp PDF, JPEG hoặc PNG" in page
    assert "Biểu mẫu khó tìm" in page and "Lê Văn Cường" in page  # nothing typed is lost
    assert "chọn lại các tệp" in page
    assert not Complaint.objects.exists()


def test_a_file_over_the_size_limit_is_refused(demo: None, settings: object) -> None:
    settings.MOTCUA_FEEDBACK_MAX_ATTACHMENT_BYTES = 1024  # type: ignore[attr-defined]
    big = SimpleUploadedFile("to.pdf", PDF + b"0" * 2048, "application/pdf")
    response = Client().post(reverse(NEW), anonymous_data(attachments=[big]))
    assert response.status_code == 422
    assert "lớn hơn" in response.content.decode()
    assert not Complaint.objects.exists()


def test_missing_fields_are_announced(demo: None) -> None:
    response = Client().post(reverse(NEW), {"about": "officer", "agency_code": WARD})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert "Vui lòng nhập tiêu đề" in page
    # Without an account, a way to answer is needed; the service says so on the field.
    response = Client().post(
        reverse(NEW),
        anonymous_data(about="officer", agency_code=WARD, submitter_phone="", officer_name="X"),
    )
    assert response.status_code == 422
    assert "số điện thoại hoặc địa chỉ thư điện tử" in response.content.decode()
    response = Client().post(reverse(NEW), anonymous_data(about="officer", agency_code=WARD))
    assert "họ tên hoặc chức vụ của cán bộ" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_about_an_own_dossier_needs_no_second_factor(
    client_in: Client, citizen: User
) -> None:
    dossier = dossier_services.dossier_receive(
        actor=officer("tiepnhan.hongchau"),
        procedure_code=PROCEDURE,
        applicant=dossier_services.Applicant(name="Bình", phone="0912000111"),
    )
    dossier.applicant_user = citizen
    dossier.save(update_fields=["applicant_user"])
    form = client_in.get(reverse(NEW) + f"?ho-so={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in form
    response = client_in.post(
        reverse(NEW),
        {
            "about": "dossier",
            "dossier_code": dossier.code,
            "subject": "Hồ sơ chậm",
            "content": "Quá hẹn mà chưa có kết quả.",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(subject="Hồ sơ chậm")
    assert complaint.dossier == dossier and complaint.submitter_user == citizen
    assert complaint.submitter_name == "Bình"  # from the account


def test_a_strangers_dossier_is_not_found_without_its_second_factor(client_in: Client) -> None:
    dossier = dossier_services.dossier_receive(
        actor=officer("tiepnhan.hongchau"),
        procedure_code=PROCEDURE,
        applicant=dossier_services.Applicant(name="Người khác", phone="0912000999"),
    )
    data = {"about": "dossier", "dossier_code": dossier.code, "subject": "S", "content": "C"}
    response = client_in.post(reverse(NEW), {**data, "dossier_factor": "1234"})
    assert response.status_code == 422
    assert "Không tìm thấy hồ sơ khớp" in response.content.decode()
    response = client_in.post(reverse(NEW), {**data, "dossier_factor": "0999"})
    assert response.status_code == 302


def test_my_complaints_lists_only_mine_in_bounded_queries(
    client_in: Client, citizen: User, django_assert_max_num_queries: object
) -> None:
    for n in range(3):
        services.complaint_submit(
            actor=citizen,
            about="other",
            subject=f"Góp ý số {n}",
            content="Nội dung",
            agency_code=WARD,
        )
    services.complaint_submit(
        actor=None,
        about="other",
        subject="Của người khác",
        content="Nội dung",
        agency_code=WARD,
        submitter=services.Submitter(name="Khác", phone="0912999888"),
    )
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        page = client_in.get(reverse("portal:my_complaints")).content.decode()
    assert all(f"Góp ý số {n}" in page for n in range(3))
    assert "Của người khác" not in page


def test_my_complaint_page_is_404_for_another_account(client_in: Client, demo: None) -> None:
    other = User.objects.create_user("other")
    complaint = services.complaint_submit(
        actor=other, about="other", subject="S", content="C", agency_code=WARD
    )
    url = reverse("portal:my_complaint", args=[complaint.tracking_code])
    assert client_in.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # sign in first


def test_the_submitter_answers_a_request_for_information_from_the_account(
    client_in: Client, citizen: User
) -> None:
    complaint = services.complaint_submit(
        actor=citizen, about="other", subject="Chỗ để xe", content="Thiếu chỗ", agency_code=WARD
    )
    services.complaint_request_information(
        actor=officer("lanhdao.hongchau"),
        tracking_code=complaint.tracking_code,
        question="Xin cho biết buổi nào trong tuần?",
    )
    url = reverse("portal:my_complaint", args=[complaint.tracking_code])
    page = client_in.get(url).content.decode()
    assert "Xin cho biết buổi nào trong tuần?" in page
    assert "Đã gửi phản ánh, kiến nghị" in page  # the first step of the timeline
    post = reverse("portal:my_complaint_information", args=[complaint.tracking_code])
    assert client_in.post(post, {"information": ""}).status_code == 422
    response = client_in.post(post, {"information": "Sáng thứ Hai."}, follow=True)
    assert "tiếp tục được xử lý" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.PROCESSING
    assert complaint.events.last().action == ComplaintAction.PROVIDE_INFORMATION  # type: ignore[union-attr]


def test_following_with_a_wrong_key_reveals_nothing_and_is_rate_limited(
    demo: None, settings: object
) -> None:
    settings.MOTCUA_PORTAL_LOOKUP_RATE = "100/minute"  # type: ignore[attr-defined]
    settings.MOTCUA_PORTAL_LOOKUP_CODE_FAILURES = "3/hour"  # type: ignore[attr-defined]
    complaint = services.complaint_submit(
        actor=None,
        about="other",
        subject="Bí mật riêng",
        content="C",
        agency_code=WARD,
        submitter=services.Submitter(name="Ẩn danh", phone="0912999888"),
    )
    url = reverse("portal:complaint_follow")
    wrong = Client().post(url, {"code": complaint.tracking_code, "token": "sai-khoa"})
    unknown = Client().post(url, {"code": "PAKN-000000-AAAAAA", "token": "sai-khoa"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Bí mật riêng" not in wrong.content.decode()
    assert "Không có phản ánh, kiến nghị nào khớp" in wrong.content.decode()
    for _ in range(2):
        Client().post(url, {"code": complaint.tracking_code, "token": "sai-khoa"})
    # The code's failures are used up: even the right key waits (guessing is stopped).
    right = Client().post(url, {"code": complaint.tracking_code, "token": complaint.access_token})
    assert right.status_code == 429
    assert "Bí mật riêng" not in right.content.decode()


def test_following_with_the_key_shows_the_handling_and_takes_the_information(
    demo: None,
) -> None:
    complaint = services.complaint_submit(
        actor=None,
        about="other",
        subject="Giờ làm việc",
        content="Đề nghị mở cửa sáng thứ Bảy.",
        agency_code=WARD,
        submitter=services.Submitter(name="Ẩn danh", email="an@example.vn"),
    )
    services.complaint_request_information(
        actor=officer("lanhdao.hongchau"),
        tracking_code=complaint.tracking_code,
        question="Thủ tục nào cần?",
    )
    url = reverse("portal:complaint_follow")
    key = {"code": complaint.tracking_code.lower(), "token": complaint.access_token}
    page = Client().post(url, key).content.decode()
    assert "Giờ làm việc" in page and "Thủ tục nào cần?" in page
    response = Client().post(
        url,
        {
            **key,
            "information": "Đăng ký khai sinh.",
            "attachments": [SimpleUploadedFile("a.png", PNG, "image/png")],
        },
    )
    assert "tiếp tục được xử lý" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.PROCESSING
    assert complaint.attachments.count() == 1


def test_published_answers_are_listed_searched_without_diacritics_and_shown(
    demo: None, django_assert_max_num_queries: object
) -> None:
    first = services.complaint_submit(
        actor=None,
        about="procedure",
        procedure_code=PROCEDURE,
        subject="Thời gian đăng ký khai sinh",
        content="Bao lâu thì có kết quả?",
        submitter=services.Submitter(name="Phạm Thị Riêng", phone="0912555666"),
    )
    answered_and_published(first, "Trong ngày làm việc.")
    second = services.complaint_submit(
        actor=None,
        about="other",
        agency_code=WARD,
        subject="Chỗ để xe",
        content="Thiếu chỗ",
        submitter=services.Submitter(name="Ẩn", phone="0912555777"),
    )
    answered_and_published(second, "Đã bố trí thêm.")
    unpublished = services.complaint_submit(
        actor=None,
        about="other",
        agency_code=WARD,
        subject="Chưa công khai",
        content="C",
        submitter=services.Submitter(name="Ẩn", phone="0912555888"),
    )
    services.complaint_answer(
        actor=officer("lanhdao.hongchau"), tracking_code=unpublished.tracking_code, answer="A"
    )
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        page = Client().get(reverse("portal:published_list")).content.decode()
    assert "Thời gian đăng ký khai sinh" in page and "Chỗ để xe" in page
    assert "Chưa công khai" not in page
    found = Client().get(reverse("portal:published_list"), {"q": "dang ky khai sinh"})
    assert "Thời gian đăng ký khai sinh" in found.content.decode()
    assert "Chỗ để xe" not in found.content.decode()
    detail = Client().get(reverse("portal:published_detail", args=[first.pk])).content.decode()
    assert "Trong ngày làm việc." in detail
    assert "Phạm Thị Riêng" not in detail and "0912555666" not in detail
    assert (
        Client().get(reverse("portal:published_detail", args=[unpublished.pk])).status_code == 404
    )


def test_the_procedure_and_dossier_pages_link_to_the_form(demo: None) -> None:
    page = Client().get(reverse("portal:procedure_detail", args=[PROCEDURE])).content.decode()
    assert f"{reverse(NEW)}?thu-tuc={PROCEDURE}" in page
    form = Client().get(reverse(NEW) + f"?thu-tuc={PROCEDURE}").content.decode()
    assert f'value="{PROCEDURE}"' in form
