//! Pages and aggregates of the dataset for the API, the parts both backends share.
//!
//! A page ([`crate::Store::events_page`]) and the aggregates ([`crate::Store::monthly`],
//! [`crate::Store::grid`]) are answered in two halves. Events no reviewer touched (the most by
//! far) are filtered, ordered and counted by SQL from the indexes, and a page sends their
//! stored JSON as it is. Events a review touched (reviewed ones, and those others were merged
//! into) are few: each is read, has its review laid over it and is judged on its corrected
//! values here, then joins the SQL half ([`merge_page`], [`MonthCounts`], [`GridCounts`]).

use std::collections::BTreeMap;

use rasd_core::Event;

use crate::{BoundingBox, Cursor, Error};

/// A page of events as JSON, and where the next one starts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventsPage {
    /// The events, in the stream's order (date, undated last, then `event_id`), each as the
    /// JSON of the event contract (what serializing a `rasd_core::Event` writes).
    pub events: Vec<String>,
    /// The cursor after the page's last event, when more events follow.
    pub next: Option<Cursor>,
}

/// Events and fatalities of one month and event type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthCount {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The event type, as ACLED names it.
    pub event_type: String,
    /// Events.
    pub events: u64,
    /// Their best fatality estimates, summed.
    pub fatalities: u64,
}

/// Events of one event type in one cell of a grid.
#[derive(Clone, Debug, PartialEq)]
pub struct GridCount {
    /// The cell's row: `floor(latitude / size)`.
    pub row: i64,
    /// The cell's column: `floor(longitude / size)`.
    pub col: i64,
    /// The event type.
    pub event_type: String,
    /// Events.
    pub events: u64,
    /// Their latitudes, summed.
    pub latitude_sum: f64,
    /// Their longitudes, summed.
    pub longitude_sum: f64,
    /// The smallest of their event ids.
    pub first_event: String,
}

/// The events of a filter counted on a grid of square cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// One row per cell and event type that holds events, by cell then type.
    pub counts: Vec<GridCount>,
    /// Events without coordinates.
    pub unplaced: u64,
}

/// The side of the cells of the `cell` column, in degrees (migration 0009).
pub(crate) const CELL_DEGREES: f64 = 0.5;
/// Columns of the `cell` grid: 360° of longitude.
const CELL_COLUMNS: i64 = 720;
/// Boxes spanning more cells than this are looked up in date order, not cell by cell.
pub(crate) const MAX_BOX_CELLS: usize = 64;

/// The `cell` of a point: `row * 720 + column`, counted from 90° S and 180° W in half degrees.
pub(crate) fn cell_of(latitude: Option<f64>, longitude: Option<f64>) -> Option<i64> {
    let (lat, lon) = (latitude?, longitude?);
    if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
        return None;
    }
    let row = (((lat + 90.0) / CELL_DEGREES) as i64).min(359);
    let col = (((lon + 180.0) / CELL_DEGREES) as i64).min(CELL_COLUMNS - 1);
    Some(row * CELL_COLUMNS + col)
}

/// The cells a box overlaps, when they are at most [`MAX_BOX_CELLS`].
pub(crate) fn cells_of(b: &BoundingBox) -> Option<Vec<i64>> {
    let corner = |lat: f64, lon: f64| cell_of(Some(lat), Some(lon));
    let (sw, ne) = (corner(b.south, b.west)?, corner(b.north, b.east)?);
    let (rows, cols) = (
        sw / CELL_COLUMNS..=ne / CELL_COLUMNS,
        sw % CELL_COLUMNS..=ne % CELL_COLUMNS,
    );
    let count = (rows.end() - rows.start() + 1) * (cols.end() - cols.start() + 1);
    if count > MAX_BOX_CELLS as i64 {
        return None;
    }
    Some(
        rows.flat_map(|r| cols.clone().map(move |c| r * CELL_COLUMNS + c))
            .collect(),
    )
}

