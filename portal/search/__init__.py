"""Full-text search: one Whoosh index per face, Chinese through jieba, writes through the task
queue, results filtered by the database at query time. `registry` says how to add a kind."""
