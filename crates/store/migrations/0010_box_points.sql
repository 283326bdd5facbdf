-- rasd store, schema version 10: a box's page reads only the events inside the box.
--
-- A page of a box read each of the box's half-degree cells in the list's order from
-- `dataset_events_cell_order`. A cell the box only grazes was read whole to find its few
-- events inside (on a million events, a box whose edges ran along cells' edges took 20 ms).
-- Events stand at places, and a cell holds few places. Now:
-- - `dataset_points` counts the events at each point of each cell, kept by the triggers below
--   whatever writes `dataset_events`; a page looks up the points of the cells the box crosses
--   and, where the box holds few of a cell's events, reads the events of each point inside;
-- - `dataset_events_point_order` holds each point's events in the list's order (date, then
--   event id), so that each point is read in order and stops at the page's end;
-- - the parts of a page (cells, points) are read and merged by key, and only the page's own
--   events are read from the table.
CREATE TABLE dataset_points (
    cell      INTEGER NOT NULL,                 -- as `dataset_events.cell`
    latitude  REAL    NOT NULL,
    longitude REAL    NOT NULL,
    events    INTEGER NOT NULL,                 -- dataset events at the point, at least one
    PRIMARY KEY (cell, latitude, longitude)
) WITHOUT ROWID;

-- The points of a cell by longitude, for a box that overlaps the cell on a narrow strip of
-- longitudes (the key serves a narrow strip of latitudes).
CREATE INDEX dataset_points_by_longitude ON dataset_points(cell, longitude, latitude);

INSERT INTO dataset_points (cell, latitude, longitude, events)
SELECT cell, latitude, longitude, count(*) FROM dataset_events
WHERE cell IS NOT NULL GROUP BY cell, latitude, longitude;

CREATE TRIGGER dataset_points_insert AFTER INSERT ON dataset_events
WHEN NEW.cell IS NOT NULL BEGIN
    INSERT INTO dataset_points (cell, latitude, longitude, events)
    VALUES (NEW.cell, NEW.latitude, NEW.longitude, 1)
    ON CONFLICT (cell, latitude, longitude) DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER dataset_points_delete AFTER DELETE ON dataset_events
WHEN OLD.cell IS NOT NULL BEGIN
    UPDATE dataset_points SET events = events - 1
    WHERE cell = OLD.cell AND latitude = OLD.latitude AND longitude = OLD.longitude;
    DELETE FROM dataset_points
    WHERE cell = OLD.cell AND latitude = OLD.latitude AND longitude = OLD.longitude
      AND events <= 0;
END;

CREATE TRIGGER dataset_points_move AFTER UPDATE OF cell, latitude, longitude ON dataset_events
BEGIN
    UPDATE dataset_points SET events = events - 1
    WHERE cell = OLD.cell AND latitude = OLD.latitude AND longitude = OLD.longitude;
    DELETE FROM dataset_points
    WHERE cell = OLD.cell AND latitude = OLD.latitude AND longitude = OLD.longitude
      AND events <= 0;
    INSERT INTO dataset_points (cell, latitude, longitude, events)
    SELECT NEW.cell, NEW.latitude, NEW.longitude, 1 WHERE NEW.cell IS NOT NULL
    ON CONFLICT (cell, latitude, longitude) DO UPDATE SET events = events + 1;
END;

CREATE INDEX dataset_events_point_order
    ON dataset_events(latitude, longitude, sort_key, event_id, factual);
-- A page's parts are read ahead of the merge, a few rows more than the page takes: with
-- `factual` in the cell index too, those rows are judged on the index alone (for the default
-- filter), and only the page's own rows are read from the table.
DROP INDEX dataset_events_cell_order;
CREATE INDEX dataset_events_cell_order
    ON dataset_events(cell, sort_key, event_id, latitude, longitude, factual);
-- Statistics for the query planner (from a sample of the index), as for schema 9's indexes.
PRAGMA analysis_limit = 1000;
ANALYZE dataset_events_point_order;
ANALYZE dataset_events_cell_order;
ANALYZE dataset_points;