/// One page from the untouched events SQL found (`(sort_key, event_id, json)`, in order, at
/// most `limit + 1`, all past the cursor) and the touched events that pass the filter (with
/// their stored sort key; any order, any number past the cursor).
pub(crate) fn merge_page(
    untouched: Vec<(String, String, String)>,
    mut touched: Vec<(String, Event)>,
    limit: usize,
) -> Result<EventsPage, Error> {
    touched.sort_by(|a, b| (&a.0, &a.1.event_id).cmp(&(&b.0, &b.1.event_id)));
    let mut rows: Vec<(String, String, String)> = Vec::with_capacity(limit + 1);
    let mut a = untouched.into_iter().peekable();
    let mut b = touched.into_iter().peekable();
    while rows.len() <= limit {
        let take_touched = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (Some(x), Some(y)) => (&y.0, &y.1.event_id) < (&x.0, &x.1),
        };
        if take_touched {
            if let Some((key, e)) = b.next() {
                let json = serde_json::to_string(&e)
                    .map_err(|err| crate::sqlite::corrupt(&e.event_id, err))?;
                rows.push((key, e.event_id, json));
            }
        } else if let Some(row) = a.next() {
            rows.push(row);
        }
    }
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|(key, id, _)| Cursor {
            sort_key: key.clone(),
            event_id: id.clone(),
        })
    } else {
        None
    };
    Ok(EventsPage {
        events: rows.into_iter().map(|(_, _, json)| json).collect(),
        next,
    })
}

/// Monthly counts: SQL's rows for the untouched events, plus the touched ones.
#[derive(Default)]
pub(crate) struct MonthCounts(BTreeMap<(String, String), (u64, u64)>);

impl MonthCounts {
    /// Adds a row SQL counted.
    pub(crate) fn add_row(&mut self, month: String, event_type: String, events: i64, dead: i64) {
        let cell = self.0.entry((month, event_type)).or_default();
        cell.0 += u64::try_from(events).unwrap_or(0);
        cell.1 += u64::try_from(dead).unwrap_or(0);
    }

    /// Counts one (touched) event; undated events are left out.
    pub(crate) fn add_event(&mut self, e: &Event) {
        if let Some(d) = e.date {
            let dead = e.fatalities.map_or(0, |f| f.best);
            let cell = self
                .0
                .entry((d.format("%Y-%m").to_string(), e.event_type.to_string()))
                .or_default();
            cell.0 += 1;
            cell.1 += dead;
        }
    }

    /// The counts, by month then event type.
    pub(crate) fn finish(self) -> Vec<MonthCount> {
        self.0
            .into_iter()
            .map(|((month, event_type), (events, fatalities))| MonthCount {
                month,
                event_type,
                events,
                fatalities,
            })
            .collect()
    }
}

/// Grid counts: SQL's rows for the untouched events, plus the touched ones.
pub(crate) struct GridCounts {
    size: f64,
    cells: BTreeMap<(i64, i64, String), GridCount>,
    unplaced: u64,
}

impl GridCounts {
    /// Counts on cells of `size` degrees.
    pub(crate) fn new(size: f64) -> GridCounts {
        GridCounts {
            size,
            cells: BTreeMap::new(),
            unplaced: 0,
        }
    }

    /// Adds a count of one cell and type.
    fn add_row(&mut self, row: GridCount) {
        match self
            .cells
            .get_mut(&(row.row, row.col, row.event_type.clone()))
        {
            Some(c) => {
                c.events += row.events;
                c.latitude_sum += row.latitude_sum;
                c.longitude_sum += row.longitude_sum;
                if row.first_event < c.first_event {
                    c.first_event = row.first_event;
                }
            }
            None => {
                self.cells
                    .insert((row.row, row.col, row.event_type.clone()), row);
            }
        }
    }

