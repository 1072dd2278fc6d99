"""The two standards the commune works with (sources in docs/poverty.md).

2022–2026: Decree 07/2021/NĐ-CP (kept through 2026 by Decree 351/2025/NĐ-CP):
1,500,000 đ rural / 2,000,000 đ urban per person per month; middle income up to
2,250,000 đ / 3,000,000 đ; poor when lacking at least 3 of the 12 indicators.
2027–2030: Decree 351/2025/NĐ-CP: 2,200,000 đ / 2,800,000 đ; the indicator list is
provisional (copied from 2022–2026 until the implementing circular is confirmed) and
its middle-income band unknown (left empty).

The indicators' names are those of Decree 07/2021, art. 3(2); their exact thresholds
(the annex) are not verified here: the definitions say so and the commune
administrator corrects them in the admin.
"""

from datetime import date

from django.db import migrations

INDICATORS = [
    ("employment", "employment", "Việc làm"),
    ("dependants", "employment", "Người phụ thuộc trong hộ gia đình"),
    ("nutrition", "health", "Dinh dưỡng"),
    ("health_insurance", "health", "Bảo hiểm y tế"),
    ("adult_education", "education", "Trình độ giáo dục của người lớn"),
    ("school_attendance", "education", "Tình trạng đi học của trẻ em"),
    ("housing_quality", "housing", "Chất lượng nhà ở"),
    ("floor_area", "housing", "Diện tích nhà ở bình quân đầu người"),
    ("water", "water", "Nguồn nước sinh hoạt"),
    ("latrine", "water", "Nhà tiêu hợp vệ sinh"),
    ("telecom", "information", "Sử dụng dịch vụ viễn thông"),
    ("information_access", "information", "Phương tiện phục vụ tiếp cận thông tin"),
]
UNVERIFIED = (
    "Ngưỡng thiếu hụt theo Phụ lục Nghị định 07/2021/NĐ-CP và Thông tư 07/2021/TT-BLĐTBXH "
    "(sửa đổi bởi Thông tư 02/2022/TT-BLĐTBXH). Nội dung chi tiết chưa được đối chiếu: "
    "quản trị viên xã cập nhật theo văn bản."
)
PROVISIONAL = (
    "Tạm dùng chỉ số của giai đoạn 2022–2026 cho đến khi có văn bản hướng dẫn Nghị định "
    "351/2025/NĐ-CP."
)


def ship(apps, schema_editor):
    Standard = apps.get_model("poverty", "Standard")
    Indicator = apps.get_model("poverty", "Indicator")
    first = Standard.objects.create(
        name="Chuẩn nghèo đa chiều 2022–2026",
        legal_basis="Nghị định 07/2021/NĐ-CP; kéo dài đến hết 2026 theo Nghị định 351/2025/NĐ-CP",
        valid_from=date(2022, 1, 1),
        valid_to=date(2027, 1, 1),
        rural_line=1_500_000,
        urban_line=2_000_000,
        rural_middle_line=2_250_000,
        urban_middle_line=3_000_000,
        poor_min_lacking=3,
        indicators_provisional=False,
        source="Nghị định 07/2021/NĐ-CP, Điều 3; xem docs/poverty.md",
    )
    second = Standard.objects.create(
        name="Chuẩn nghèo đa chiều 2027–2030",
        legal_basis="Nghị định 351/2025/NĐ-CP",
        valid_from=date(2027, 1, 1),
        valid_to=date(2031, 1, 1),
        rural_line=2_200_000,
        urban_line=2_800_000,
        poor_min_lacking=3,
        indicators_provisional=True,
        source="Nghị định 351/2025/NĐ-CP (theo domain.md §6); xem docs/poverty.md",
    )
    for standard, definition in ((first, UNVERIFIED), (second, PROVISIONAL)):
        Indicator.objects.bulk_create(
            Indicator(
                standard=standard,
                code=code,
                dimension=dimension,
                name=name,
                definition=definition,
                order=order,
            )
            for order, (code, dimension, name) in enumerate(INDICATORS, start=1)
        )


def unship(apps, schema_editor):
    # By ids and without the deletion collector: when a later app's migrations are
    # unapplied first, the historical models they render may not be the classes the
    # collector compares, and it refuses ("Must be a Standard instance").
    Standard = apps.get_model("poverty", "Standard")
    Indicator = apps.get_model("poverty", "Indicator")
    alias = schema_editor.connection.alias
    shipped = Standard.objects.filter(valid_from__in=[date(2022, 1, 1), date(2027, 1, 1)])
    ids = list(shipped.values_list("pk", flat=True))
    Indicator.objects.filter(standard_id__in=ids)._raw_delete(alias)
    Standard.objects.filter(pk__in=ids)._raw_delete(alias)


class Migration(migrations.Migration):
    dependencies = [("poverty", "0001_initial")]
    operations = [migrations.RunPython(ship, unship)]
