//! Pages and aggregates of the dataset for the API, the parts both backends share.
//!
//! A page ([`crate::Store::events_page`]) and the aggregates ([`crate::Store::monthly`],
//! [`crate::Store::grid`]) are answered in two halves. Events no reviewer touched (the most by
//! far) are filtered, ordered and counted by SQL from the indexes, and a page sends their
//! stored JSON as it is. Events a review touched (reviewed ones, and those others were merged
//! into) are few: each is read, has its review laid over it and is judged on its corrected
//! values here, then joins the SQL half ([`merge_page`], [`MonthCounts`], [`GridCounts`]).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

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

/// A cell the box grazes is read point by point when that reads fewer rows than reading the
/// cell in order: starting on one point costs about as much as reading this many rows.
const POINT_START_ROWS: u64 = 8;

/// How far (degrees) beyond a cell's edges a box must reach to hold the cell whole by its
/// edges alone: [`cell_of`] rounds a point at most some 1e-14° across an edge.
const EDGE_MARGIN: f64 = 1e-9;

/// The edges of `cell`, in degrees: `(south, west, north, east)`.
pub(crate) fn cell_edges(cell: i64) -> (f64, f64, f64, f64) {
    let (row, col) = (cell / CELL_COLUMNS, cell % CELL_COLUMNS);
    let south = row as f64 * CELL_DEGREES - 90.0;
    let west = col as f64 * CELL_DEGREES - 180.0;
    (south, west, south + CELL_DEGREES, west + CELL_DEGREES)
}

/// True when `cell` lies inside `b` with `margin` degrees to spare on every side.
fn holds(b: &BoundingBox, cell: i64, margin: f64) -> bool {
    let (south, west, north, east) = cell_edges(cell);
    b.south <= south - margin
        && north + margin <= b.north
        && b.west <= west - margin
        && east + margin <= b.east
}

/// One source of a box's events that a store reads in the list's order (date, undated last,
/// then `event_id`); see [`box_parts`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum BoxPart {
    /// The events of one `cell`, from the cell's index in the list's order.
    Cell {
        /// The cell.
        cell: i64,
        /// True when every event of the cell is inside the box; otherwise each is tested.
        /// (Left untested, a whole cell is read by its index in order even by PostgreSQL's
        /// planner, which, given the test, expects few rows and sorts them all.)
        whole: bool,
    },
    /// The events at one point inside the box, from the points' index in the list's order.
    Point {
        /// The point's latitude, as stored.
        latitude: f64,
        /// The point's longitude, as stored.
        longitude: f64,
    },
}

/// How many of a cell's events a box holds, as `dataset_points` (migration 0010) counts them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CellShare {
    /// The cell.
    pub(crate) cell: i64,
    /// The dataset events of the cell.
    pub(crate) events: u64,
    /// Of them, the events inside the box.
    pub(crate) held: u64,
    /// The cell's points inside the box.
    pub(crate) points: u64,
}

