"""The ten procedures residents most often do at the commune (sources: docs/portal.md).

Where a fee or time could not be confirmed from a source, the text says so and sends the
reader to the desk or the national portal rather than guess. The administrator edits
these rows (site administration → administrative procedures).
"""

from django.db import migrations

from langso.lib.vietnamese import fold

PORTAL = "https://dichvucong.gov.vn"
UBND = "Bộ phận tiếp nhận và trả kết quả (một cửa) — Ủy ban nhân dân xã"
POLICE = "Công an xã"
UNCONFIRMED = "Chưa xác nhận được mức thu cụ thể: do Hội đồng nhân dân tỉnh quy định; hỏi bộ phận một cửa hoặc xem trên Cổng Dịch vụ công quốc gia."

PROCEDURES = [
    {
        "slug": "dang-ky-khai-sinh",
        "title": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "office": UBND,
        "summary": "Cha, mẹ (hoặc ông, bà, người thân) đăng ký khai sinh cho trẻ trong 60 ngày kể từ ngày sinh.",
        "steps": "Nộp tờ khai và giấy tờ tại bộ phận một cửa của xã (hoặc trực tuyến trên Cổng Dịch vụ công).\nCông chức tư pháp – hộ tịch kiểm tra, ghi vào Sổ đăng ký khai sinh.\nNgười đi đăng ký kiểm tra thông tin, ký vào sổ và nhận Giấy khai sinh.",
        "documents": "Tờ khai đăng ký khai sinh (theo mẫu).\nBản chính Giấy chứng sinh; nếu không có thì văn bản của người làm chứng hoặc giấy cam đoan về việc sinh.\nGiấy tờ tùy thân có ảnh của người đi đăng ký (căn cước, hộ chiếu).",
        "fee": "Miễn lệ phí khi đăng ký đúng hạn (Luật Hộ tịch 2014, Điều 11). Đăng ký quá hạn: theo mức Hội đồng nhân dân tỉnh quy định.",
        "processing_time": "Ngay trong ngày tiếp nhận; hồ sơ nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP.",
    },
    {
        "slug": "dang-ky-khai-tu",
        "title": "Đăng ký khai tử",
        "field": "Hộ tịch",
        "office": UBND,
        "summary": "Người thân đăng ký khai tử trong 15 ngày kể từ ngày người thân mất.",
        "steps": "Nộp tờ khai và giấy báo tử tại bộ phận một cửa của xã.\nCông chức tư pháp – hộ tịch kiểm tra, ghi vào Sổ đăng ký khai tử.\nNhận Trích lục khai tử.",
        "documents": "Tờ khai đăng ký khai tử (theo mẫu).\nGiấy báo tử hoặc giấy tờ thay thế giấy báo tử.\nGiấy tờ tùy thân của người đi đăng ký.",
        "fee": "Miễn lệ phí khi đăng ký đúng hạn (Luật Hộ tịch 2014, Điều 11). Đăng ký quá hạn: theo mức Hội đồng nhân dân tỉnh quy định.",
        "processing_time": "Ngay trong ngày tiếp nhận; cần xác minh thì không quá 03 ngày làm việc.",
        "legal_basis": "Luật Hộ tịch 2014 (Điều 33, 34); Nghị định 123/2015/NĐ-CP.",
    },
    {
        "slug": "dang-ky-ket-hon",
        "title": "Đăng ký kết hôn",
        "field": "Hộ tịch",
        "office": UBND,
        "summary": "Nam, nữ là công dân Việt Nam cư trú trong nước đăng ký kết hôn tại xã nơi một trong hai người cư trú.",
        "steps": "Hai bên nộp tờ khai và giấy tờ tại bộ phận một cửa của xã.\nCông chức tư pháp – hộ tịch kiểm tra điều kiện kết hôn.\nHai bên có mặt, ký vào Sổ đăng ký kết hôn và Giấy chứng nhận kết hôn.",
        "documents": "Tờ khai đăng ký kết hôn (theo mẫu).\nGiấy tờ tùy thân của hai bên.\nGiấy xác nhận tình trạng hôn nhân nếu đăng ký ở xã không phải nơi mình thường trú.",
        "fee": "Miễn lệ phí cho công dân Việt Nam cư trú trong nước (Luật Hộ tịch 2014, Điều 11).",
        "processing_time": "Ngay sau khi nhận đủ hồ sơ; cần xác minh thì không quá 05 ngày làm việc.",
        "legal_basis": "Luật Hôn nhân và gia đình 2014; Luật Hộ tịch 2014 (Điều 17, 18); Nghị định 123/2015/NĐ-CP.",
    },
    {
        "slug": "xac-nhan-tinh-trang-hon-nhan",
        "title": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "field": "Hộ tịch",
        "office": UBND,
        "summary": "Dùng để đăng ký kết hôn nơi khác, mua bán nhà đất, vay vốn…",
        "steps": "Nộp tờ khai tại bộ phận một cửa của xã nơi thường trú.\nCông chức tư pháp – hộ tịch kiểm tra, xác minh tình trạng hôn nhân.\nChủ tịch Ủy ban nhân dân xã ký cấp Giấy xác nhận.",
        "documents": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu).\nGiấy tờ tùy thân.\nNếu đã ly hôn hoặc vợ/chồng đã mất: bản án, quyết định ly hôn hoặc trích lục khai tử.",
        "fee": UNCONFIRMED,
        "processing_time": "03 ngày làm việc; cần xác minh thì kéo dài thêm không quá 03 ngày làm việc.",
        "legal_basis": "Nghị định 123/2015/NĐ-CP (Điều 21–23).",
    },
    {
        "slug": "chung-thuc-ban-sao",
        "title": "Chứng thực bản sao từ bản chính",
        "field": "Chứng thực",
        "office": UBND,
        "summary": "Chứng thực bản sao giấy tờ do cơ quan Việt Nam cấp (căn cước, sổ đỏ, bằng cấp…).",
        "steps": "Mang bản chính và bản sao (hoặc nhờ bộ phận một cửa chụp) đến xã.\nNgười thực hiện chứng thực đối chiếu bản sao với bản chính, ký và đóng dấu.\nNộp phí, nhận bản sao đã chứng thực.",
        "documents": "Bản chính giấy tờ.\nBản sao cần chứng thực.",
        "fee": "2.000 đồng/trang; từ trang thứ ba trở đi 1.000 đồng/trang, tối đa 200.000 đồng/bản (Thông tư 226/2016/TT-BTC).",
        "processing_time": "Trong ngày; hồ sơ nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
        "legal_basis": "Nghị định 23/2015/NĐ-CP; Thông tư 226/2016/TT-BTC.",
    },
    {
        "slug": "chung-thuc-chu-ky",
        "title": "Chứng thực chữ ký trên giấy tờ, văn bản",
        "field": "Chứng thực",
        "office": UBND,
        "summary": "Chứng thực chữ ký của người dân trên đơn, giấy ủy quyền không có thù lao…",
        "steps": "Mang giấy tờ cần chứng thực và giấy tờ tùy thân đến xã.\nKý trước mặt người thực hiện chứng thực.\nNộp phí, nhận giấy tờ đã chứng thực chữ ký.",
        "documents": "Giấy tờ, văn bản cần chứng thực chữ ký (chưa ký).\nGiấy tờ tùy thân còn giá trị.",
        "fee": "10.000 đồng/trường hợp theo Thông tư 226/2016/TT-BTC; mức này chưa đối chiếu được với nguồn trong tài liệu, đề nghị hỏi lại bộ phận một cửa.",
        "processing_time": "Trong ngày; hồ sơ nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
        "legal_basis": "Nghị định 23/2015/NĐ-CP; Thông tư 226/2016/TT-BTC.",
    },
    {
        "slug": "dang-ky-thuong-tru",
        "title": "Đăng ký thường trú",
        "field": "Cư trú",
        "office": POLICE,
        "summary": "Người chuyển đến sinh sống ổn định, lâu dài tại chỗ ở hợp pháp trong xã.",
        "steps": "Nộp hồ sơ tại Công an xã hoặc trực tuyến trên Cổng Dịch vụ công.\nCông an xã kiểm tra, cập nhật thông tin vào Cơ sở dữ liệu về cư trú.\nNhận thông báo kết quả.",
        "documents": "Tờ khai thay đổi thông tin cư trú (mẫu CT01).\nGiấy tờ chứng minh chỗ ở hợp pháp.\nÝ kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở (khi nhập vào hộ hoặc chỗ ở của người khác).",
        "fee": "20.000 đồng/lần khi nộp trực tiếp; 10.000 đồng/lần khi nộp trực tuyến (Thông tư 75/2022/TT-BTC).",
        "processing_time": "07 ngày làm việc kể từ ngày nhận đủ hồ sơ.",
        "legal_basis": "Luật Cư trú 2020 (Điều 20–22); Thông tư 55/2021/TT-BCA; Thông tư 75/2022/TT-BTC.",
    },
    {
        "slug": "dang-ky-tam-tru",
        "title": "Đăng ký tạm trú, gia hạn tạm trú",
        "field": "Cư trú",
        "office": POLICE,
        "summary": "Người đến ở từ 30 ngày trở lên ngoài nơi thường trú (đi làm, đi học, thuê nhà).",
        "steps": "Nộp hồ sơ tại Công an xã hoặc trực tuyến trên Cổng Dịch vụ công.\nCông an xã kiểm tra, cập nhật thông tin tạm trú.\nNhận thông báo kết quả.",
        "documents": "Tờ khai thay đổi thông tin cư trú (mẫu CT01).\nGiấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà…).",
        "fee": "15.000 đồng/lần khi nộp trực tiếp; 7.000 đồng/lần khi nộp trực tuyến (Thông tư 75/2022/TT-BTC).",
        "processing_time": "03 ngày làm việc kể từ ngày nhận đủ hồ sơ.",
        "legal_basis": "Luật Cư trú 2020 (Điều 27, 28); Thông tư 75/2022/TT-BTC.",
    },
    {
        "slug": "cap-ban-sao-trich-luc-ho-tich",
        "title": "Cấp bản sao trích lục hộ tịch (khai sinh, kết hôn, khai tử)",
        "field": "Hộ tịch",
        "office": UBND,
        "summary": "Xin lại bản sao giấy khai sinh, giấy chứng nhận kết hôn… đã đăng ký tại xã.",
        "steps": "Nộp tờ khai yêu cầu cấp bản sao trích lục tại xã nơi đã đăng ký (hoặc trực tuyến).\nCông chức tư pháp – hộ tịch tra sổ, in bản sao trích lục.\nNộp phí, nhận bản sao.",
        "documents": "Tờ khai yêu cầu cấp bản sao trích lục hộ tịch (theo mẫu).\nGiấy tờ tùy thân; giấy ủy quyền nếu xin thay người khác.",
        "fee": UNCONFIRMED,
        "processing_time": "Ngay trong ngày tiếp nhận; hồ sơ nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
        "legal_basis": "Luật Hộ tịch 2014 (Điều 63, 64); Nghị định 123/2015/NĐ-CP.",
    },
    {
        "slug": "dang-ky-dat-dai-lan-dau",
        "title": "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "field": "Đất đai",
        "office": UBND + "; Văn phòng đăng ký đất đai",
        "summary": "Hộ gia đình, cá nhân đang sử dụng đất chưa có Giấy chứng nhận.",
        "steps": "Nộp hồ sơ tại bộ phận một cửa (xã hoặc Văn phòng đăng ký đất đai).\nỦy ban nhân dân xã xác nhận hiện trạng, nguồn gốc, thời điểm sử dụng đất và niêm yết công khai.\nVăn phòng đăng ký đất đai thẩm tra, xác định nghĩa vụ tài chính.\nNộp nghĩa vụ tài chính, nhận Giấy chứng nhận.",
        "documents": "Đơn đăng ký đất đai, tài sản gắn liền với đất (theo mẫu).\nGiấy tờ về quyền sử dụng đất (nếu có).\nGiấy tờ tùy thân của người sử dụng đất.",
        "fee": UNCONFIRMED,
        "processing_time": "Chưa xác nhận được thời hạn cụ thể theo quy định hiện hành; hỏi bộ phận một cửa hoặc xem trên Cổng Dịch vụ công quốc gia.",
        "legal_basis": "Luật Đất đai 2024 và các nghị định hướng dẫn.",
    },
]


def ship(apps, schema_editor):
    Procedure = apps.get_model("portal", "Procedure")
    for order, fields in enumerate(PROCEDURES, start=1):
        Procedure.objects.update_or_create(
            slug=fields["slug"],
            defaults={
                **fields,
                "order": order * 10,
                "national_url": PORTAL,
                "folded": fold(f"{fields['title']} {fields['field']} {fields['summary']}"),
            },
        )


def unship(apps, schema_editor):
    apps.get_model("portal", "Procedure").objects.filter(
        slug__in=[p["slug"] for p in PROCEDURES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_site_news_procedures")]

    operations = [migrations.RunPython(ship, unship)]
