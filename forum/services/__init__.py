"""Writes of the forum, one module per subject. Every write runs in one transaction, keeps the
topic and board counters in step in it, and queues notifications on commit.

* `posting` — topics, replies, edits, deletions, and the boards and topic locks of apps that
  run discussions on the forum (the interface other apps use, see its docstring);
* `reading` — read marks, subscriptions, notifications marked read;
* `moderation` — readers' reports and their queue, hiding and restoring posts, locking,
  pinning and moving topics;
* `pseudonyms` — choosing a pseudonym, renames, preferences;
* `identity` — an identity auditor's reveal of the person behind a post.

Nothing here writes the author's user to any table or to the audit log: posting is pseudonymous
by construction. Moderation and identity reveals are audited (`portal.services.audit_record`).
Refusals are `portal.refusals.Refusal` (403 where a role is missing, 429 `RateLimited`).
"""
