-- rasd PostgreSQL store, schema version 5: the dataset pages and aggregates from its indexes
-- (SQLite's version 9, which explains each step): the columns filters and aggregates read,
-- an index in the list's order behind each filter's equalities, a grid cell of half a degree
-- for boxes, indexes the timeline and the map are counted from, and bodies that carry every
-- field the API writes.
ALTER TABLE dataset_events ADD COLUMN confidence DOUBLE PRECISION;
ALTER TABLE dataset_events ADD COLUMN background BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE dataset_events ADD COLUMN iso INTEGER;
ALTER TABLE dataset_events ADD COLUMN fatalities BIGINT;
ALTER TABLE dataset_events ADD COLUMN cell INTEGER;

UPDATE dataset_events SET body = (body::jsonb
        || jsonb_build_object(
            'corroboration', corroboration,
            'country', body::jsonb -> 'country',
            'iso', body::jsonb -> 'iso',
            'background', coalesce((body::jsonb ->> 'background')::boolean, false),
            'sources', coalesce(body::jsonb -> 'sources', '[]'::jsonb),
            'evidence', coalesce(body::jsonb -> 'evidence', '[]'::jsonb)))::text
WHERE (body::jsonb ->> 'corroboration')::bigint IS DISTINCT FROM corroboration
   OR NOT (body::jsonb ?& ARRAY['country', 'iso', 'background', 'sources', 'evidence']);

UPDATE dataset_events SET
    confidence = (body::jsonb ->> 'confidence')::double precision,
    background = coalesce((body::jsonb ->> 'background')::boolean, false),
    iso = (body::jsonb ->> 'iso')::integer,
    fatalities = (body::jsonb #>> '{fatalities,best}')::bigint,
    cell = CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
        THEN least(floor((latitude + 90) * 2)::integer, 359) * 720
             + least(floor((longitude + 180) * 2)::integer, 719) END;

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