/// The parts a page of box `b` is read from, or `None` when the box spans more than
/// [`MAX_BOX_CELLS`] cells (it is then read in the list's order, every event tested). Each
/// dataset event inside the box is in exactly one part; `want` is the page's length.
///
/// A cell inside the box (beyond [`EDGE_MARGIN`]) is one part, held whole. A cell inside it
/// by its edges alone is one part, each event tested, unless `prove_whole`, when it is looked
/// up like the cells the box crosses. Of those, `shares_of` (given all of them at once)
/// tells how many events the box holds: a cell with none is left out (its `events` need not
/// be counted), one with all is held whole, and one with few is read point by point,
/// its points inside the box (`points_in`, given all such cells at once) only; the others are
/// read whole, each event tested. Which of the two reads fewer rows is estimated from the
/// counts: reading the cell in order meets `held` events of its `events` inside the box, so
/// finding `want` of them reads about `want * events / held` rows (or the whole cell), while
/// reading by point costs [`POINT_START_ROWS`] per point plus the events read.
pub(crate) fn box_parts(
    b: &BoundingBox,
    want: usize,
    prove_whole: bool,
    shares_of: impl FnOnce(&[i64]) -> Result<Vec<CellShare>, Error>,
    points_in: impl FnOnce(&[i64]) -> Result<Vec<(f64, f64)>, Error>,
) -> Result<Option<Vec<BoxPart>>, Error> {
    let Some(cells) = cells_of(b) else {
        return Ok(None);
    };
    let mut parts = Vec::new();
    let mut edges = Vec::new();
    for cell in cells {
        if holds(b, cell, EDGE_MARGIN) {
            parts.push(BoxPart::Cell { cell, whole: true });
        } else if !prove_whole && holds(b, cell, 0.0) {
            parts.push(BoxPart::Cell { cell, whole: false });
        } else {
            edges.push(cell);
        }
    }
    if edges.is_empty() {
        return Ok(Some(parts));
    }
    let want = want as u64;
    let mut by_point = Vec::new();
    for share in shares_of(&edges)? {
        let CellShare {
            cell,
            events,
            held,
            points,
        } = share;
        if held == 0 {
            continue;
        }
        if held >= events {
            parts.push(BoxPart::Cell { cell, whole: true });
            continue;
        }
        let cell_rows = events.min((want * events).div_ceil(held));
        let point_rows = points * POINT_START_ROWS + held.min(want);
        if point_rows < cell_rows {
            by_point.push(cell);
        } else {
            parts.push(BoxPart::Cell { cell, whole: false });
        }
    }
    if !by_point.is_empty() {
        parts.extend(
            points_in(&by_point)?
                .into_iter()
                .map(|(latitude, longitude)| BoxPart::Point {
                    latitude,
                    longitude,
                }),
        );
    }
    Ok(Some(parts))
}

