"""Demo notices: a few on department boards and the channels, one pinned, one to acknowledge."""

from django.db import transaction
from django.utils import timezone

from bulletins.models import Board, Notice
from bulletins.services import bulletins_sync

# (board: department code or channel kind, slug, title, body, options)
NOTICES = [
    (
        "director-office",
        "safety-month",
        "关于开展安全生产月活动的通知",
        "<p>六月为全厂安全生产月，各部门须组织一次消防演练，并于月底前上报总结。</p>",
        {"pinned": True, "must_acknowledge": True},
    ),
    (
        "director-office",
        "holiday-schedule",
        "端午节放假安排",
        "<p>端午节放假一天，请各部门做好值班安排。</p>",
        {},
    ),
    (
        "quality",
        "raw-material-inspection",
        "原料入厂检验新标准",
        "<p>自下月起，烟叶入厂检验按新标准执行，详见附件。</p>",
        {"departments": ["quality", "purchasing", "production"]},
    ),
    (
        "sales",
        "monthly-sales-meeting",
        "月度销售分析会",
        "<p>本周五下午两点在三楼会议室召开月度销售分析会。</p>",
        {"departments": ["sales"]},
    ),
    (
        Board.Kind.NEWS,
        "market-weekly",
        "本周卷烟市场信息",
        "<p>本周重点品牌零售价格稳定，高端品牌需求上升。</p>",
        {},
    ),
    (
        Board.Kind.POLICIES,
        "tobacco-monopoly-law",
        "《烟草专卖法》实施条例修订要点",
        "<p>修订后的实施条例对零售许可证管理作了新的规定。</p>",
        {},
    ),
    (
        Board.Kind.INDUSTRY,
        "industry-quality-rules",
        "行业卷烟产品质量监督检查规定",
        "<p>行业主管部门发布了新的产品质量抽检办法。</p>",
        {},
    ),
]


def _board(key):
    if key in Board.CHANNELS:
        return Board.objects.filter(kind=key).first()
    return Board.objects.filter(department__code=key).first()


def seed(*, stdout):
    """Create the demo notices that do not exist yet (by slug on their board)."""
    from portal.models import Department

    bulletins_sync()
    created = 0
    with transaction.atomic():
        for key, slug, title, body, options in NOTICES:
            board = _board(key)
            if board is None or Notice.objects.child_of(board).filter(slug=slug).exists():
                continue
            options = dict(options)
            departments = options.pop("departments", [])
            notice = Notice(
                title=title,
                slug=slug,
                body=body,
                live=True,
                first_published_at=timezone.now(),
                last_published_at=timezone.now(),
                **options,
            )
            if departments:
                notice.audience_all = False
                notice.audience_departments = list(Department.objects.filter(code__in=departments))
            board.add_child(instance=notice)
            notice.save_revision().publish()
            created += 1
    stdout.write(f"Bulletins: {Board.objects.count()} boards, {created} new demo notices.")
