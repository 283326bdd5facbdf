//! Cross-report merging: events of different reports that describe one incident become one
//! dataset event.
//!
//! # The rule
//! Two report events are [`compatible`] when all of these hold:
//! - they come from different reports (the analyzer already keeps one report's incidents
//!   apart), both are factual ([`rasd_core::Modality::is_factual`]) and share the sub-event type;
//! - their date windows overlap: a day is itself (± [`MergeConfig::day_slack`]), a week-precise
//!   date is ±3 days, a month-precise date is its calendar month; an undated event merges with
//!   nothing;
//! - their places agree at the coarser precision of the two: two towns within
//!   [`MergeConfig::max_km`]; «near» a town within [`MergeConfig::near_km`] (or, without
//!   coordinates, in the same district); a governorate-level place and anything in the same governorate (P-code, else
//!   name); an unplaced event merges with nothing;
//! - their actors are compatible: one side names none, or the two share a canonical actor.
//!
//! Compatibility is symmetric but not transitive (a town 4 km east and one 4 km west of a third
//! are 8 km apart), so the dataset is built in two steps, both independent of the order reports
//! arrive in:
//! 1. **components**: the connected components of the compatibility graph;
//! 2. **clusters** ([`cluster`]): inside a component, events are taken most precise first
//!    (place, then date, then `event_id`); each joins the one cluster all of whose members it
//!    is compatible with, or starts its own when there is none **or several** (an ambiguous
//!    governorate-level report is not guessed into one incident).
//!
//! Each cluster becomes one event ([`merge`]): the lead (first) member gives the id, actors and
//! notes; the most precise member gives the place and the date; counts take the value most
//! reports give (ties: the lowest, ACLED's conservative rule) with `low`/`high` spanning all
//! reports; sources and evidence are the union of every member's.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use rasd_core::{Count, DatePrecision, Estimate, Event, GeoPrecision, Modality};

/// The longest date window of one event in days (a 31-day month), for range queries.
pub const MAX_WINDOW_DAYS: i64 = 31;

/// Thresholds of the merging rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MergeConfig {
    /// Two town-precise places merge within this distance (km). Default 5.
    pub max_km: f64,
    /// A place coded «near» a town merges within this distance (km). Default 10.
    pub near_km: f64,
    /// Day-precise dates merge when at most this many days apart. Default 0: ACLED codes one
    /// event per day, and each report resolves «أمس» against its own publication date.
    pub day_slack: u32,
}

impl Default for MergeConfig {
    fn default() -> Self {
        MergeConfig {
            max_km: 5.0,
            near_km: 10.0,
            day_slack: 0,
        }
    }
}

/// A dataset event: the merged record and the report events behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The dataset record; `sources` and `evidence` cover every member report.
    pub event: Event,
    /// The `event_id`s of the report events merged, lead first.
    pub members: Vec<String>,
    /// How many distinct reports support it.
    pub corroboration: usize,
}

/// Days since 0001-01-01 (CE), the unit of [`date_window`].
pub fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

/// The inclusive window of days, as [`day_number`]s, in which the event may have happened;
/// `None` without a date.
pub fn date_window(e: &Event) -> Option<(i64, i64)> {
    let d = e.date?;
    let n = day_number(d);
    Some(match e.date_precision.unwrap_or(DatePrecision::Day) {
        DatePrecision::Day => (n, n),
        DatePrecision::Week => (n - 3, n + 3),
        DatePrecision::Month => {
            let first = d.with_day(1).unwrap_or(d);
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
            let last = next.checked_sub_days(Days::new(1)).unwrap_or(d);
            (day_number(first), day_number(last))
        }
    })
}

/// The great-circle distance in km between two WGS84 points.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6371.0088;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().min(1.0).asin()
}

/// How precisely an event is placed: 1 town, 2 near a town, 3 governorate, 4 not placed.
pub fn geo_rank(e: &Event) -> u8 {
    match geo_precision(e) {
        Some(p) => p.code(),
        None => 4,
    }
}

fn geo_precision(e: &Event) -> Option<GeoPrecision> {
    match e.geo_precision {
        Some(p) => Some(p),
        None if e.latitude.is_some() && e.longitude.is_some() => Some(GeoPrecision::Place),
        None if e.admin1_pcode.is_some() || e.admin1.is_some() => Some(GeoPrecision::Region),
        None => None,
    }
}

