"""The instrument of seed 000 as data: five intent items (agree / neither / disagree, Table 3)
and eight 7-point scales (Tables 4–11), each item in Korean and English.

The seed's Tables 7, 9, 10 and 11 repeat, as their fourth row, an item of another table
(Table 6's "reaching an agreement", Table 8's "sufficient budgets"); those repeats are copy
slips of the brief, not items of the scale, so those scales have three items here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from maeul.councils.survey.analysis import Item

#: scale code → (table number in seed 000, title)
SCALES: dict[str, tuple[int, object]] = {
    "direction": (4, _("Direction and objectives")),
    "roles": (5, _("Roles of members")),
    "communication": (6, _("Communication and decision-making")),
    "officials": (7, _("Support from officials")),
    "capacity": (8, _("Capacity building and operations support")),
    "deliberation": (9, _("Outcomes of deliberation")),
    "projects": (10, _("Council projects")),
    "cooperation": (11, _("Cooperation with the community")),
}

ITEMS: list[Item] = [
    # Table 3: the intent of CSSCs.
    Item(
        "I1",
        None,
        "협의체 활동은 지역의 취약계층을 대상으로 한다.",
        "CSSC activities target those disadvantaged in the community.",
    ),
    Item(
        "I2",
        None,
        "협의체 활동은 공익을 위해 자발적으로 이루어진다.",
        "CSSC activities are carried out voluntarily in the interest of public good.",
    ),
    Item(
        "I3",
        None,
        "협의체 활동은 정치적 중립을 지켜야 한다.",
        "CSSC activities should maintain political neutrality.",
    ),
    Item(
        "I4",
        None,
        "협의체 위원은 활동으로 경제적 이익을 우선 추구해서는 안 된다.",
        "CSSC members should not prioritize seeking economic gains from their CSSC activities.",
    ),
    Item(
        "I5",
        None,
        "협의체 활동은 지방자치단체와 긴밀히 협력하여야 한다.",
        "CSSC activities need to be carried out in close collaboration with local authorities.",
    ),
    # Table 4
    Item(
        "D1",
        "direction",
        "협의체에는 활동의 구체적인 방향과 목표가 있다.",
        "There are in the CSSC specific directions and objectives toward which we orient our activities.",
    ),
    Item(
        "D2",
        "direction",
        "위원들은 협의체의 방향과 목표를 명확히 이해하고 있다.",
        "The members have a clear grasp of their council's direction and objectives.",
    ),
    Item(
        "D3",
        "direction",
        "위원들은 협의체의 방향과 목표를 적극 지지한다.",
        "The members are in active support of the council's direction and objectives.",
    ),
    Item(
        "D4",
        "direction",
        "위원들은 협의체의 목표 달성을 위해 시급히 해야 할 일을 정확히 알고 있다.",
        "The members know precisely what needs to be done urgently to achieve the council's mission and objectives.",
    ),
    # Table 5
    Item(
        "R1",
        "roles",
        "위원들은 자신에게 기대되는 역할을 명확히 이해하고 있다.",
        "The members have a clear grasp of the roles they are expected to play.",
    ),
    Item(
        "R2",
        "roles",
        "위원들은 자발적으로 협의체 활동에 참여한다.",
        "The members participate in the council activities on a voluntary basis.",
    ),
    Item(
        "R3",
        "roles",
        "위원들은 협의체 활동에 책임감을 가지고 있다.",
        "The members have a sense of responsibility for their council's activities.",
    ),
    Item(
        "R4",
        "roles",
        "위원 각자는 자신의 기여가 인정받는다고 느낀다.",
        "Each of the council members feels that his or her contribution is appreciated.",
    ),
    # Table 6
    Item(
        "C1",
        "communication",
        "위원들은 다른 위원의 말을 경청하고 존중한다.",
        "Each of the council members listens with attention and respect to what other members have to say.",
    ),
    Item(
        "C2",
        "communication",
        "위원들은 자신의 생각과 의견을 적극적으로 제시한다.",
        "The members actively put forward their ideas and views.",
    ),
    Item(
        "C3",
        "communication",
        "협의 과정에서 위원들에게 지역사회보장에 관한 전문 정보가 제공된다.",
        "The members are provided with expert information about local social security in the process of CSSC deliberation.",
    ),
    Item(
        "C4",
        "communication",
        "위원들은 민주적인 방식으로 합의에 이를 수 있다.",
        "The members are capable of reaching an agreement in a democratic manner.",
    ),
    # Table 7
    Item(
        "O1",
        "officials",
        "시장·군수·구청장은 협의체 활동에 관심을 가지고 적극 지원한다.",
        "Municipal heads are interested in and in active support of the activities of CSSCs.",
    ),
    Item(
        "O2",
        "officials",
        "협의체 위원장은 협의체 운영을 위해 적극적으로 활동한다.",
        "CSSC chairpersons work actively to promote the operation of their councils.",
    ),
    Item(
        "O3",
        "officials",
        "관련 공무원은 협의체 활동에 적극 참여하고 주도한다.",
        "Local public officials concerned participate and take lead actively in CSSC activities.",
    ),
    # Table 8
    Item(
        "S1",
        "capacity",
        "위원들은 기본 교육을 충분히 받는다.",
        "CSSC members get well-educated as to basic topics that concern them.",
    ),
    Item(
        "S2",
        "capacity",
        "위원들은 협의체 활동에 관한 심화 교육을 받는다.",
        "CSSC members get educated in depth about their council activities.",
    ),
    Item(
        "S3",
        "capacity",
        "위원 간 소통과 협력을 위한 다양한 지원이 이루어진다.",
        "Support is provided through various channels to promote communication and collaboration between CSSC members.",
    ),
    Item(
        "S4",
        "capacity",
        "협의체 운영을 위한 예산과 재원이 충분히 지원된다.",
        "Sufficient budgets and endowments are offered for the operation of CSSCs.",
    ),
    # Table 9
    Item(
        "E1",
        "deliberation",
        "협의체는 심의·의결에서 지역의 역사, 여건, 주민 문제를 깊이 고려한다.",
        "In their deliberation and decision-making, CSSCs consider in depth the history, circumstantial conditions and resident issues peculiar to their community.",
    ),
    Item(
        "E2",
        "deliberation",
        "협의체는 심의·의결을 통해 지역 복지문제 해결을 위한 전문적 정보와 지식을 얻는다.",
        "In their deliberation and decision-making, CSSCs come to acquire expert-level information and knowledge as a way to address welfare problems confronting their community.",
    ),
    Item(
        "E3",
        "deliberation",
        "위원들은 협의체에서 결정한 사항을 책임감 있게 실천한다.",
        "CSSC members act, with a sense of responsibility, to put in practice things decided by the council.",
    ),
    # Table 10
    Item(
        "P1",
        "projects",
        "협의체는 추진한 사업을 객관적으로 평가하고 개선하려고 꾸준히 노력한다.",
        "CSSC activities involve continued efforts to objectively assess and improve on projects implemented.",
    ),
    Item(
        "P2",
        "projects",
        "협의체는 사업 지원 대상의 다양화를 위해 노력한다.",
        "CSSCs exert efforts to increase the diversity of groups to whom their projects are intended to provide support.",
    ),
    Item(
        "P3",
        "projects",
        "협의체는 일상적인 사업에서 벗어나 새롭고 실험적인 사업을 시도한다.",
        "CSSCs emerge out of routine projects and make attempts at novel, experimental ones.",
    ),
    # Table 11
    Item(
        "K1",
        "cooperation",
        "협의체 활동으로 지역 직능단체(사회단체)와의 협력이 늘고 있다.",
        "Cooperation with community professional associations (social groups) is growing with CSSC activities.",
    ),
    Item(
        "K2",
        "cooperation",
        "직능단체는 협의체 활동 참여로 공익활동에 더 적극적이 되었다.",
        "Community professional associations, now with their participation in CSSC activities, have become more active in public-interest activities.",
    ),
    Item(
        "K3",
        "cooperation",
        "협의체 활동을 통해 주민의 공익활동에 대한 관심과 지원이 늘었다.",
        "Interest in and support for public-interest activities among the community residents have grown by way of CSSC activities.",
    ),
]

INTENT_ITEMS = [i for i in ITEMS if i.scale is None]


def scale_items(scale: str) -> list[Item]:
    return [i for i in ITEMS if i.scale == scale]


def text_of(item: Item, language: str | None) -> str:
    return item.text_en if (language or "ko").startswith("en") else item.text_ko
