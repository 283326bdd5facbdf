//! `rasd._rasd`: the native half of the `rasd` Python package (PyO3, built by maturin).
//!
//! The Python package (`python/rasd/__init__.py`) is a thin layer over these functions: it
//! turns dates into ISO text and the store's columns into a pandas or Polars DataFrame.
//!
//! - [`analyze_many`] reads reports (strings or mappings with `text`, `id`, `title`,
//!   `source`, `url`, `published`), then analyses them on all cores with the GIL released
//!   (rayon), and returns the events as dicts in the reports' order: the event contract of
//!   `docs/event.schema.json`, as `rasd analyze` writes it.
//! - [`places`] gives the gazetteer's candidates for a name.
//! - [`PyStore`] (`rasd._rasd.Store`) opens a SQLite file or a `postgres://` database and
//!   reads its dataset events as columns.
//!
//! Errors name the input: `ValueError` for a report or argument that is wrong (`report 3
//! (id 'x'): …`), `TypeError` for an item of the wrong type, `FileNotFoundError` for a
//! database file that does not exist, and `rasd.RasdError` for what the engine or the
//! database says.

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use pyo3::exceptions::{PyFileNotFoundError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString};
use rasd_core::{DataFiles, Document, Event, EventType, Published, SubEventType};
use rasd_extract::Analyzer;
use rasd_gazetteer::CountryChoice;
use rasd_store::{EventFilter, PgStore, SqliteStore, Store};
use rayon::prelude::*;

mod json;
use json::Json;

pyo3::create_exception!(
    _rasd,
    RasdError,
    pyo3::exceptions::PyException,
    "An error of the rasd engine or of its database; the message names the input."
);

/// The analyzer over the built-in data, built on first use.
fn analyzer() -> PyResult<&'static Analyzer> {
    static ANALYZER: OnceLock<Result<Analyzer, String>> = OnceLock::new();
    ANALYZER
        .get_or_init(|| Analyzer::from_data(&DataFiles::new()).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|message| RasdError::new_err(format!("loading the analysis data: {message}")))
}

/// Serializes with the contract's serde form, keys in the contract's order.
fn json_of<T: serde::Serialize>(value: &T) -> PyResult<Json> {
    Json::of(value).map_err(|e| RasdError::new_err(e.to_string()))
}

/// The country filter `country=` names.
fn country_choice(text: &str) -> PyResult<CountryChoice> {
    let gazetteer =
        rasd_gazetteer::Gazetteer::builtin().map_err(|e| RasdError::new_err(e.to_string()))?;
    gazetteer.country_choice(text).ok_or_else(|| {
        PyValueError::new_err(format!(
            "country: {:?} is no country rasd knows (give a name, an ISO code or \"all\")",
            text.trim()
        ))
    })
}

/// Which events of an analysis to return.
struct Keep {
    background: bool,
    country: CountryChoice,
    min_confidence: Option<f64>,
}

impl Keep {
    fn new(with_background: bool, country: &str, min_confidence: Option<f64>) -> PyResult<Keep> {
        if let Some(p) = min_confidence {
            if !(0.0..=1.0).contains(&p) {
                return Err(PyValueError::new_err(format!(
                    "min_confidence: {p} is not a probability between 0 and 1"
                )));
            }
        }
        Ok(Keep {
            background: with_background,
            country: country_choice(country)?,
            min_confidence,
        })
    }

    fn keeps(&self, e: &Event) -> bool {
        (self.background || !e.background)
            && self.country.matches(e)
            && self.min_confidence.is_none_or(|m| e.confidence >= m)
    }
}

