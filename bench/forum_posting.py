"""Reply posting rate of the forum's posting service (`forum.services.post_reply`).

The load driver of `bench.run` only sends GET requests, so posting is measured here, in one
process against the bench's data: `threads` workers each post replies to the 5,000-reply topic
under rotating pseudonyms for `duration` seconds, through the real service (row locks, counters,
rendering, the on-commit notification task). Run it after `make bench` has generated the data
(it uses the bench's environment and database of that scale):

    .venv/bin/python -m bench.forum_posting --scale small --duration 10 --threads 1

Afterwards the replies it posted are removed and the counters put back, so the bench data stays
as the generator made it.

With SQLite use one thread (one writer at a time); with PostgreSQL (`DATABASE_URL`) several
threads show how replies to one topic serialise on its row lock. Prints posts/s and latency.
"""

import argparse
import os
import statistics
import threading
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--scale", default="small")
    args = parser.parse_args(argv)

    from bench.prepare import bench_environment

    os.environ.update(bench_environment(args.scale))
    import django
    import django.utils.timezone

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from bench.pages import FORUM_LONG_TOPIC_ID
    from forum.models import Board, Post, Pseudonym, Subscription, Topic
    from forum.services.posting import post_reply

    # Many pseudonyms take turns, so the per-author flood limit is not what is measured.
    settings.FORUM_POSTS_PER_MINUTE = 1_000_000
    topic = Topic.objects.get(pk=FORUM_LONG_TOPIC_ID)
    authors = list(Pseudonym.objects.order_by("pk")[:500])
    before = Post.objects.filter(topic=topic).count()
    kept_topic = Topic.objects.filter(pk=topic.pk).values(
        "post_count", "reply_count", "last_post_number", "last_post", "last_activity_at"
    )[0]
    kept_board = Board.objects.filter(pk=topic.board_id).values(
        "post_count", "last_post", "last_activity_at"
    )[0]
    kept_subscriptions = set(Subscription.objects.values_list("pk", flat=True))
    started_at = django.utils.timezone.now()
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + args.duration

    def work(offset):
        from django.db import connection as thread_connection

        count = offset
        while time.perf_counter() < stop_at:
            author = authors[count % len(authors)]
            started = time.perf_counter()
            post_reply(author=author, topic=topic, body=f"Bench reply {count} with **markdown**.")
            with lock:
                latencies.append(time.perf_counter() - started)
            count += args.threads
        thread_connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.threads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    after = Post.objects.filter(topic=topic).count()
    topic.refresh_from_db()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0
    print(
        f"{len(latencies)} replies in {elapsed:.1f} s: {len(latencies) / elapsed:.1f} posts/s, "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
        f"({connection.vendor}, {args.threads} thread(s))"
    )
    lost = after - before != len(latencies) or topic.last_post_number != after
    # Put the bench data back as the generator left it.
    Post.objects.filter(topic=topic, number__gt=kept_topic["last_post_number"]).delete()
    Topic.objects.filter(pk=topic.pk).update(**kept_topic)
    Board.objects.filter(pk=topic.board_id).update(**kept_board)
    Subscription.objects.exclude(pk__in=kept_subscriptions).delete()
    DBTaskResult.objects.filter(
        task_path="forum.tasks.notifications_deliver", enqueued_at__gte=started_at
    ).delete()
    if lost:
        raise SystemExit("A reply was lost or misnumbered.")


if __name__ == "__main__":
    main()
