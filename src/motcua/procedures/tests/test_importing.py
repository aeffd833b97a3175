"""The portal export parsers, one table per cell kind. Inputs are shapes copied from the real
export (shortened); the expected values are what a reader of that text would write down."""

import gzip
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from motcua.domain.deadlines import Unit
from motcua.procedures.importing import (
    InputError,
    ListingRow,
    ParseStats,
    Reason,
    SourceRecord,
    Sources,
    build_spec,
    merge_sources,
    parse_channels,
    parse_documents,
    parse_fee,
    parse_legal_basis,
    parse_levels,
    parse_result,
    parse_time_limit,
    read_details,
    read_listing,
    read_sources,
)
from motcua.procedures.models import Channel, DocumentForm, FeeKind, ImplementingLevel

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"


# --------------------------------------------------------------------------------------
# Time limits
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "reason"),
    [
        pytest.param("7 Ngày làm việc", "7", Unit.WORKING_DAY, None, id="working-days"),
        pytest.param("15 Ngày", "15", Unit.CALENDAR_DAY, None, id="calendar-days"),
        pytest.param("8 Giờ", "8", Unit.WORKING_HOUR, None, id="hours-are-working-hours"),
        pytest.param("4 Tháng", "4", Unit.MONTH, None, id="months"),
        pytest.param("1 Năm", "12", Unit.MONTH, None, id="one-year-is-12-months"),
        pytest.param("2 Năm", "24", Unit.MONTH, None, id="two-years"),
        pytest.param("0,5 Ngày làm việc", "0.5", Unit.WORKING_DAY, None, id="decimal-comma"),
        pytest.param("1.5 Ngày", "1.5", Unit.CALENDAR_DAY, None, id="decimal-dot"),
        pytest.param("Trong ngày", None, Unit.SAME_DAY, None, id="same-day"),
        pytest.param("Trong ngày làm việc", None, Unit.SAME_DAY, None, id="same-working-day"),
        pytest.param("85", None, None, Reason.TIME_NO_UNIT, id="bare-number"),
        pytest.param("Không có thông tin", None, None, Reason.TIME_NOT_STATED, id="no-information"),
        pytest.param(
            "Không phải trả kết quả cho người nộp thuế",
            None,
            None,
            Reason.TIME_UNRECOGNISED,
            id="sentence",
        ),
        pytest.param("Không", None, None, Reason.TIME_UNRECOGNISED, id="no"),
        pytest.param("0 Ngày làm việc", None, None, Reason.TIME_UNRECOGNISED, id="zero-days"),
        pytest.param("1.000 Ngày", None, None, Reason.TIME_UNRECOGNISED, id="thousands-or-decimal"),
    ],
)
def test_parse_time_limit(
    text: str, amount: str | None, unit: Unit | None, reason: Reason | None
) -> None:
    limit, issues = parse_time_limit(text)
    assert limit.amount == (Decimal(amount) if amount else None)
    assert limit.unit == unit
    assert limit.text == text
    assert [r for r, _ in issues] == ([reason] if reason else [])


