-- rasd PostgreSQL store, schema version 4: reviewers' splits (SQLite's version 8).
--
-- Each report event a reviewer moved out of a dataset event names its split part here;
-- merging never keeps report events of different parts (or of a part and of none) in one
-- dataset event, so a split survives ingest, workers and re-analysis.
CREATE TABLE review_splits (
    event_id TEXT COLLATE "C" PRIMARY KEY,     -- a report event
    part     TEXT NOT NULL                     -- its split part (`split-` and a review's seq)
);
