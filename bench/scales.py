"""How much data each scale holds.

`full` is the benchmark size of DESIGN.md's targets; `small` keeps the shape at a fraction of the
size so that a run takes minutes. A generator reads only the numbers of its own feature. Numbers
whose generator has not landed yet are listed so that the scale is written down in one place.
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    # people (this issue): employees in the directory, retailers with an extranet login
    employees: int
    retailers_with_logins: int
    # later features' generators
    forum_posts: int
    knowledge_articles: int
    documents: int
    retailers: int
    order_lines: int
    # mass notices (issue 3): notices sent, the first ten to all staff, the others to a department
    notices: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


SCALES = {
    "small": Scale(
        name="small",
        employees=300,
        retailers_with_logins=200,
        forum_posts=2_000,
        knowledge_articles=200,
        documents=200,
        retailers=500,
        order_lines=5_000,
        notices=30,
    ),
    "full": Scale(
        name="full",
        employees=5_000,
        retailers_with_logins=500,
        forum_posts=200_000,
        knowledge_articles=20_000,
        documents=20_000,
        retailers=50_000,
        order_lines=500_000,
        notices=300,
    ),
}
