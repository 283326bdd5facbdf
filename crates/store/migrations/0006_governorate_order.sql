-- rasd store, schema version 6: the dataset in order within each governorate.
--
-- A listing filtered by governorate (`--admin1 SY12`, `/api/events?admin1=SY12`) read the
-- whole dataset in order and kept one event in fourteen; a page of the API read thousands of
-- rows from a million. With this index it reads the governorate's events in order and stops
-- at the page's end. P-codes are stored in upper case, as OCHA writes them.
CREATE INDEX dataset_events_admin1_order ON dataset_events(admin1_pcode, sort_key, event_id);