fn date_rank(e: &Event) -> u8 {
    match (e.date, e.date_precision) {
        (None, _) => 4,
        (Some(_), Some(p)) => p.code(),
        (Some(_), None) => 1,
    }
}

fn same_text(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    }
}

fn same_admin1(a: &Event, b: &Event) -> bool {
    if a.admin1_pcode.is_some() && b.admin1_pcode.is_some() {
        return a.admin1_pcode == b.admin1_pcode;
    }
    same_text(&a.admin1, &b.admin1)
}

fn distance(a: &Event, b: &Event) -> Option<f64> {
    Some(haversine_km(
        a.latitude?,
        a.longitude?,
        b.latitude?,
        b.longitude?,
    ))
}

fn places_compatible(a: &Event, b: &Event, cfg: &MergeConfig) -> bool {
    let (Some(pa), Some(pb)) = (geo_precision(a), geo_precision(b)) else {
        return false;
    };
    let coarser = pa.max(pb);
    match coarser {
        GeoPrecision::Region => same_admin1(a, b),
        GeoPrecision::Near => match distance(a, b) {
            Some(km) => km <= cfg.near_km,
            None => same_admin1(a, b) && same_text(&a.admin2, &b.admin2),
        },
        GeoPrecision::Place => match distance(a, b) {
            Some(km) => km <= cfg.max_km,
            None => {
                (a.location_pcode.is_some() && a.location_pcode == b.location_pcode)
                    || (same_text(&a.location, &b.location) && same_admin1(a, b))
            }
        },
    }
}

fn actors(e: &Event) -> BTreeSet<&str> {
    [e.actor1.as_deref(), e.actor2.as_deref()]
        .into_iter()
        .flatten()
        .collect()
}

fn actors_compatible(a: &Event, b: &Event) -> bool {
    let (x, y) = (actors(a), actors(b));
    x.is_empty() || y.is_empty() || x.intersection(&y).next().is_some()
}

fn dates_compatible(a: &Event, b: &Event, cfg: &MergeConfig) -> bool {
    let (Some((alo, ahi)), Some((blo, bhi))) = (date_window(a), date_window(b)) else {
        return false;
    };
    let slack = i64::from(cfg.day_slack);
    alo <= bhi + slack && blo <= ahi + slack
}

/// True when two report events may describe one incident (see the module docs). Symmetric.
///
/// # Examples
/// ```
/// use rasd_core::{Event, SubEventType};
/// use rasd_resolve::{compatible, MergeConfig};
/// let a: Event = serde_json::from_str(r#"{"event_id":"ev-a","doc_id":"r1","event_type":"Battles",
///   "sub_event_type":"Armed clash","disorder_type":"Political violence","date":"2024-12-06",
///   "date_precision":1,"actor1":null,"actor1_ar":null,"inter1":null,"actor2":null,
///   "actor2_ar":null,"inter2":null,"interaction":null,"location":"Tafas","location_ar":"طفس",
///   "location_pcode":null,"admin1":"Dar'a","admin2":null,"admin3":null,"admin1_pcode":"SY12",
///   "latitude":32.738,"longitude":36.067,"geo_precision":1,"fatalities":null,"injured":null,
///   "count":null,"modality":"asserted","notes":"","confidence":0.8}"#).unwrap();
/// let mut b = a.clone();
/// b.event_id = "ev-b".into();
/// b.doc_id = "r2".into();
/// b.latitude = Some(32.75); // about 1.5 km away
/// assert!(compatible(&a, &b, &MergeConfig::default()));
/// b.sub_event_type = SubEventType::Attack;
/// assert!(!compatible(&a, &b, &MergeConfig::default()));
/// ```
pub fn compatible(a: &Event, b: &Event, cfg: &MergeConfig) -> bool {
    a.doc_id != b.doc_id
        && a.sub_event_type == b.sub_event_type
        && a.modality.is_factual()
        && b.modality.is_factual()
        && dates_compatible(a, b, cfg)
        && places_compatible(a, b, cfg)
        && actors_compatible(a, b)
}

