-- rasd store, schema version 9: the dataset pages and aggregates from its indexes.
--
-- `rasd serve` lists a million events one page at a time and draws their map and timeline.
-- A page read the date order and judged each event on fields of its JSON body, and the map and
-- the timeline parsed every body. Now:
-- - the fields filters and aggregates read are columns: `confidence`, `background`, `iso`,
--   `fatalities` (the best estimate) and `cell`, a grid cell of half a degree
--   (`row * 720 + column`, counted from 90° S and 180° W) that boxes are looked up by;
-- - each filter of the event list has an index in the list's order (date, then event id)
--   behind its equalities, so a page reads its own events and stops;
-- - `dataset_events_days` and `dataset_events_points` hold what the timeline and the map count,
--   so that they are counted from an index in the order they group by, without reading the
--   table or sorting;
-- - every body carries the fields the API writes (`corroboration`, `country`, `iso`,
--   `background`, `sources`, `evidence`), so a page can send an unreviewed event's body as it
--   is stored.
ALTER TABLE dataset_events ADD COLUMN confidence REAL;
ALTER TABLE dataset_events ADD COLUMN background INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dataset_events ADD COLUMN iso INTEGER;
ALTER TABLE dataset_events ADD COLUMN fatalities INTEGER;
ALTER TABLE dataset_events ADD COLUMN cell INTEGER;

UPDATE dataset_events SET body = json_set(body,
    '$.corroboration', corroboration,
    '$.country', json_extract(body, '$.country'),
    '$.iso', json_extract(body, '$.iso'),
    '$.background', json(CASE WHEN json_extract(body, '$.background') THEN 'true' ELSE 'false' END),
    '$.sources', json(coalesce(json_extract(body, '$.sources'), '[]')),
    '$.evidence', json(coalesce(json_extract(body, '$.evidence'), '[]')))
WHERE json_extract(body, '$.corroboration') IS NOT corroboration
   OR json_type(body, '$.country') IS NULL OR json_type(body, '$.iso') IS NULL
   OR json_type(body, '$.background') IS NULL OR json_type(body, '$.sources') IS NULL
   OR json_type(body, '$.evidence') IS NULL;

UPDATE dataset_events SET
    confidence = json_extract(body, '$.confidence'),
    background = coalesce(json_extract(body, '$.background'), 0),
    iso = json_extract(body, '$.iso'),
    fatalities = json_extract(body, '$.fatalities.best'),
    cell = CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
        THEN min(CAST((latitude + 90) * 2 AS INTEGER), 359) * 720
             + min(CAST((longitude + 180) * 2 AS INTEGER), 719) END;

CREATE INDEX dataset_events_type_order ON dataset_events(event_type, sort_key, event_id);
CREATE INDEX dataset_events_sub_type_order ON dataset_events(sub_event_type, sort_key, event_id);
CREATE INDEX dataset_events_admin1_type_order
    ON dataset_events(admin1_pcode, event_type, sort_key, event_id);
CREATE INDEX dataset_events_admin1_sub_type_order
    ON dataset_events(admin1_pcode, sub_event_type, sort_key, event_id);
CREATE INDEX dataset_events_cell_order
    ON dataset_events(cell, sort_key, event_id, latitude, longitude);
-- What the timeline counts, by day and type, and what the map counts, by point and type: each
-- grouped in its index's order (no sort), with every column the filters read.
CREATE INDEX dataset_events_days ON dataset_events(sort_key, event_type, fatalities,
    sub_event_type, admin1_pcode, factual, background, iso, confidence, latitude, longitude,
    event_id);
CREATE INDEX dataset_events_points ON dataset_events(latitude, longitude, event_type, sort_key,
    sub_event_type, admin1_pcode, factual, background, iso, confidence, event_id);
-- Statistics for the query planner (from a sample of each index), so that it picks these.
PRAGMA analysis_limit = 1000;
ANALYZE;
