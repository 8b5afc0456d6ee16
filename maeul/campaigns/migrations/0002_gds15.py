"""Load the short Geriatric Depression Scale (GDS-15) as the first screening instrument."""

from django.db import migrations

SOURCE = (
    "Sheikh JI, Yesavage JA. Geriatric Depression Scale (GDS): recent evidence and development "
    "of a shorter version. Clinical Gerontologist 1986;5(1-2):165-173. Public domain "
    "(web.stanford.edu/~yesavage/GDS.html): 1 point for 'no' on items 1, 5, 7, 11, 13 and for "
    "'yes' on the others; a score of 5 or more suggests depression and calls for follow-up. "
    "Korean wording: a working translation; the validated Korean form is SGDS-K "
    "(Bae JN, Cho MJ, J Psychosom Res 2004;57:297-305)."
)

ITEMS = [
    ("1", "no", "Are you basically satisfied with your life?", "현재 생활에 대체로 만족하십니까?"),
    ("2", "yes", "Have you dropped many of your activities and interests?", "활동과 관심 있던 일을 많이 그만두셨습니까?"),
    ("3", "yes", "Do you feel that your life is empty?", "삶이 비어 있다고 느끼십니까?"),
    ("4", "yes", "Do you often get bored?", "자주 지루함을 느끼십니까?"),
    ("5", "no", "Are you in good spirits most of the time?", "대부분의 시간 동안 기분이 좋으십니까?"),
    ("6", "yes", "Are you afraid that something bad is going to happen to you?", "나쁜 일이 생길까 봐 두려우십니까?"),
    ("7", "no", "Do you feel happy most of the time?", "대부분의 시간 동안 행복하다고 느끼십니까?"),
    ("8", "yes", "Do you often feel helpless?", "자주 무력하다고 느끼십니까?"),
    ("9", "yes", "Do you prefer to stay at home, rather than going out and doing new things?", "밖에 나가 새로운 일을 하기보다 집에 있는 것을 더 좋아하십니까?"),
    ("10", "yes", "Do you feel you have more problems with memory than most?", "다른 사람들보다 기억력에 문제가 더 많다고 느끼십니까?"),
    ("11", "no", "Do you think it is wonderful to be alive now?", "지금 살아 있다는 것이 기쁘다고 생각하십니까?"),
    ("12", "yes", "Do you feel pretty worthless the way you are now?", "지금의 자신이 가치 없다고 느끼십니까?"),
    ("13", "no", "Do you feel full of energy?", "기운이 넘친다고 느끼십니까?"),
    ("14", "yes", "Do you feel that your situation is hopeless?", "지금 처지가 희망이 없다고 느끼십니까?"),
    ("15", "yes", "Do you think that most people are better off than you are?", "대부분의 사람들이 자신보다 형편이 낫다고 생각하십니까?"),
]


def load(apps, schema_editor):
    Instrument = apps.get_model("campaigns", "Instrument")
    Instrument.objects.update_or_create(
        code="gds15",
        defaults={
            "name": "Geriatric Depression Scale, short form (GDS-15)",
            "name_ko": "단축형 노인우울척도 (GDS-15)",
            "items": [
                {"key": key, "point_if": point, "text_en": en, "text_ko": ko}
                for key, point, en, ko in ITEMS
            ],
            "cutoff": 5,
            "source": SOURCE,
            "domain": "mental_health",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("campaigns", "Instrument").objects.filter(code="gds15").delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