# --------------------------------------------------------------------------------------
# Fees
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "note", "description", "kind", "amount", "currency", "reason"),
    [
        pytest.param(
            "10,000 Việt Nam Đồng", "", "", FeeKind.AMOUNT, 10000, "VND", None, id="vnd-commas"
        ),
        pytest.param(
            "10.000 Việt Nam Đồng", "", "", FeeKind.AMOUNT, 10000, "VND", None, id="vnd-dots"
        ),
        pytest.param(
            "1,200,000 Việt Nam Đồng",
            "(1.200.000đ/thẻ ABTC.)",
            "",
            FeeKind.AMOUNT,
            1200000,
            "VND",
            None,
            id="note-repeats-amount",
        ),
        pytest.param(
            "50,000 Việt Nam Đồng",
            "(Phí : 50.000 Đồng - 50.000đ/tem “AB” (Thông tư số 25/2021/TT-BTC ngày 07/4/2021 "
            "của Bộ Tài chính).)",
            "",
            FeeKind.AMOUNT,
            50000,
            "VND",
            None,
            id="phi-colon-same-amount",
        ),
        pytest.param("10 USD", "(/lần)", "", FeeKind.AMOUNT, 10, "USD", None, id="usd"),
        pytest.param(
            "2,500,000 VNĐ", "(đồng/lần)", "", FeeKind.AMOUNT, 2500000, "VND", None, id="vnd-abbrev"
        ),
        pytest.param(
            "12,500,000 Việt Nam Đồng",
            "",
            "2.2.1. Cách thức nộp hồ sơ: Tổ chức, cá nhân nộp hồ sơ trực tiếp",
            FeeKind.AMOUNT,
            12500000,
            "VND",
            None,
            id="numbered-description",
        ),
        pytest.param("Miễn phí", "", "", FeeKind.FREE, None, "VND", None, id="free"),
        pytest.param(
            "Miễn phí", "(Không quy định)", "", FeeKind.FREE, None, "VND", None, id="free-note"
        ),
        pytest.param("0 Việt Nam Đồng", "", "", FeeKind.FREE, None, "VND", None, id="zero-dong"),
        pytest.param(
            "Miễn phí",
            "(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết "
            "định. Miễn lệ phí cho người thuộc gia đình có công với cách mạng.)",
            "",
            FeeKind.COUNCIL,
            None,
            "VND",
            None,
            id="council-decides",
        ),
        pytest.param(
            "Miễn phí",
            "(Chế độ thu, nộp, quản lý và sử dụng phí thẩm định theo quy định của Hội đồng nhân "
            "dân cấp tỉnh.)",
            "",
            FeeKind.COUNCIL,
            None,
            "VND",
            None,
            id="council-rules",
        ),
        pytest.param(
            "Không có thông tin",
            "",
            "Phí, lệ phí (nếu có): Hội đồng nhân dân cấp tỉnh quyết định đối với hoạt động đăng "
            "ký do cơ quan địa phương thực hiện (STT XII.8 Phần A Phụ lục số 01).",
            FeeKind.COUNCIL,
            None,
            "VND",
            None,
            id="council-in-description",
        ),
        pytest.param(
            "Không có thông tin",
            "",
            "",
            FeeKind.UNKNOWN,
            None,
            "VND",
            Reason.FEE_NOT_STATED,
            id="no-information",
        ),
        pytest.param(
            "800,000 VNĐ",
            "((áp dụng mức phí 400.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 "
            "theo Thông tư số 64/2025/TT-BTC))",
            "",
            FeeKind.VARIES,
            None,
            "VND",
            Reason.FEE_SEVERAL_AMOUNTS,
            id="reduced-rate-in-note",
        ),
        pytest.param(
            "800,000 Việt Nam Đồng",
            "",
            "Phí: 800.000 đồng/hồ sơ. Lệ phí: 100.000 đồng/hồ sơ.",
            FeeKind.VARIES,
            None,
            "VND",
            Reason.FEE_SEVERAL_AMOUNTS,
            id="second-fee-in-description",
        ),
        pytest.param(
            "135 VNĐ",
            "(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)",
            "",
            FeeKind.UNKNOWN,
            None,
            "VND",
            Reason.FEE_IMPLAUSIBLE,
            id="thousands-of-dong",
        ),
        pytest.param(
            "155 VNĐ",
            "(Thẻ tạm trú có thời hạn từ trên 02 năm đến 05 năm: 155 USD/thẻ.)",
            "",
            FeeKind.UNKNOWN,
            None,
            "VND",
            Reason.FEE_IMPLAUSIBLE,
            id="dollars-labelled-dong",
        ),
        pytest.param(
            "Miễn phí",
            "(Lệ phí cấp mới 40.000đồng/lần; lệ phí cấp lại 20.000 đồng/lần.)",
            "",
            FeeKind.VARIES,
            None,
            "VND",
            Reason.FEE_FREE_WITH_AMOUNTS,
            id="free-but-amounts",
        ),
        pytest.param(
            "Phí : Đồng", "", "", FeeKind.UNKNOWN, None, "VND", Reason.FEE_UNRECOGNISED, id="odd"
        ),
    ],
)
def test_parse_fee(
    token: str,
    note: str,
    description: str,
    kind: FeeKind,
    amount: int | None,
    currency: str,
    reason: Reason | None,
) -> None:
    fee, issues = parse_fee(token, note, description)
    assert fee.kind is kind
    assert fee.amount == (Decimal(amount) if amount is not None else None)
    assert fee.currency == currency
    assert fee.text.startswith(token)
    assert [r for r, _ in issues] == ([reason] if reason else [])


# --------------------------------------------------------------------------------------
# Channel rows
# --------------------------------------------------------------------------------------

# (channel, amount, unit, fee kind, fee amount, start of description)
Row = tuple[Channel, str | None, Unit | None, FeeKind, int | None, str]