/// The order in which members lead: most precise place, then date, then `event_id`.
fn lead_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    (geo_rank(a), date_rank(a), &a.event_id, &a.doc_id).cmp(&(
        geo_rank(b),
        date_rank(b),
        &b.event_id,
        &b.doc_id,
    ))
}

/// Splits events (normally one connected component) into clusters of one incident each.
///
/// Returns indices into `events`, each cluster lead first, clusters ordered by their lead. The
/// result does not depend on the order of `events` (given distinct `event_id`s).
pub fn cluster(events: &[&Event], cfg: &MergeConfig) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|&i, &j| lead_order(events[i], events[j]));
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let fits: Vec<usize> = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.iter().all(|&m| compatible(events[m], events[i], cfg)))
            .map(|(k, _)| k)
            .collect();
        match fits.as_slice() {
            [k] => clusters[*k].push(i),
            _ => clusters.push(vec![i]),
        }
    }
    clusters
}

/// The connected components of the compatibility graph, as indices into `events`, each sorted
/// and the list sorted by first index.
pub fn components(events: &[Event], cfg: &MergeConfig) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..events.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // Only events whose windows overlap can be compatible: sweep them sorted by window start.
    let mut dated: Vec<(i64, i64, usize)> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| date_window(e).map(|(lo, hi)| (lo, hi, i)))
        .collect();
    dated.sort_unstable();
    let slack = i64::from(cfg.day_slack);
    for (k, &(_, hi, i)) in dated.iter().enumerate() {
        for &(lo2, _, j) in &dated[k + 1..] {
            if lo2 > hi + slack {
                break;
            }
            if compatible(&events[i], &events[j], cfg) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..events.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Merges a whole set of report events into dataset events: components, then clusters, then
/// [`merge`]. The result is sorted by date (undated last) then `event_id`, and does not depend
/// on the order of `events`.
pub fn resolve_dataset(events: &[Event], cfg: &MergeConfig) -> Vec<Merged> {
    let mut out = Vec::new();
    for component in components(events, cfg) {
        let members: Vec<&Event> = component.iter().map(|&i| &events[i]).collect();
        for c in cluster(&members, cfg) {
            let group: Vec<&Event> = c.iter().map(|&i| members[i]).collect();
            out.push(merge(&group));
        }
    }
    out.sort_by(|a, b| dataset_order(&a.event, &b.event));
    out
}

/// The dataset's order: by date (undated last), then `event_id`.
pub fn dataset_order(a: &Event, b: &Event) -> std::cmp::Ordering {
    (a.date.is_none(), a.date, &a.event_id).cmp(&(b.date.is_none(), b.date, &b.event_id))
}

/// The best-supported value: the `best` most members give, ties to the lowest; `low`/`high`
/// span all of them.
fn merge_estimates(values: &[Estimate]) -> Option<Estimate> {
    if values.is_empty() {
        return None;
    }
    let mut votes: BTreeMap<u64, usize> = BTreeMap::new();
    for v in values {
        *votes.entry(v.best).or_default() += 1;
    }
    let top = votes.values().copied().max().unwrap_or(0);
    let best = votes
        .iter()
        .find(|(_, &n)| n == top)
        .map(|(&b, _)| b)
        .unwrap_or(0);
    let low = values.iter().map(|v| v.low).min().unwrap_or(best).min(best);
    let high = values
        .iter()
        .map(|v| v.high)
        .max()
        .unwrap_or(best)
        .max(best);
    Some(Estimate { best, low, high })
}

fn merge_counts(members: &[&Event]) -> Option<Count> {
    let counts: Vec<Count> = members.iter().filter_map(|e| e.count).collect();
    let first = counts.first()?;
    // The thing most reports count; ties go to the one the most precise report counts.
    let mut by_what: Vec<(usize, usize)> = Vec::new(); // (votes, first position)
    for (pos, c) in counts.iter().enumerate() {
        let votes = counts.iter().filter(|d| d.what == c.what).count();
        by_what.push((votes, pos));
    }
    let what = by_what
        .iter()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|&(_, pos)| counts[pos].what)
        .unwrap_or(first.what);
    let same: Vec<Estimate> = counts
        .iter()
        .filter(|c| c.what == what)
        .map(|c| c.estimate())
        .collect();
    merge_estimates(&same).map(|e| Count::new(e, what))
}

/// Merges the members of one cluster into a dataset event (see the module docs). The members
/// may come in any order; one member is returned as it is.
///
/// # Panics
/// When `members` is empty.
pub fn merge(members: &[&Event]) -> Merged {
    assert!(!members.is_empty(), "merge needs at least one event");
    let mut sorted: Vec<&Event> = members.to_vec();
    sorted.sort_by(|a, b| lead_order(a, b));
    let ids: Vec<String> = sorted.iter().map(|e| e.event_id.clone()).collect();
    let docs: BTreeSet<&str> = sorted.iter().map(|e| e.doc_id.as_str()).collect();
    let corroboration = docs.len();
    let reports = u32::try_from(corroboration).unwrap_or(u32::MAX);
    let lead = sorted[0];
    if sorted.len() == 1 {
        let mut event = lead.clone();
        event.corroboration = reports;
        return Merged {
            event,
            members: ids,
            corroboration,
        };
    }
    let mut out = lead.clone();
    out.corroboration = reports;

    // Place: all location fields from the most precise place (the lead by construction).
    // Date: from the most precise date.
    if let Some(d) = sorted
        .iter()
        .min_by(|a, b| (date_rank(a), &a.event_id).cmp(&(date_rank(b), &b.event_id)))
    {
        out.date = d.date;
        out.date_precision = d.date_precision;
    }

    // Actors: the lead's, with gaps filled from the next most precise reports.
    for e in &sorted[1..] {
        if out.actor1.is_none() && e.actor1.is_some() && e.actor1 != out.actor2 {
            out.actor1.clone_from(&e.actor1);
            out.actor1_ar.clone_from(&e.actor1_ar);
            out.inter1 = e.inter1;
        }
        if out.actor2.is_none() && e.actor2.is_some() && e.actor2 != out.actor1 {
            out.actor2.clone_from(&e.actor2);
            out.actor2_ar.clone_from(&e.actor2_ar);
            out.inter2 = e.inter2;
        }
    }
    out.interaction = rasd_core::interaction_code(out.inter1, out.inter2).or(out.interaction);
    let named: BTreeSet<&str> = actors(&out).into_iter().collect();
    let assoc: BTreeSet<String> = sorted
        .iter()
        .flat_map(|e| e.assoc_actors.iter())
        .filter(|a| !named.contains(a.as_str()))
        .cloned()
        .collect();
    out.assoc_actors = assoc.into_iter().collect();

    let fatalities: Vec<Estimate> = sorted.iter().filter_map(|e| e.fatalities).collect();
    out.fatalities = merge_estimates(&fatalities);
    let injured: Vec<Estimate> = sorted.iter().filter_map(|e| e.injured).collect();
    out.injured = merge_estimates(&injured);
    out.count = merge_counts(&sorted);

    out.modality = if sorted.iter().any(|e| e.modality == Modality::Asserted) {
        Modality::Asserted
    } else {
        lead.modality
    };
    out.background = sorted.iter().all(|e| e.background);

    let mut sources: Vec<_> = sorted
        .iter()
        .flat_map(|e| e.sources.iter().cloned())
        .collect();
    sources.sort_by(|a, b| {
        (&a.doc_id, &a.kind, &a.name, &a.name_ar).cmp(&(&b.doc_id, &b.kind, &b.name, &b.name_ar))
    });
    sources.dedup();
    out.sources = sources;
    let mut evidence: Vec<_> = sorted
        .iter()
        .flat_map(|e| e.evidence.iter().cloned())
        .collect();
    evidence.sort_by(|a, b| {
        (&a.doc_id, a.start, a.end, &a.field, &a.text)
            .cmp(&(&b.doc_id, b.start, b.end, &b.field, &b.text))
    });
    evidence.dedup();
    out.evidence = evidence;

    let miss: f64 = sorted
        .iter()
        .map(|e| 1.0 - e.confidence.clamp(0.0, 1.0))
        .product();
    out.confidence = ((1.0 - miss) * 1000.0).round() / 1000.0;
    out.notes = format!(
        "{} Corroborated by {corroboration} reports.",
        lead.notes.trim_end()
    )
    .trim_start()
    .to_string();
    Merged {
        event: out,
        members: ids,
        corroboration,
    }
}
