"""Knowledge articles up to `scale.knowledge_articles`: nine in ten in the intranet's knowledge
base, one in ten in the extranet's, across departments and types, with domain words in the
text so that searches such as 烟叶含水率 or 烘丝机 find many. Built with plain INSERTs
(`knowledge.bulk`); the search index is rebuilt afterwards by the benchmark."""

from datetime import timedelta

from django.utils import timezone

from bench.generators import generator
from knowledge.bulk import ArticleSpec, articles_bulk_create
from knowledge.models import (
    ArticlePage,
    ExternalKnowledgeIndexPage,
    KnowledgeIndexPage,
    KnowledgeType,
)
from portal.models import Department

SLUG_PREFIX = "bench-"
BATCH = 2000
SUBJECTS = [
    "烟叶含水率", "烘丝机", "卷接机组", "梗丝", "霉变", "醇化", "片烟", "包装机组", "除尘器",
    "温湿度", "烟草甲虫", "单支重量", "吸阻", "卷烟纸", "陈列", "真伪鉴别",
]  # fmt: skip
TOPICS = ["的检测方法", "的日常管理", "常见问题", "操作规程", "质量控制要点", "故障排查"]
ENGLISH = ["inspection", "maintenance", "storage", "quality", "safety", "service"]


@generator("knowledge")
def knowledge(scale, rng):
    internal = KnowledgeIndexPage.objects.first()
    external = ExternalKnowledgeIndexPage.objects.first()
    departments = list(Department.objects.values_list("pk", flat=True))
    types = list(KnowledgeType.objects.values_list("pk", flat=True))
    if internal is None or external is None or not departments or not types:
        return
    present = ArticlePage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    today = timezone.localdate()
    now = timezone.now()
    for start in range(present, scale.knowledge_articles, BATCH):
        specs = {"intranet": [], "extranet": []}
        for number in range(start, min(start + BATCH, scale.knowledge_articles)):
            subject = rng.choice(SUBJECTS)
            topic = rng.choice(TOPICS)
            english = rng.choice(ENGLISH)
            face = "extranet" if number % 10 == 9 else "intranet"
            specs[face].append(
                ArticleSpec(
                    title=f"{subject}{topic}（{number}）",
                    slug=f"{SLUG_PREFIX}{number}",
                    department_id=rng.choice(departments),
                    knowledge_type_id=rng.choice(types),
                    summary=f"{subject}{topic}，{english} notes no. {number}.",
                    body=[
                        {
                            "type": "text",
                            "value": f"<p>本文介绍{subject}{topic}。{subject}与"
                            f"{rng.choice(SUBJECTS)}密切相关，应按规程执行。</p>"
                            f"<p>This article covers {english} of the {number % 50}th line.</p>",
                        },
                        {
                            "type": "steps",
                            "value": {"title": "", "steps": ["准备", "检查", "记录"]},
                        },
                    ],
                    published_at=now - timedelta(minutes=number),
                    review_by=today + timedelta(days=rng.randint(-60, 700)),
                    view_count=rng.randint(0, 5000),
                    helpful_yes=rng.randint(0, 60),
                    helpful_no=rng.randint(0, 10),
                )
            )
        articles_bulk_create(parent=internal, specs=specs["intranet"])
        articles_bulk_create(parent=external, specs=specs["extranet"])