@pytest.mark.parametrize(
    ("text", "rows", "reasons"),
    [
        pytest.param(
            CHANNEL_HEADER + "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(Lệ phí)Trực tiếp"
            "7 Ngày làm việc20,000 Việt Nam Đồng(Lệ phí)",
            [
                (Channel.ONLINE, "7", Unit.WORKING_DAY, FeeKind.AMOUNT, 10000, ""),
                (Channel.COUNTER, "7", Unit.WORKING_DAY, FeeKind.AMOUNT, 20000, ""),
            ],
            [],
            id="readme-example",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí",
            [
                (Channel.ONLINE, None, None, FeeKind.FREE, None, ""),
                (Channel.POSTAL, None, None, FeeKind.FREE, None, ""),
                (Channel.COUNTER, None, None, FeeKind.FREE, None, ""),
            ],
            [Reason.TIME_NO_UNIT] * 3,
            id="bare-numbers",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tuyến1100 VNĐ(Phí công bố nội dung đăng ký doanh nghiệp: "
            "100.000 đồng/lần (Thông tư số 47/2019/TT-BTC))Trực tiếp125 VNĐ",
            [
                (Channel.ONLINE, None, None, FeeKind.UNKNOWN, None, ""),
                (Channel.COUNTER, None, None, FeeKind.UNKNOWN, None, ""),
            ],
            [Reason.TIME_FEE_RUN_TOGETHER] * 2,
            id="digits-run-into-amount",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tiếp24 Ngày làm việcMiễn phí(Không quy định)Trực tiếp tại Bộ "
            "phận Tiếp nhận và Trả kết quả. - Trực tuyến: nộp hồ sơ qua Cổng dịch vụ công.",
            [(Channel.COUNTER, "24", Unit.WORKING_DAY, FeeKind.FREE, None, "Trực tiếp tại Bộ")],
            [],
            id="channel-words-in-description",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tiếpKhông có thông tinKhông có thông tinTại Trung tâm phục vụ "
            "hành chính công cấp tỉnh, xãTrực tuyếnKhôngKhông có thông tinQua Cổng dịch vụ công",
            [
                (Channel.COUNTER, None, None, FeeKind.UNKNOWN, None, "Tại Trung tâm"),
                (Channel.ONLINE, None, None, FeeKind.UNKNOWN, None, "Qua Cổng"),
            ],
            [
                Reason.TIME_NOT_STATED,
                Reason.FEE_NOT_STATED,
                Reason.TIME_UNRECOGNISED,
                Reason.FEE_NOT_STATED,
            ],
            id="worded-time-cells",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng "
            "dịch vụ công quốc gia",
            [(Channel.ONLINE, None, None, FeeKind.FREE, None, "Qua Cổng dịch vụ công quốc gia")],
            [Reason.TIME_UNRECOGNISED],
            id="sentence-as-time",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tiếp8 GiờMiễn phíTrực tuyến1 GiờMiễn phí",
            [
                (Channel.COUNTER, "8", Unit.WORKING_HOUR, FeeKind.FREE, None, ""),
                (Channel.ONLINE, "1", Unit.WORKING_HOUR, FeeKind.FREE, None, ""),
            ],
            [],
            id="hours",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tuyến5 Ngày làm việcMiễn phí(a) Cấp lại do thay đổi nội dung: "
            "30.000.000 đồng; b) Cấp lại do bị mất: 5.000.000 đồng.)- Trong thời hạn 05 ngày làm "
            "việc kể từ ngày nhận đủ hồ sơ.",
            [(Channel.ONLINE, "5", Unit.WORKING_DAY, FeeKind.VARIES, None, "- Trong thời hạn")],
            [Reason.FEE_FREE_WITH_AMOUNTS],
            id="list-items-inside-fee-note",
        ),
        pytest.param(
            CHANNEL_HEADER + "Trực tuyến2 Ngày làm việcMiễn phí(Không thu lệ phí)+ Trả kết quả tại "
            "cơ quan đăng ký xe.\nDịch vụ bưu chính\t02 Ngày làm việc\tPhí : Đồng Không thu lệ "
            "phí\nDịch vụ bưu chính2 Ngày làm việcMiễn phí(Không thu lệ phí)",
            [
                (Channel.ONLINE, "2", Unit.WORKING_DAY, FeeKind.FREE, None, "+ Trả kết quả"),
                (Channel.POSTAL, "2", Unit.WORKING_DAY, FeeKind.FREE, None, ""),
            ],
            [],
            id="tab-separated-copy-inside-description",
        ),
        pytest.param(
            CHANNEL_HEADER + "Dịch vụ bưu chính60 Ngày làm việcKhông có thông tinThời hạn giải "
            "quyết khiếu nại lần đầu không quá 30 ngày",
            [(Channel.POSTAL, "60", Unit.WORKING_DAY, FeeKind.UNKNOWN, None, "Thời hạn giải")],
            [Reason.FEE_NOT_STATED],
            id="postal-first",
        ),
    ],
)
def test_parse_channels(text: str, rows: list[Row], reasons: list[Reason]) -> None:
    specs, issues = parse_channels(text)
    got = [
        (
            s.channel,
            str(s.time_limit_amount) if s.time_limit_amount is not None else None,
            s.time_limit_unit,
            s.fee_kind,
            int(s.fee_amount) if s.fee_amount is not None else None,
            s.description[: len(row[5])],
        )
        for s, row in zip(specs, rows, strict=False)
    ]
    assert got == rows
    assert len(specs) == len(rows)
    assert [r for r, _ in issues] == reasons


def test_channel_rows_keep_what_they_could_not_read() -> None:
    text = CHANNEL_HEADER + "Trực tuyến1100 VNĐ(Phí công bố: 100.000 đồng/lần)Trực tiếp85Miễn phí"
    (online, counter), _ = parse_channels(text)
    assert online.fee_text == "1100 VNĐ(Phí công bố: 100.000 đồng/lần)"
    assert online.time_limit_text == ""
    assert counter.time_limit_text == "85"
    assert counter.fee_text == "Miễn phí"


def test_no_channel_row() -> None:
    specs, issues = parse_channels(CHANNEL_HEADER)
    assert specs == []
    assert [r for r, _ in issues] == [Reason.CHANNELS_NONE]


# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------

# (case, name, originals, copies, form, template, required)
Doc = tuple[str, str, int, int, DocumentForm, str, bool]


def doc(
    name: str,
    originals: int = 1,
    copies: int = 0,
    *,
    case: str = "",
    form: DocumentForm = DocumentForm.ORIGINAL,
    template: str = "",
    required: bool = True,
) -> Doc:
    return (case, name, originals, copies, form, template, required)


@pytest.mark.parametrize(
    ("text", "documents", "reasons"),
    [
        pytest.param(
            "--" + DOCUMENT_HEADER + "Đơn khiếu nại hoặc bản ghi nội dung khiếu nại1 bản chính"
            "Biên bản tổ chức đối thoại (nếu có)1 bản chính",
            [
                doc("Đơn khiếu nại hoặc bản ghi nội dung khiếu nại"),
                doc("Biên bản tổ chức đối thoại (nếu có)", required=False),
            ],
            [],
            id="plain",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "Giấy đề nghị đăng ký hoạt động chi nhánh của tổ chức hòa "
            "giải thương mại nước ngoài tại Việt NamMẫu TP-HGTM-11.docx1 bản chính",
            [
                doc(
                    "Giấy đề nghị đăng ký hoạt động chi nhánh của tổ chức hòa giải thương mại "
                    "nước ngoài tại Việt Nam",
                    template="Mẫu TP-HGTM-11.docx",
                )
            ],
            [],
            id="template-glued-to-name",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "Bản sao có chứng thực Giấy phép thành lập Trung tâm trọng "
            "tài0 bản chính,1 bản sao",
            [
                doc(
                    "Bản sao có chứng thực Giấy phép thành lập Trung tâm trọng tài",
                    0,
                    1,
                    form=DocumentForm.COPY,
                )
            ],
            [],
            id="copy-only",
        ),
        pytest.param(
            "Trường hợp khai thác bằng hình thức hợp đồng:" + DOCUMENT_HEADER + "Hợp đồng khai "
            "thác và sử dụng thông tinMau04.docx1 bản chínhTrường hợp khai thác trực tiếp:"
            + DOCUMENT_HEADER
            + "Phiếu yêu cầu cung cấp thông tin, dữ liệu địa chất, khoáng "
            "sảnMau01-PhulucIV_87.2025.TT-BNNMT_31.12.2025.docx1 bản chính",
            [
                doc(
                    "Hợp đồng khai thác và sử dụng thông tin",
                    case="Trường hợp khai thác bằng hình thức hợp đồng:",
                    template="Mau04.docx",
                ),
                doc(
                    "Phiếu yêu cầu cung cấp thông tin, dữ liệu địa chất, khoáng sản",
                    case="Trường hợp khai thác trực tiếp:",
                    template="Mau01-PhulucIV_87.2025.TT-BNNMT_31.12.2025.docx",
                ),
            ],
            [],
            id="cases",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "Văn bản đề nghị theo điểm a Khoản 1 Điều 12 Nghị định 116"
            "1 bản chínhĐơn đề nghị theo Mẫu số 181 bản chính,1 bản sao",
            [
                doc("Văn bản đề nghị theo điểm a Khoản 1 Điều 12 Nghị định 116"),
                doc("Đơn đề nghị theo Mẫu số 18", 1, 1),
            ],
            [],
            id="name-ending-in-digits",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "Giấy phép xuất khẩu đối với hàng hóa phải có giấy phép: 01 "
            "bản chính;1 bản chính,1 bản sao",
            [doc("Giấy phép xuất khẩu đối với hàng hóa phải có giấy phép: 01 bản chính;", 1, 1)],
            [],
            id="quantity-in-prose",
        ),
        pytest.param(
            "* Giấy tờ phải xuất trình:" + DOCUMENT_HEADER + "Hộ chiếu phổ thông còn thời hạn;"
            "1 bản chính",
            [
                doc(
                    "Hộ chiếu phổ thông còn thời hạn;",
                    case="* Giấy tờ phải xuất trình:",
                    form=DocumentForm.PRESENTED,
                )
            ],
            [],
            id="presented",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "Đơn đề nghịMẫu số 05.docxMẫu số 09.docx1 bản chính",
            [doc("Đơn đề nghị", template="Mẫu số 05.docx; Mẫu số 09.docx")],
            [],
            id="two-templates",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "(1) Đơn đề nghị hủy đăng ký dự án (bản chính)~$ụ lục "
            "12.10.docx1 bản chính",
            [doc("(1) Đơn đề nghị hủy đăng ký dự án (bản chính)", template="~$ụ lục 12.10.docx")],
            [],
            id="temporary-file-template",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "+ Tờ khai đăng ký (công dân Việt Nam sử dụng mẫu M01)."
            "Mẫu M02, xnc tự động - BCA.docx1 bản chính",
            [
                doc(
                    "Tờ khai đăng ký (công dân Việt Nam sử dụng mẫu M01).",
                    template="Mẫu M02, xnc tự động - BCA.docx",
                )
            ],
            [],
            id="bullet-and-template-after-full-stop",
        ),
        pytest.param(
            "--" + DOCUMENT_HEADER + "Đơn đề nghị1 bản chínhTài liệu khác theo yêu cầu",
            [doc("Đơn đề nghị"), doc("Tài liệu khác theo yêu cầu", 0, 0)],
            [Reason.DOCUMENT_NO_QUANTITY],
            id="last-without-quantity",
        ),
        pytest.param("", [], [Reason.DOCUMENTS_NONE], id="empty"),
        pytest.param("--", [], [Reason.DOCUMENTS_NONE], id="dashes-only"),
    ],
)
def test_parse_documents(text: str, documents: list[Doc], reasons: list[Reason]) -> None:
    specs, issues = parse_documents(text)
    got = [
        (d.case, d.name, d.originals, d.copies, d.form, d.template_name, d.is_required)
        for d in specs
    ]
    assert got == documents
    assert [r for r, _ in issues] == reasons


# --------------------------------------------------------------------------------------
# Legal basis, result, levels
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pairs", "reasons"),
    [
        pytest.param(
            LEGAL_HEADER + "Hướng dẫn xử lý khiếu nại trong công an nhân dân68/2013/TT-BCALuật "
            "Khiếu nại  năm 201102/2011/QH13Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP",
            [
                ("68/2013/TT-BCA", "Hướng dẫn xử lý khiếu nại trong công an nhân dân"),
                ("02/2011/QH13", "Luật Khiếu nại năm 2011"),
                ("05/2012/NĐ-CP", "Nghị định 05/2012/NĐ-CP"),
            ],
            [],
            id="capital-title-after-code-and-year-glued",
        ),
        pytest.param(
            LEGAL_HEADER + "Thông tư số 27/2025/TT-BNNMT27/2025/TT-BNNMTquy định phân quyền, phân "
            "cấp trong lĩnh vực nông nghiệp và môi trường85/2025/TT-BNNMT",
            [
                ("27/2025/TT-BNNMT", "Thông tư số 27/2025/TT-BNNMT"),
                (
                    "85/2025/TT-BNNMT",
                    "quy định phân quyền, phân cấp trong lĩnh vực nông nghiệp và môi trường",
                ),
            ],
            [],
            id="lower-case-title-after-code",
        ),
        pytest.param(
            LEGAL_HEADER + "Quyết định 19/2018/QĐ-TTg19/2018/QĐ-TTgLuật Quản lý thuế38/2019/QH14"
            "Nghị quyết số 66.7/2025/NQ-CP66.7/2025/NQ-CP",
            [
                ("19/2018/QĐ-TTg", "Quyết định 19/2018/QĐ-TTg"),
                ("38/2019/QH14", "Luật Quản lý thuế"),
                ("66.7/2025/NQ-CP", "Nghị quyết số 66.7/2025/NQ-CP"),
            ],
            [],
            id="ttg-and-decimal-numbers",
        ),
        pytest.param("Không có thông tin", [], [], id="no-information"),
        pytest.param(
            "Không có thông tinCơ quan thực hiệnTòa án nhân dân tối cao", [], [], id="junk-after"
        ),
        pytest.param(
            LEGAL_HEADER + "Hướng dẫn thi hành Luật Đất đai",
            [("", "Hướng dẫn thi hành Luật Đất đai")],
            [Reason.LEGAL_BASIS_UNPARSED],
            id="no-number",
        ),
    ],
)
def test_parse_legal_basis(text: str, pairs: list[tuple[str, str]], reasons: list[Reason]) -> None:
    got, issues = parse_legal_basis(text)
    assert list(got) == pairs
    assert [r for r, _ in issues] == reasons