/// The text of an optional field of a report mapping: a string or `None`.
fn optional_field(item: &Bound<'_, PyMapping>, field: &str, at: &str) -> PyResult<Option<String>> {
    if !item.contains(field)? {
        return Ok(None);
    }
    let value = item.get_item(field)?;
    if value.is_none() {
        return Ok(None);
    }
    value.extract::<String>().map(Some).map_err(|_| {
        PyTypeError::new_err(format!(
            "{at}: {field:?} must be a string, not {}",
            type_name(&value)
        ))
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// The publication time a report gives, named `at` in errors.
fn published_of(text: Option<&str>, at: &str) -> PyResult<Option<Published>> {
    text.map(|t| {
        Published::parse(t)
            .map_err(|e| PyValueError::new_err(format!("{at}: published {t:?}: {e}")))
    })
    .transpose()
}

/// One report read from Python: a string is its text, a mapping gives `text` and the
/// optional fields. `n` counts from 1; `published` is the default publication time.
fn document_of(
    item: &Bound<'_, PyAny>,
    n: usize,
    published: Option<Published>,
) -> PyResult<Document> {
    let fallback_id = format!("report-{n}");
    if let Ok(text) = item.cast::<PyString>() {
        let at = format!("report {n}");
        return checked_document(fallback_id, text.to_str()?.to_string(), &at)
            .map(|doc| doc.with_published(published));
    }
    let Ok(mapping) = item.cast::<PyMapping>() else {
        return Err(PyTypeError::new_err(format!(
            "report {n}: a report is a string or a mapping with \"text\", not {}",
            type_name(item)
        )));
    };
    let id = optional_field(mapping, "id", &format!("report {n}"))?;
    let at = match &id {
        Some(id) => format!("report {n} (id {id:?})"),
        None => format!("report {n}"),
    };
    let text = optional_field(mapping, "text", &at)?
        .ok_or_else(|| PyValueError::new_err(format!("{at}: no \"text\"")))?;
    let own = published_of(optional_field(mapping, "published", &at)?.as_deref(), &at)?;
    Ok(checked_document(id.unwrap_or(fallback_id), text, &at)?
        .with_title(optional_field(mapping, "title", &at)?)
        .with_source(optional_field(mapping, "source", &at)?)
        .with_url(optional_field(mapping, "url", &at)?)
        .with_published(own.or(published)))
}

fn checked_document(id: String, text: String, at: &str) -> PyResult<Document> {
    if text.trim().is_empty() {
        return Err(PyValueError::new_err(format!(
            "{at}: empty, no text to read"
        )));
    }
    Ok(Document::new(id, text))
}

/// Analyses reports on all cores (or `threads`) with the GIL released; the events come back
/// as dicts, in the reports' order.
#[pyfunction]
#[pyo3(signature = (reports, *, published=None, with_background=false, country="Syria", min_confidence=None, threads=None))]
fn analyze_many<'py>(
    py: Python<'py>,
    reports: &Bound<'py, PyAny>,
    published: Option<&str>,
    with_background: bool,
    country: &str,
    min_confidence: Option<f64>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyList>> {
    let keep = Keep::new(with_background, country, min_confidence)?;
    let default_published = published_of(published, "published")?;
    let mut docs = Vec::new();
    for (i, item) in reports.try_iter()?.enumerate() {
        docs.push(document_of(&item?, i + 1, default_published)?);
    }
    let analyzer = analyzer()?;
    let run = || -> Result<Vec<Json>, serde_json::Error> {
        let per_report: Vec<Vec<Json>> = docs
            .par_iter()
            .map(|doc| {
                analyzer
                    .analyze(doc)
                    .events
                    .iter()
                    .filter(|e| keep.keeps(e))
                    .map(Json::of)
                    .collect()
            })
            .collect::<Result<_, _>>()?;
        Ok(per_report.into_iter().flatten().collect())
    };
    let events = py
        .detach(|| match threads {
            None => Ok(run()),
            Some(0) => Err("threads: 0 threads cannot analyse anything".to_string()),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(|pool| pool.install(run))
                .map_err(|e| format!("threads: {e}")),
        })
        .map_err(PyValueError::new_err)?
        .map_err(|e| RasdError::new_err(e.to_string()))?;
    let list = PyList::empty(py);
    for event in &events {
        list.append(event.to_py(py)?)?;
    }
    Ok(list)
}

/// The gazetteer's candidates for a place name, best first, as dicts.
#[pyfunction]
fn places<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
    let gazetteer = analyzer()?.gazetteer();
    let list = PyList::empty(py);
    for place in gazetteer.lookup(name) {
        list.append(json_of(place)?.to_py(py)?)?;
    }
    Ok(list)
}

/// The first (`first`) or last day of a period `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
fn period_day(text: &str, first: bool, name: &str) -> PyResult<NaiveDate> {
    let (from, to) = rasd_store::day_range(text).ok_or_else(|| {
        PyValueError::new_err(format!(
            "{name}: {text:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
        ))
    })?;
    Ok(if first { from } else { to })
}

/// Puts one event into the columns: scalar fields as they are, `{best, low, high}` objects
/// as `field`, `field_low`, `field_high` (and `count_what`), lists of names joined by `"; "`,
/// `sources` as their names; evidence is left to [`PyStore::event`]. Columns come in the
/// order the contract first writes them.
fn add_row(columns: &mut Vec<(String, Vec<Json>)>, rows: usize, event: &Json) {
    let mut set = |name: String, value: Json| {
        let at = match columns.iter().position(|(n, _)| *n == name) {
            Some(at) => at,
            None => {
                columns.push((name, vec![Json::Null; rows]));
                columns.len() - 1
            }
        };
        columns[at].1.push(value);
    };
    let Json::Object(fields) = event else {
        return;
    };
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("evidence", _) => {}
            (_, Json::Array(items)) => {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(|item| match item {
                        Json::String(s) => Some(s.clone()),
                        Json::Object(parts) => parts.iter().find_map(|(k, v)| match v {
                            Json::String(name) if k == "name" => Some(name.clone()),
                            _ => None,
                        }),
                        _ => None,
                    })
                    .collect();
                set(key.clone(), Json::String(names.join("; ")));
            }
            (_, Json::Object(parts)) => {
                for (part, v) in parts {
                    let name = if part == "best" {
                        key.clone()
                    } else {
                        format!("{key}_{part}")
                    };
                    set(name, v.clone());
                }
            }
            (_, v) => set(key.clone(), v.clone()),
        }
    }
    for (_, column) in columns.iter_mut() {
        if column.len() == rows {
            column.push(Json::Null);
        }
    }
}

