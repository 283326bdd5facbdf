-- rasd store, schema version 2: merge candidates are found in two partial indexes instead of
-- one. Nearly every report event has a window of at most a week; scanning their index from
-- 31 days before (the longest, month-precise window) read four times the rows it needed. Now
-- the narrow windows are scanned over their own reach and only the rare wide ones over a month.
-- Both cover every column the candidate query reads, so it never reads the table.
DROP INDEX report_events_window;
CREATE INDEX report_events_narrow ON report_events(sub_event_type, window_lo, window_hi, factual,
    latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode, component, event_id)
    WHERE window_hi - window_lo < 7;
CREATE INDEX report_events_wide ON report_events(sub_event_type, window_lo, window_hi, factual,
    latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode, component, event_id)
    WHERE window_hi - window_lo >= 7;