NAVIGATION = (
    "Chọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- "
    "Chọn Phường/ Xã --Hệ thống chỉ hiển thị những cơ quan đã áp dụng dịch vụ công trực tuyến"
    "Nộp hồ sơ"
)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        pytest.param(
            "Quyết định giải quyết khiếu nại lần 1, lần 2Mã: KQ.G01.00262Từ khóaKhông có thông "
            "tinMô tảKhông có thông tin",
            "Quyết định giải quyết khiếu nại lần 1, lần 2",
            id="one",
        ),
        pytest.param(
            "Văn bản nêu rõ lý do từ chối của Cơ quan đăng ký kinh doanhMã: KQ.G12.001040Thông "
            "báo về việc sửa đổi, bổ sung hồ sơ đăng ký doanh nghiệpMã: KQ.G12.001051Từ khóa"
            "Không có thông tinMô tảKhông có thông tin" + NAVIGATION,
            "Văn bản nêu rõ lý do từ chối của Cơ quan đăng ký kinh doanh\n"
            "Thông báo về việc sửa đổi, bổ sung hồ sơ đăng ký doanh nghiệp",
            id="several-and-navigation",
        ),
        pytest.param(
            "Giấy chứng nhận đăng ký thuốc BVTVMã: KQ.G10.000001Từ khóaKhông có thông tinMô tả"
            "Giấy chứng nhận đăng ký thuốc BVTV có thời hạn là 10 năm." + NAVIGATION,
            "Giấy chứng nhận đăng ký thuốc BVTV\n"
            "Giấy chứng nhận đăng ký thuốc BVTV có thời hạn là 10 năm.",
            id="with-description",
        ),
        pytest.param(
            "Quyết định hành chínhMã: 000.00.00.G11-KQ1711Từ khóaKhông có thông tinMô tảKhông có "
            "thông tin",
            "Quyết định hành chính",
            id="other-code-shape",
        ),
        pytest.param(
            "Giấy chứng nhận đăng ký đầu tư hoặc văn bản từ chối, nêu rõ lý do",
            "Giấy chứng nhận đăng ký đầu tư hoặc văn bản từ chối, nêu rõ lý do",
            id="no-code",
        ),
    ],
)
def test_parse_result(text: str, result: str) -> None:
    assert parse_result(text) == result