/// Columns every table of events has, even an empty one, in this order.
const BASE_COLUMNS: [&str; 14] = [
    "event_id",
    "doc_id",
    "event_type",
    "sub_event_type",
    "date",
    "actor1",
    "actor2",
    "location",
    "admin1",
    "latitude",
    "longitude",
    "fatalities",
    "modality",
    "confidence",
];

/// A rasd dataset: a SQLite file or a PostgreSQL database (`postgres://…`).
#[pyclass(name = "Store", module = "rasd._rasd")]
struct PyStore {
    /// The path or URL as shown (without a password).
    shown: String,
    store: Mutex<Box<dyn Store + Send>>,
}

impl PyStore {
    fn lock(&self) -> PyResult<std::sync::MutexGuard<'_, Box<dyn Store + Send>>> {
        self.store
            .lock()
            .map_err(|_| RasdError::new_err(format!("{}: an earlier call failed", self.shown)))
    }

    fn error(&self, e: impl std::fmt::Display) -> PyErr {
        RasdError::new_err(format!("{}: {e}", self.shown))
    }
}

#[pymethods]
impl PyStore {
    /// Opens an existing rasd database: a SQLite file made by `rasd ingest`, or a
    /// `postgres://` URL.
    #[new]
    fn new(py: Python<'_>, path: &str) -> PyResult<PyStore> {
        if rasd_store::is_postgres_url(path) {
            let shown = rasd_store::redact_url(path);
            let store = py
                .detach(|| PgStore::open(path))
                .map_err(|e| RasdError::new_err(format!("{shown}: {e}")))?;
            return Ok(PyStore {
                shown,
                store: Mutex::new(Box::new(store)),
            });
        }
        if !Path::new(path).is_file() {
            return Err(PyFileNotFoundError::new_err(format!(
                "{path}: no such rasd database (make one with `rasd ingest INPUT... --db {path}`)"
            )));
        }
        let store = py
            .detach(|| SqliteStore::open(Path::new(path)))
            .map_err(|e| RasdError::new_err(format!("{path}: {e}")))?;
        Ok(PyStore {
            shown: path.to_string(),
            store: Mutex::new(Box::new(store)),
        })
    }