/// The first `want` rows `(sort_key, event_id, …)` past `after` of the events of `parts`, in
/// order: a merge of the parts, each read lazily in batches by `fetch(part, after, n)` (up to
/// `n` rows of the part past `after`, in order). The first batch of a part is its share of
/// the page; a part that runs out of its batch is read on with batches twice as long.
pub(crate) fn merge_parts<R>(
    parts: &[BoxPart],
    after: &(String, String),
    want: usize,
    mut fetch: impl FnMut(&BoxPart, &(String, String), usize) -> Result<Vec<(String, String, R)>, Error>,
) -> Result<Vec<(String, String, R)>, Error> {
    /// A part being read: its rows fetched and not yet merged, and where to go on.
    struct Stream<R> {
        part: BoxPart,
        fetched: std::vec::IntoIter<(String, String, R)>,
        after: (String, String),
        batch: usize,
        done: bool,
    }
    let mut next = |s: &mut Stream<R>| -> Result<Option<(String, String, R)>, Error> {
        if let Some(row) = s.fetched.next() {
            return Ok(Some(row));
        }
        if s.done {
            return Ok(None);
        }
        let rows = fetch(&s.part, &s.after, s.batch)?;
        s.done = rows.len() < s.batch;
        s.batch = (s.batch * 2).min(want.max(1));
        if let Some((key, id, _)) = rows.last() {
            s.after = (key.clone(), id.clone());
        }
        s.fetched = rows.into_iter();
        Ok(s.fetched.next())
    };
    let first_batch = (want / parts.len().max(1) + 1).min(want.max(1));
    let mut streams: Vec<Stream<R>> = parts
        .iter()
        .map(|&part| Stream {
            part,
            fetched: Vec::new().into_iter(),
            after: after.clone(),
            batch: first_batch,
            done: false,
        })
        .collect();
    // The head row of each stream, by key; their rows wait in `head_rows`.
    let mut heads = BinaryHeap::new();
    let mut head_rows: Vec<Option<R>> = Vec::with_capacity(streams.len());
    for (i, s) in streams.iter_mut().enumerate() {
        let row = next(s)?.map(|(key, id, row)| {
            heads.push(Reverse((key, id, i)));
            row
        });
        head_rows.push(row);
    }
    let mut out = Vec::with_capacity(want);
    while out.len() < want {
        let Some(Reverse((key, id, i))) = heads.pop() else {
            break;
        };
        if let Some(row) = head_rows[i].take() {
            out.push((key, id, row));
        }
        if out.len() < want {
            if let Some((key, id, row)) = next(&mut streams[i])? {
                heads.push(Reverse((key, id, i)));
                head_rows[i] = Some(row);
            }
        }
    }
    Ok(out)
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
    fn a_box_is_read_by_the_cells_it_holds_and_the_points_it_grazes() {
        let cell = |row: i64, col: i64| row * CELL_COLUMNS + col;
        let whole = |cell| BoxPart::Cell { cell, whole: true };
        // Edges beyond the cells' edges: the cells inside are held whole, unread.
        let wide = BoundingBox::parse("35.9,35.4,37.1,36.6").unwrap();
        let mut asked = Vec::new();
        let parts = box_parts(
            &wide,
            101,
            true,
            |cells| {
                asked = cells.to_vec();
                Ok(vec![])
            },
            |_| unreachable!("no cell is read by point"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(asked.len(), 12, "the cells along the edges");
        assert_eq!(
            parts,
            [(251, 432), (251, 433), (252, 432), (252, 433)].map(|(r, c)| whole(cell(r, c)))
        );
        // Edges on the cells' edges: each cell is looked up.
        let b = BoundingBox::parse("36.0,35.5,37.0,36.5").unwrap();
        let share = |cell, events, held, points| CellShare {
            cell,
            events,
            held,
            points,
        };
        let shares = vec![
            // Every event inside.
            share(cell(251, 432), 30, 30, 4),
            // A few inside (on the northern edge).
            share(cell(253, 432), 43, 3, 1),
            // None inside.
            share(cell(252, 434), 40, 0, 0),
            // Most inside.
            share(cell(253, 433), 32, 30, 1),
        ];
        let parts = box_parts(
            &b,
            101,
            true,
            |cells| {
                assert_eq!(cells.len(), 9);
                Ok(shares)
            },
            |cells| {
                assert_eq!(cells, [cell(253, 432)]);
                Ok(vec![(36.5, 36.3)])
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            parts,
            vec![
                whole(cell(251, 432)),
                BoxPart::Cell {
                    cell: cell(253, 433),
                    whole: false
                },
                BoxPart::Point {
                    latitude: 36.5,
                    longitude: 36.3
                },
            ]
        );
        // Unless asked to prove them whole, cells inside by their edges are read tested.
        let parts = box_parts(
            &b,
            101,
            false,
            |cells| {
                assert_eq!(cells.len(), 5);
                Ok(vec![])
            },
            |_| unreachable!("no cell is read by point"),
        )
        .unwrap()
        .unwrap();
        let tested = |cell| BoxPart::Cell { cell, whole: false };
        assert_eq!(
            parts,
            [(251, 432), (251, 433), (252, 432), (252, 433)].map(|(r, c)| tested(cell(r, c)))
        );
        let world = BoundingBox::parse("30,30,40,40").unwrap();
        let none = |_: &[i64]| Ok(vec![]);
        assert!(box_parts(&world, 101, true, none, |_| Ok(vec![]))
            .unwrap()
            .is_none());
    }

    #[test]
    fn parts_are_merged_in_order_reading_little_more_than_the_page() {
        let key = |day: u32, id: &str| (format!("2024-01-{day:02}"), id.to_string());
        let events = [
            (1..=40)
                .map(|d| key(d % 28 + 1, &format!("a{d:02}")))
                .collect::<Vec<_>>(),
            (1..=40)
                .map(|d| key(d % 5 + 1, &format!("b{d:02}")))
                .collect(),
            vec![key(3, "c")],
        ];
        let parts: Vec<BoxPart> = (0..3)
            .map(|cell| BoxPart::Cell { cell, whole: true })
            .collect();
        let sorted = |mut keys: Vec<(String, String)>| {
            keys.sort();
            keys
        };
        let all = sorted(events.concat());
        let mut read = 0;
        let after = key(2, "b");
        let got = merge_parts(&parts, &after, 25, |part, after, n| {
            let BoxPart::Cell { cell: i, .. } = *part else {
                unreachable!()
            };
            let keys: Vec<_> = sorted(events[i as usize].clone())
                .into_iter()
                .filter(|k| k > after)
                .take(n)
                .collect();
            read += keys.len();
            // Each row carries what the store reads with its key (here the part).
            Ok(keys.into_iter().map(|(k, id)| (k, id, i)).collect())
        })
        .unwrap();
        let got: Vec<_> = got.into_iter().map(|(k, id, _)| (k, id)).collect();
        let past: Vec<_> = all.into_iter().filter(|k| *k > after).take(25).collect();
        assert_eq!(got, past);
        assert!(read < 2 * 25, "{read} keys read for a page of 25");
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