@pytest.mark.parametrize(
    ("text", "levels", "reasons"),
    [
        pytest.param("Cấp bộ", {ImplementingLevel.MINISTRY}, [], id="ministry"),
        pytest.param(
            "Cấp bộ, Cấp tỉnh, Cấp xã",
            {ImplementingLevel.MINISTRY, ImplementingLevel.PROVINCE, ImplementingLevel.COMMUNE},
            [],
            id="three",
        ),
        pytest.param(
            "Cấp xã, Cơ quan khác",
            {ImplementingLevel.COMMUNE, ImplementingLevel.OTHER},
            [],
            id="other-agency",
        ),
        pytest.param("", set(), [], id="empty"),
        pytest.param("Cấp huyện", set(), [Reason.LEVELS_UNRECOGNISED], id="district-is-gone"),
    ],
)
def test_parse_levels(text: str, levels: set[ImplementingLevel], reasons: list[Reason]) -> None:
    got, issues = parse_levels(text)
    assert got == levels
    assert [r for r, _ in issues] == reasons


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


def detail(**fields: str) -> dict[str, str]:
    record = {
        "ma_thu_tuc": "1.000094",
        "detail_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/abc",
        "ten_thu_tuc": "Thủ tục đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
        "so_quyet_dinh": "163/QĐ-BTP",
        "cap_thuc_hien": "Cấp xã",
        "loai_thu_tuc": "TTHC được giao luật quy định chi tiết",
        "linh_vuc": "Hộ tịch",
        "doi_tuong_thuc_hien": "Công dân Việt Nam, Người nước ngoài",
        "co_quan_co_tham_quyen": "Ủy ban nhân dân cấp xã",
        "co_quan_phoi_hop": "",
        "trinh_tu_thuc_hien": "Bước 1: Nộp hồ sơ\n\n  Bước 2:   Tiếp nhận",
        "cach_thuc_thuc_hien": CHANNEL_HEADER + "Trực tiếp5 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": "--" + DOCUMENT_HEADER + "Tờ khai đăng ký kết hôn1 bản chính",
        "can_cu_phap_ly": LEGAL_HEADER + "Luật Hộ tịch60/2014/QH13",
        "co_quan_thuc_hien": "Không có thông tin",
        "yeu_cau_dieu_kien": "Không có thông tinTừ khóaKhông có thông tinMô tảKhông có thông tin",
        "ket_qua_xu_ly": "Giấy chứng nhận kết hônMã: KQ.G15.000001Từ khóaKhông có thông tin",
        "_bo_nganh_folder": "bo-tu-phap",
    }
    record.update(fields)
    return record


