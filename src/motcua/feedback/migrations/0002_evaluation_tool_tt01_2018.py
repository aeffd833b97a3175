"""The evaluation tool of Circular 01/2018/TT-VPCP as the first criterion set (DOMAIN.md 1.5):
criteria 1-9 score 2 / 1 / 0, questions 10-11 use the satisfaction scale. Answers are
optional: the applicant's overall level is the required part of a rating. A later tool is a
new set with a later `effective_from` (admin), not a code change."""

import datetime as dt

from django.db import migrations

POINTS = [("a", 2), ("b", 1), ("c", 0)]

CRITERIA = [
    (
        "c1",
        "Tổng thời gian giải quyết thủ tục hành chính so với thời gian cho phép theo quy định",
        ["Ngắn hơn thời gian quy định", "Bằng thời gian quy định", "Dài hơn thời gian quy định"],
    ),
    (
        "c2",
        "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết (kể cả đơn vị phối "
        "hợp) so với quy định",
        ["Ngắn hơn thời hạn quy định", "Bằng thời hạn quy định", "Dài hơn thời hạn quy định"],
    ),
    (
        "c3",
        "Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả liên hệ trực "
        "tuyến)",
        [
            "Không phải liên hệ lần nào",
            "Một lần",
            "Hơn một lần (trừ trường hợp do lỗi của người nộp hồ sơ)",
        ],
    ),
    (
        "c4",
        "Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ (kể cả liên hệ "
        "trực tuyến)",
        [
            "Không phải liên hệ cơ quan, đơn vị, tổ chức nào",
            "Chỉ Bộ phận Một cửa (và cơ quan chủ trì kiểm tra, xác minh theo quy định)",
            "Hơn một cơ quan, đơn vị, tổ chức",
        ],
    ),
    (
        "c5",
        "Thực hiện tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận Một cửa",
        [
            "Bộ phận Một cửa tiếp nhận, thẩm định, phê duyệt đủ tỷ lệ thủ tục theo quy định",
            "100% thủ tục được tiếp nhận và trả kết quả tại Bộ phận Một cửa",
            "Dưới 100% thủ tục được tiếp nhận và trả kết quả tại Bộ phận Một cửa",
        ],
    ),
    (
        "c6",
        "Công khai thủ tục hành chính",
        [
            "Chính xác, đầy đủ, kịp thời bằng cả niêm yết và điện tử",
            "Chính xác, đầy đủ, kịp thời bằng niêm yết hoặc điện tử",
            "Không được công khai chính xác, đầy đủ, kịp thời",
        ],
    ),
    (
        "c7",
        "Thái độ của cán bộ, công chức, viên chức khi hướng dẫn lập hồ sơ, tiếp nhận hồ sơ và "
        "giải quyết thủ tục hành chính",
        [
            "Sớm hơn thời hạn và không có phản ánh, kiến nghị về thái độ, nhũng nhiễu",
            "Đúng thời hạn và không có phản ánh, kiến nghị về thái độ, nhũng nhiễu",
            "Có phản ánh, kiến nghị về hành vi, thái độ nhũng nhiễu, gây phiền hà",
        ],
    ),
    (
        "c8",
        "Tiếp thu, giải trình đối với các ý kiến phản ánh, kiến nghị của tổ chức, cá nhân",
        [
            "Không có phản ánh, kiến nghị hoặc 100% được xử lý đúng hạn",
            "Từ 90% phản ánh, kiến nghị được xử lý đúng hạn, không có phản ánh kéo dài",
            "Dưới 90% được xử lý đúng hạn hoặc có phản ánh, kiến nghị kéo dài",
        ],
    ),
    (
        "c9",
        "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến của cơ quan có thẩm quyền",
        [
            "Tối thiểu 20% thủ tục trực tuyến, 30% hồ sơ trực tuyến, không có hồ sơ trực tuyến "
            "quá hạn",
            "Có dịch vụ công trực tuyến, 15% đến dưới 30% hồ sơ trực tuyến, không có hồ sơ "
            "trực tuyến quá hạn",
            "Không có dịch vụ công trực tuyến, dưới 15% hồ sơ trực tuyến hoặc có hồ sơ trực "
            "tuyến quá hạn",
        ],
    ),
]
QUESTIONS = [
    (
        "c10",
        "Mức độ thuận tiện khi sử dụng dịch vụ (dễ sử dụng, thời gian đáp ứng khi giao tiếp, "
        "xử lý dữ liệu)",
    ),
    ("c11", "Đánh giá tổng thể dịch vụ"),
]
SCALE = ["Rất hài lòng", "Hài lòng", "Không hài lòng"]


def seed(apps, schema_editor):
    CriterionSet = apps.get_model("feedback", "CriterionSet")
    Criterion = apps.get_model("feedback", "Criterion")
    criterion_set, created = CriterionSet.objects.get_or_create(
        code="tt01-2018",
        version=1,
        defaults={
            "name": "Bộ tiêu chí đánh giá việc giải quyết thủ tục hành chính",
            "legal_basis": "Thông tư 01/2018/TT-VPCP",
            "effective_from": dt.date(2018, 11, 23),
        },
    )
    if not created:
        return
    position = 0
    for code, label, answers in CRITERIA:
        position += 1
        Criterion.objects.create(
            criterion_set=criterion_set,
            code=code,
            position=position,
            label=label,
            answers=[
                {"code": c, "label": text, "points": p}
                for (c, p), text in zip(POINTS, answers, strict=True)
            ],
        )
    for code, label in QUESTIONS:
        position += 1
        Criterion.objects.create(
            criterion_set=criterion_set,
            code=code,
            position=position,
            label=label,
            answers=[
                {"code": c, "label": text} for (c, _), text in zip(POINTS, SCALE, strict=True)
            ],
        )


def unseed(apps, schema_editor):
    apps.get_model("feedback", "CriterionSet").objects.filter(code="tt01-2018", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
