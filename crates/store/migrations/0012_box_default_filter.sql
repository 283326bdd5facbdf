-- rasd store, schema version 12: a
-- box's parts are judged on their index alone under the API's default filter.
--
-- The API keeps to Syria's events and leaves background events out unless asked (`country`,
-- `include_background`), so a box's parts, read from `dataset_events_cell_order` and
-- `dataset_events_point_order` a few rows ahead of the page, tested `iso` and `background` on
-- the table: one row looked up for each event read, then again for each body on the page.
-- Both indexes now carry the two columns, and only the page's own rows are read from the
-- table. (Written so that running it twice changes nothing.)
DROP INDEX IF EXISTS dataset_events_cell_order;
CREATE INDEX dataset_events_cell_order
    ON dataset_events(cell, sort_key, event_id, latitude, longitude, factual, background, iso);
DROP INDEX IF EXISTS dataset_events_point_order;
CREATE INDEX dataset_events_point_order
    ON dataset_events(latitude, longitude, sort_key, event_id, factual, background, iso);
-- Statistics for the query planner (from a sample of each index), as for schema 10's.
PRAGMA analysis_limit = 1000;
ANALYZE dataset_events_cell_order;
ANALYZE dataset_events_point_order;