LISTING = ListingRow(
    code="1.000094",
    name="Thủ tục đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
    issuing_authority="Bộ Tư pháp",
    implementing_agencies="Ủy ban nhân dân cấp xã\nỦy ban nhân dân cấp xã",
    field_name="Hộ tịch",
)


def test_build_spec_merges_listing_and_detail() -> None:
    spec, problems = build_spec(SourceRecord("1.000094", LISTING, detail()))
    assert problems == []
    assert spec.issuing_authority == "Bộ Tư pháp"
    assert spec.field_name == "Hộ tịch"
    assert spec.levels == {ImplementingLevel.COMMUNE}
    assert spec.source_url == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/abc"
    version = spec.version
    assert version.implementing_agencies == "Ủy ban nhân dân cấp xã"
    assert version.competent_authority == "Ủy ban nhân dân cấp xã"
    assert version.steps_description == "Bước 1: Nộp hồ sơ\nBước 2: Tiếp nhận"
    assert version.conditions == ""
    assert version.result_description == "Giấy chứng nhận kết hôn"
    assert version.legal_basis == (("60/2014/QH13", "Luật Hộ tịch"),)
    assert [(c.channel, c.time_limit_amount, c.fee_kind) for c in version.channels] == [
        (Channel.COUNTER, Decimal(5), FeeKind.FREE)
    ]
    assert [d.name for d in version.documents] == ["Tờ khai đăng ký kết hôn"]


