-- rasd PostgreSQL store, schema version 6: a box's page reads only the events inside the box
-- (SQLite's version 10, which explains it): `dataset_points` counts the events at each point
-- of each cell, kept by a trigger whatever writes `dataset_events`, and
-- `dataset_events_point_order` holds each point's events in the list's order.
CREATE TABLE dataset_points (
    cell      INTEGER          NOT NULL,          -- as `dataset_events.cell`
    latitude  DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    events    BIGINT           NOT NULL,          -- dataset events at the point, at least one
    PRIMARY KEY (cell, latitude, longitude)
);

INSERT INTO dataset_points (cell, latitude, longitude, events)
SELECT cell, latitude, longitude, count(*) FROM dataset_events
WHERE cell IS NOT NULL GROUP BY cell, latitude, longitude;

CREATE FUNCTION dataset_points_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.cell IS NOT NULL THEN
            UPDATE dataset_points SET events = events - 1
            WHERE cell = OLD.cell AND latitude = OLD.latitude AND longitude = OLD.longitude;
            DELETE FROM dataset_points
            WHERE cell = OLD.cell AND latitude = OLD.latitude AND longitude = OLD.longitude
              AND events <= 0;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.cell IS NOT NULL THEN
            INSERT INTO dataset_points (cell, latitude, longitude, events)
            VALUES (NEW.cell, NEW.latitude, NEW.longitude, 1)
            ON CONFLICT (cell, latitude, longitude)
            DO UPDATE SET events = dataset_points.events + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dataset_points_count
    AFTER INSERT OR DELETE OR UPDATE OF cell, latitude, longitude ON dataset_events
    FOR EACH ROW EXECUTE FUNCTION dataset_points_count();

CREATE INDEX dataset_events_point_order
    ON dataset_events(latitude, longitude, sort_key, event_id);
ANALYZE dataset_points;