    /// Adds the events SQL counted at one point.
    pub(crate) fn add_point(
        &mut self,
        lat: f64,
        lon: f64,
        event_type: String,
        events: i64,
        first_event: String,
    ) {
        let n = u64::try_from(events).unwrap_or(0);
        self.add_row(GridCount {
            row: (lat / self.size).floor() as i64,
            col: (lon / self.size).floor() as i64,
            event_type,
            events: n,
            latitude_sum: lat * n as f64,
            longitude_sum: lon * n as f64,
            first_event,
        });
    }

    /// Adds events without coordinates that SQL counted.
    pub(crate) fn add_unplaced(&mut self, n: i64) {
        self.unplaced += u64::try_from(n).unwrap_or(0);
    }

    /// Counts one (touched) event.
    pub(crate) fn add_event(&mut self, e: &Event) {
        match (e.latitude, e.longitude) {
            (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => {
                self.add_point(lat, lon, e.event_type.to_string(), 1, e.event_id.clone());
            }
            _ => self.unplaced += 1,
        }
    }

    /// The grid.
    pub(crate) fn finish(self) -> Grid {
        Grid {
            counts: self.cells.into_values().collect(),
            unplaced: self.unplaced,
        }
    }
}

/// The month (`YYYY-MM`) of a sort key (a date).
pub(crate) fn month_of(day: &str) -> String {
    day.get(..7).unwrap_or(day).to_string()
}

/// Checks a grid's cell size: a finite number of degrees from 0.001 to 10.
pub(crate) fn check_cell_size(size: f64) -> Result<(), Error> {
    if size.is_finite() && (0.001..=10.0).contains(&size) {
        Ok(())
    } else {
        Err(Error::Query {
            query: size.to_string(),
            message: "a grid cell is 0.001 to 10 degrees".into(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cells_count_half_degrees_from_the_south_west() {
        assert_eq!(cell_of(Some(-90.0), Some(-180.0)), Some(0));
        assert_eq!(cell_of(Some(33.51), Some(36.29)), Some(247 * 720 + 432));
        assert_eq!(cell_of(Some(90.0), Some(180.0)), Some(359 * 720 + 719));
        assert_eq!(cell_of(None, Some(1.0)), None);
        assert_eq!(cell_of(Some(91.0), Some(1.0)), None);
        let b = BoundingBox::parse("36.0,35.5,37.0,36.5").unwrap();
        let cells = cells_of(&b).unwrap();
        assert_eq!(cells.len(), 9);
        assert!(cells.contains(&cell_of(Some(36.0), Some(36.7)).unwrap()));
        let world = BoundingBox::parse("-180,-90,180,90").unwrap();
        assert!(cells_of(&world).is_none());
    }

    #[test]
    fn a_page_merges_both_halves_in_order_and_says_where_to_go_on() {
        let doc = rasd_core::Document::new("d", "x");
        let touched = |id: &str, day: &str| {
            let mut e = crate::conformance::sample_event(
                &doc,
                rasd_core::SubEventType::ArmedClash,
                day,
                (33.0, 36.0),
                "x",
            );
            e.event_id = id.to_string();
            (day.to_string(), e)
        };
        let row = |day: &str, id: &str| (day.to_string(), id.to_string(), format!("\"{id}\""));
        let untouched = vec![row("2024-01-01", "a"), row("2024-01-03", "c")];
        let page = merge_page(
            untouched.clone(),
            vec![touched("b", "2024-01-02"), touched("z", "2024-02-01")],
            3,
        )
        .unwrap();
        assert_eq!(page.events.len(), 3);
        assert_eq!(page.events[0], "\"a\"");
        assert!(page.events[1].contains("\"event_id\":\"b\""));
        assert_eq!(page.events[2], "\"c\"");
        assert_eq!(page.next.unwrap().token(), "2024-01-03,c");
        let last = merge_page(untouched, vec![], 3).unwrap();
        assert_eq!(last.events.len(), 2);
        assert!(last.next.is_none());
    }
}