def test_detail_of_another_procedure_is_ignored() -> None:
    wrong = detail(ten_thu_tuc="Hỗ trợ phát triển sản xuất cộng đồng.", linh_vuc="Nông nghiệp")
    spec, problems = build_spec(SourceRecord("1.000094", LISTING, wrong))
    assert [p.reason for p in problems] == [Reason.DETAIL_MISMATCH]
    assert spec.name == LISTING.name
    assert spec.field_name == "Hộ tịch"
    assert spec.source_url == ""
    assert spec.version.channels == ()


def test_listing_only_and_detail_only() -> None:
    spec, problems = build_spec(SourceRecord("1.000094", LISTING, None))
    assert [p.reason for p in problems] == [Reason.DETAIL_MISSING]
    assert spec.name == LISTING.name
    assert spec.version.implementing_agencies == "Ủy ban nhân dân cấp xã"

    spec, problems = build_spec(SourceRecord("1.000094", None, detail()))
    assert problems == []
    assert spec.issuing_authority == "Bộ Tư pháp"  # from the folder name
    assert spec.name == "Thủ tục đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới"


def test_channel_table_spilled_into_legal_basis_is_rejoined() -> None:
    spilled = detail(
        cach_thuc_thuc_hien=CHANNEL_HEADER + "Trực tuyến3 NgàyMiễn phí(",
        can_cu_phap_ly=": Thông tư 269/2016/TT-BTC.)Trực tiếp3 NgàyMiễn phí(Căn cứ pháp lý: "
        "Thông tư 269/2016/TT-BTC.)",
    )
    spec, problems = build_spec(SourceRecord("1.000094", LISTING, spilled))
    assert [p.reason for p in problems] == [Reason.LEGAL_BASIS_MISPLACED]
    assert [c.channel for c in spec.version.channels] == [Channel.ONLINE, Channel.COUNTER]
    assert spec.version.legal_basis == ()