    /// The database as shown in messages.
    #[getter]
    fn path(&self) -> &str {
        &self.shown
    }

    fn __repr__(&self) -> String {
        format!("rasd.Store({:?})", self.shown)
    }

    /// The dataset events that pass the filters, as columns: a dict of equal-length lists.
    #[pyo3(signature = (*, date_from=None, date_to=None, admin1=None, event_type=None, sub_event_type=None, actor=None, near=None, text=None, include_non_factual=false, include_background=false, min_confidence=None, country="Syria"))]
    #[allow(clippy::too_many_arguments)]
    fn event_columns<'py>(
        &self,
        py: Python<'py>,
        date_from: Option<&str>,
        date_to: Option<&str>,
        admin1: Option<String>,
        event_type: Option<&str>,
        sub_event_type: Option<&str>,
        actor: Option<String>,
        near: Option<(f64, f64, f64)>,
        text: Option<String>,
        include_non_factual: bool,
        include_background: bool,
        min_confidence: Option<f64>,
        country: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let keep = Keep::new(include_background, country, min_confidence)?;
        let filter = EventFilter {
            event_type: event_type
                .map(|t| {
                    t.parse::<EventType>()
                        .map_err(|e| PyValueError::new_err(format!("event_type: {e}")))
                })
                .transpose()?,
            sub_event_type: sub_event_type
                .map(|t| {
                    t.parse::<SubEventType>()
                        .map_err(|e| PyValueError::new_err(format!("sub_event_type: {e}")))
                })
                .transpose()?,
            from: date_from
                .map(|d| period_day(d, true, "date_from"))
                .transpose()?,
            to: date_to
                .map(|d| period_day(d, false, "date_to"))
                .transpose()?,
            admin1,
            actor,
            near,
            text,
            include_non_factual,
            min_confidence,
            ..EventFilter::default()
        };
        let columns = py.detach(|| {
            let store = self.lock()?;
            let mut columns: Vec<(String, Vec<Json>)> = BASE_COLUMNS
                .iter()
                .map(|c| (c.to_string(), Vec::new()))
                .collect();
            let mut rows = 0;
            for event in store.events(&filter).map_err(|e| self.error(e))? {
                let event = event.map_err(|e| self.error(e))?;
                if keep.keeps(&event) {
                    let event = Json::of(&event).map_err(|e| self.error(e))?;
                    add_row(&mut columns, rows, &event);
                    rows += 1;
                }
            }
            Ok::<_, PyErr>(columns)
        })?;
        let dict = PyDict::new(py);
        for (name, values) in &columns {
            let list = PyList::empty(py);
            for v in values {
                list.append(v.to_py(py)?)?;
            }
            dict.set_item(name, list)?;
        }
        Ok(dict)
    }

    /// One dataset event with every field and its evidence, by its id (or the id of a
    /// report event merged into it); `None` when there is none.
    fn event<'py>(&self, py: Python<'py>, event_id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let found = py.detach(|| self.lock()?.event(event_id).map_err(|e| self.error(e)))?;
        found.map(|d| json_of(&d.event)?.to_py(py)).transpose()
    }

    /// How much the database holds: reports, stories, report events, evidence spans,
    /// dataset events and runs.
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = py.detach(|| self.lock()?.counts().map_err(|e| self.error(e)))?;
        let dict = PyDict::new(py);
        dict.set_item("reports", c.documents)?;
        dict.set_item("stories", c.stories)?;
        dict.set_item("report_events", c.report_events)?;
        dict.set_item("evidence", c.evidence)?;
        dict.set_item("dataset_events", c.dataset_events)?;
        dict.set_item("runs", c.runs)?;
        Ok(dict)
    }
}

/// The native module of the `rasd` package.
#[pymodule]
fn _rasd(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("RasdError", m.py().get_type::<RasdError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(analyze_many, m)?)?;
    m.add_function(wrap_pyfunction!(places, m)?)?;
    m.add_class::<PyStore>()?;
    Ok(())
}
