-- rasd store, schema version 8: reviewers' splits.
--
-- A reviewer may split a dataset event: some of the report events the analyzer merged into it
-- are another incident. Each report event moved out gets the name of its split part here, and
-- merging (at ingest and re-analysis) never keeps report events of different parts, or of a
-- part and of none, in one dataset event. Like the other corrections, this table is keyed by
-- event ids and never rewritten by the analyzer, so a split survives ingest and re-analysis.
CREATE TABLE review_splits (
    event_id TEXT PRIMARY KEY,                 -- a report event
    part     TEXT NOT NULL                     -- its split part (`split-` and a review's seq)
);