def test_decomposed_unicode_is_read(tmp_path: Path) -> None:
    import unicodedata

    record = detail(
        thanh_phan_ho_so=unicodedata.normalize(
            "NFD", "--" + DOCUMENT_HEADER + "Bản khai cá nhân (mẫu 9A)47-Mẫu 8A.doc1 bản chính"
        )
    )
    path = tmp_path / "nfd.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (read,) = read_details(path)
    spec, _ = build_spec(SourceRecord("1.000094", None, read))
    (document,) = spec.version.documents
    assert (document.name, document.template_name) == ("Bản khai cá nhân (mẫu 9A)", "47-Mẫu 8A.doc")


def test_parse_stats_shares() -> None:
    stats = ParseStats()
    text = CHANNEL_HEADER + "Trực tuyến7 Ngày làm việcMiễn phíTrực tiếp7Không có thông tin"
    spec, _ = build_spec(SourceRecord("1.000094", None, detail(cach_thuc_thuc_hien=text)))
    stats.add(spec)
    assert (stats.channel_rows, stats.time_parsed, stats.fee_parsed, stats.both_parsed) == (
        2,
        1,
        1,
        1,
    )
    assert stats.share(1, 2) == "50.0% (1/2)"


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def test_read_details_in_every_container(tmp_path: Path) -> None:
    records = [detail(), detail(ma_thu_tuc="2.000001")]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    plain = tmp_path / "a.jsonl"
    plain.write_text(lines, encoding="utf-8")
    gzipped = tmp_path / "b.jsonl.gz"
    gzipped.write_bytes(gzip.compress(lines.encode()))
    array = tmp_path / "c.json"
    array.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    for path in (plain, gzipped, array):
        assert [r["ma_thu_tuc"] for r in read_details(path)] == ["1.000094", "2.000001"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("bad.jsonl", b'{"ma_thu_tuc": "1"}\n{oops\n', "line 2", id="bad-line"),
        pytest.param("bad.json", b"[{]", "not valid JSON", id="bad-array"),
        pytest.param("bad.jsonl.gz", b"\x1f\x8bnot gzip", "cannot be read", id="bad-gzip"),
        pytest.param("nocode.jsonl", b'{"ten_thu_tuc": "x"}\n', "ma_thu_tuc", id="no-code"),
        pytest.param("bad.xlsx", b"not a zip", "not a readable .xlsx", id="bad-xlsx"),
        pytest.param("data.csv", b"a,b\n", "unknown file type", id="unknown-type"),
    ],
)
def test_unreadable_inputs(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_sources([path])


def test_missing_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_sources([tmp_path / "absent.xlsx"])


def write_listing(path: Path, rows: list[tuple[str, ...]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nDANH SÁCH THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


def test_read_listing_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "danh-sach.xlsx"
    write_listing(
        path,
        [
            ("1.000094", "Đăng ký kết hôn ", "Bộ Tư pháp", "Ủy ban nhân dân cấp xã\n", "Hộ tịch"),
            ("3.000165", "Đăng ký cấp sao bản án", "Tòa án nhân dân", "", "Tòa án"),
        ],
    )
    rows = read_listing(path)
    assert [(r.code, r.name, r.issuing_authority) for r in rows] == [
        ("1.000094", "Đăng ký kết hôn", "Bộ Tư pháp"),
        ("3.000165", "Đăng ký cấp sao bản án", "Tòa án nhân dân"),
    ]
    merged = merge_sources(
        Sources(listing=rows, details=[detail(), detail(ma_thu_tuc="2.000001"), detail()])
    )
    assert [(m.code, m.listing is not None, m.detail is not None) for m in merged] == [
        ("1.000094", True, True),
        ("3.000165", True, False),
        ("2.000001", False, True),
    ]
    assert [m.duplicated for m in merged] == [True, False, False]


def test_listing_without_header(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Code", "Name"])
    workbook.save(path)
    with pytest.raises(InputError, match="Mã số"):
        read_listing(path)
