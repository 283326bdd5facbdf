//! rasd's analysis: one Arabic report in, the events it reports out, each field backed by a
//! span of the original text.
//!
//! [`Analyzer`] runs the stages in order over one [`Document`]:
//! 1. *normalize* (`rasd-arabic`): a folded view of the text with an offset map back;
//! 2. *segment*: sentences, words and their proclitic splits ([`words`]); the page's
//!    headline, datelines and furniture ([`layout`]);
//! 3. *mentions* ([`mentions`]): places (`rasd-gazetteer`), actors, sources, triggers, cues,
//!    numbers with what they count, dates resolved against the publication day;
//! 4. *events* ([`events`]): arguments attached inside the sentence, modality, background,
//!    and one event per incident, place and day.
//!
//! Language knowledge lives in `data/lexicon/*.tsv` (compiled in, overridable through
//! [`rasd_core::DataFiles`]); this crate holds the mechanisms ([`lexicon::PhraseLexicon`]).
//!
//! ```
//! use rasd_core::{Document, Published, SubEventType};
//! let analyzer = rasd_extract::Analyzer::new().unwrap();
//! let doc = Document::new("r1", "انشق خمسة عناصر من قوات النظام في مدينة الصنمين أمس.")
//!     .with_published(Some(Published::parse("2024-12-06").unwrap()));
//! let events = analyzer.analyze(&doc).events;
//! assert_eq!(events[0].sub_event_type, SubEventType::ChangeToGroupActivity);
//! assert_eq!(events[0].count.unwrap().best, 5);
//! ```
#![deny(missing_docs)]

pub mod confidence;
pub mod events;
pub mod layout;
pub mod lexicon;
pub mod mentions;
pub mod words;

use rasd_arabic::{Clitics, DateParser, Normalized, NumberParser};
use rasd_core::{ActorType, CountWhat, DataFiles, Document, Event, Span, SubEventType};
use rasd_gazetteer::Gazetteer;

use crate::events::CodingRules;
use crate::lexicon::load_tsv;
use crate::mentions::{
    ActorEntry, CountNoun, Cue, CueKind, CueMention, CueScope, Lexicons, Mentions, RoleMarker,
    SourceEntry, Trigger, TriggerMention,
};

/// Errors of building an analyzer (analysis itself never fails: messy text gives fewer
/// mentions, not errors).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A malformed row in a data file.
    #[error("{file}:{line}: {reason}")]
    Data {
        /// The data file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The Arabic text layer's data could not be loaded.
    #[error(transparent)]
    Arabic(#[from] rasd_arabic::Error),
    /// The gazetteer could not be loaded.
    #[error(transparent)]
    Gazetteer(#[from] rasd_gazetteer::Error),
}

/// The most event words one report is read for. A news report names tens; a text with more
/// is a list or a dump, and reading it whole would cost memory out of proportion to it.
pub const MAX_TRIGGERS: usize = 4_000;

macro_rules! builtin {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../data/", $name)))
    };
}

const TRIGGERS: (&str, &str) = builtin!("lexicon/triggers.tsv");
const CUES: (&str, &str) = builtin!("lexicon/cues.tsv");
const COUNT_NOUNS: (&str, &str) = builtin!("lexicon/count_nouns.tsv");
const ACTORS: (&str, &str) = builtin!("lexicon/actors.tsv");
const ACTOR_SHAPES: (&str, &str) = builtin!("lexicon/actor_shapes.tsv");
const SOURCES: (&str, &str) = builtin!("lexicon/sources.tsv");
const FUNCTION_WORDS: (&str, &str) = builtin!("lexicon/function_words.tsv");
const ROLES: (&str, &str) = builtin!("lexicon/roles.tsv");
const PERSON_NOUNS: (&str, &str) = builtin!("lexicon/person_nouns.tsv");
const OWNED_OBJECTS: (&str, &str) = builtin!("lexicon/owned_objects.tsv");
const ENCLITICS: (&str, &str) = builtin!("lexicon/enclitics.tsv");
const HIERARCHY: (&str, &str) = builtin!("lexicon/hierarchy.tsv");
const EVENT_ROLES: (&str, &str) = builtin!("lexicon/event_roles.tsv");
const FURNITURE: (&str, &str) = builtin!("lexicon/furniture.tsv");
const LIST_MARKERS: (&str, &str) = builtin!("lexicon/list_markers.tsv");
const UNNAMED_ACTORS: (&str, &str) = builtin!("lexicon/unnamed_actors.tsv");
const CONFIDENCE: (&str, &str) = builtin!("lexicon/confidence.tsv");
const CLAUSE_OPENERS: (&str, &str) = builtin!("lexicon/clause_openers.tsv");
const STRIKE_REACH: (&str, &str) = builtin!("lexicon/strike_reach.tsv");
const DIRECTIONS: (&str, &str) = builtin!("lexicon/directions.tsv");
const MEASURE_NOUNS: (&str, &str) = builtin!("lexicon/measure_nouns.tsv");
const OPERATION_NOUNS: (&str, &str) = builtin!("lexicon/operation_nouns.tsv");

/// The built-in lexicon files, by name, for tests that check their shape.
pub const BUILTIN_LEXICONS: &[(&str, &str)] = &[
    TRIGGERS,
    CUES,
    COUNT_NOUNS,
    ACTORS,
    ACTOR_SHAPES,
    SOURCES,
    FUNCTION_WORDS,
    ROLES,
    PERSON_NOUNS,
    OWNED_OBJECTS,
    ENCLITICS,
    HIERARCHY,
    EVENT_ROLES,
    FURNITURE,
    LIST_MARKERS,
    UNNAMED_ACTORS,
    CONFIDENCE,
    CLAUSE_OPENERS,
    STRIKE_REACH,
    DIRECTIONS,
    MEASURE_NOUNS,
    OPERATION_NOUNS,
];

/// The gazetteer the analyzer uses: the built-in one, or one with the user's places.
#[derive(Debug)]
enum Places {
    Builtin(&'static Gazetteer),
    Custom(Box<Gazetteer>),
}

thread_local! {
    /// The stems of the words this thread has analysed ([`words::StemCache`]).
    static STEM_CACHE: std::cell::RefCell<words::StemCache> =
        std::cell::RefCell::new(words::StemCache::default());
}

/// Runs the analysis stages over reports. Build it once; it is cheap to share (`Sync`).
#[derive(Debug)]
pub struct Analyzer {
    /// A number no other analyzer of this process has: the stem cache of a thread
    /// ([`words::StemCache`]) holds one analyzer's stems at a time.
    id: u64,
    clitics: Clitics,
    numbers: NumberParser,
    dates: DateParser,
    places: Places,
    lexicons: Lexicons,
    rules: CodingRules,
}

/// What the analysis of one report found.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The events, in text order.
    pub events: Vec<Event>,
    /// The sentences (spans of the original text).
    pub sentences: Vec<Span>,
    /// Every mention, by layer.
    pub mentions: Mentions,
}

impl Analyzer {
    /// An analyzer with the built-in data.
    ///
    /// # Errors
    /// When built-in data is malformed (a bug, caught by the tests).
    pub fn new() -> Result<Analyzer, Error> {
        Analyzer::from_data(&DataFiles::new())
    }

    /// An analyzer with the built-in data extended or replaced by the user's files.
    ///
    /// # Errors
    /// [`Error::Data`] naming `file:line` for a malformed row.
    pub fn from_data(files: &DataFiles) -> Result<Analyzer, Error> {
        let places = if files
            .overrides()
            .any(|(name, _)| name.starts_with("gazetteer/"))
        {
            Places::Custom(Box::new(Gazetteer::load(files)?))
        } else {
            Places::Builtin(Gazetteer::builtin()?)
        };
        static ANALYZERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Analyzer {
            id: ANALYZERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            clitics: Clitics::from_data(files)?,
            numbers: NumberParser::from_data(files)?,
            dates: DateParser::from_data(files)?,
            places,
            lexicons: load_lexicons(files)?,
            rules: load_rules(files)?,
        })
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        match &self.places {
            Places::Builtin(g) => g,
            Places::Custom(g) => g,
        }
    }

    /// Analyzes one report.
    pub fn analyze(&self, doc: &Document) -> Analysis {
        self.analyze_normalized(doc, &rasd_arabic::normalize(&doc.text))
    }

    /// [`Analyzer::analyze`] for a caller that normalized the report's text already
    /// (`normalized` is [`rasd_arabic::normalize`] of `doc.text`, as when it was hashed for
    /// storage): the analysis does not normalize it again. A view of another text is not
    /// used: the text is normalized anew.
    pub fn analyze_normalized(&self, doc: &Document, normalized: &Normalized) -> Analysis {
        if normalized.original_len() != doc.text.len() {
            return self.analyze(doc);
        }
        let text = doc.text.as_str();
        let sentences = rasd_arabic::sentences(text);
        let lex = &self.lexicons;
        // The report is tokenized once: places, words, numbers and dates read the same tokens.
        let tokens = rasd_arabic::tokens(normalized);
        // Each word is looked up once for every layer: its stems, and where a lexicon entry,
        // a date, a number or a place name may start.
        let stems = STEM_CACHE.with_borrow_mut(|cache| {
            cache.serve(self.id);
            let rules = words::WordRules {
                clitics: &self.clitics,
                enclitics: &lex.enclitics,
                first_words: &lex.first_words,
                parsers: Some((&self.dates, &self.numbers)),
                gazetteer: Some(self.gazetteer()),
            };
            words::Stems::new(text, normalized, &tokens, &rules, cache)
        });
        let places = self.gazetteer().find_in_tokens_with_starts(
            text,
            normalized,
            &tokens,
            &stems.name_starts,
        );
        let words = words::words(normalized, &tokens, &stems);
        let quantities = lex.quantities(&self.numbers, normalized, &tokens, &stems.starts, &words);
        let dates = self.dates.find_in_tokens_with_starts(
            normalized,
            &tokens,
            Some(&stems.starts.dates),
            doc.published.map(|p| p.date()),
        );
        // The words keep what they need of the tokens: free them before the other layers.
        drop(tokens);
        let triggers: Vec<TriggerMention> = lex
            .triggers
            .matches(&words)
            .map(|m| TriggerMention {
                span: m.span,
                words: (m.start, m.end),
                trigger: m.value.clone(),
            })
            .take(MAX_TRIGGERS)
            .collect();
        if triggers.len() == MAX_TRIGGERS {
            tracing::warn!(doc_id = %doc.id, "more than {MAX_TRIGGERS} event words: the rest is not read");
        }
        let trigger_starts: Vec<usize> = triggers.iter().map(|t| t.words.0).collect();
        let mut mentions = Mentions {
            actors: lex.actors(text, &words, &trigger_starts),
            triggers,
            cues: lex
                .cues
                .find_all(&words)
                .into_iter()
                .map(|m| CueMention {
                    span: m.span,
                    words: (m.start, m.end),
                    cue: *m.value,
                })
                .collect(),
            sources: lex.sources(text, &words),
            quantities,
            dates,
            places,
        };
        // An operation's quoted name («معركة "درع نوى"») tells of no fight and no place.
        let operations = lex.named_operations(&words);
        let in_operation = |span: Span| operations.iter().any(|o| o.overlaps(span));
        mentions.triggers.retain(|t| !in_operation(t.span));
        mentions.places.retain(|p| !in_operation(p.span));
        // A month's name in a date («5 آب») is no place («آب», Ibb in Yemen).
        let mut date_spans: Vec<Span> = mentions.dates.iter().map(|d| d.span).collect();
        date_spans.sort_by_key(|s| s.start);
        mentions.places.retain(|p| {
            // The last date starting before the place ends is the only one that may overlap
            // it, dates being disjoint.
            let i = date_spans.partition_point(|d| d.start < p.span.end);
            i == 0 || !date_spans[i - 1].overlaps(p.span)
        });
        // The event stage finds each sentence's mentions by binary search.
        mentions.sort_by_position();
        let layout = layout::layout(text, &words, &lex.furniture);
        let events = events::build(&events::Inputs {
            doc,
            layout: &layout,
            sentences: &sentences,
            words: &words,
            mentions: &mentions,
            gazetteer: self.gazetteer(),
            lexicons: lex,
            rules: &self.rules,
        });
        tracing::debug!(doc_id = %doc.id, events = events.len(), "analyzed");
        Analysis {
            events,
            sentences,
            mentions,
        }
    }
}

fn load_lexicons(files: &DataFiles) -> Result<Lexicons, Error> {
    let sub = |s: &str| s.parse::<SubEventType>().map_err(|e| e.to_string());
    let what = |s: &str| -> Result<Option<CountWhat>, String> {
        Ok(Some(match s {
            "-" => return Ok(None),
            "killed" => CountWhat::Killed,
            "injured" => CountWhat::Injured,
            "defectors" => CountWhat::Defectors,
            "detainees" => CountWhat::Detainees,
            "released" => CountWhat::Released,
            "fighters" => CountWhat::Fighters,
            "civilians" => CountWhat::Civilians,
            "abducted" => CountWhat::Abducted,
            "other" => CountWhat::Other,
            other => return Err(format!("unknown count kind «{other}»")),
        }))
    };
    let inter = |s: &str| {
        s.parse::<u8>()
            .ok()
            .and_then(ActorType::from_code)
            .ok_or_else(|| format!("actor type «{s}» is not 1..8"))
    };
    let triggers = load_tsv(files, TRIGGERS.0, TRIGGERS.1, 5, |f| {
        let weight: f32 = f[3]
            .parse()
            .map_err(|_| format!("weight «{}» is not a number", f[3]))?;
        if !(0.0..=1.0).contains(&weight) {
            return Err(format!("weight {weight} is outside 0..1"));
        }
        let mut by_actor = Vec::new();
        if f[1] != "-" {
            for rule in f[1].split(';') {
                let (codes, to) = rule
                    .split_once('=')
                    .ok_or_else(|| format!("by_actor rule «{rule}» is not CODES=SUB-EVENT TYPE"))?;
                let codes = codes
                    .split(',')
                    .map(|c| inter(c.trim()))
                    .collect::<Result<Vec<_>, _>>()?;
                by_actor.push((codes, sub(to)?));
            }
        }
        Ok(Trigger {
            sub_event_type: sub(f[0])?,
            by_actor,
            counts: what(f[2])?,
            weight,
        })
    })?;
    let cues = load_tsv(files, CUES.0, CUES.1, 3, |f| {
        let kind = match f[0] {
            "negated" => CueKind::Negated,
            "hedged" => CueKind::Hedged,
            "planned" => CueKind::Planned,
            "reported" => CueKind::Reported,
            "background" => CueKind::Background,
            "recent" => CueKind::Recent,
            "aggregate" => CueKind::Aggregate,
            "unrelated" => CueKind::Unrelated,
            "blocked" => CueKind::Blocked,
            "refers" => CueKind::Refers,
            other => return Err(format!("unknown cue «{other}»")),
        };
        let scope = match f[1].split_once(':') {
            None if f[1] == "before" => CueScope::Before(None),
            None if f[1] == "sentence" => CueScope::Sentence,
            None if f[1] == "over" => CueScope::Over,
            Some(("before", n)) => CueScope::Before(Some(n.parse().map_err(|_| "bad scope")?)),
            Some(("after", n)) => CueScope::After(n.parse().map_err(|_| "bad scope")?),
            Some(("near", n)) => CueScope::Near(n.parse().map_err(|_| "bad scope")?),
            _ => return Err(format!("unknown scope «{}»", f[1])),
        };
        Ok(Cue { kind, scope })
    })?;
    let count_words = load_tsv(files, COUNT_NOUNS.0, COUNT_NOUNS.1, 3, |f| {
        let what = what(f[0])?.ok_or("a count noun must say what it counts")?;
        match f[1] {
            "after" | "before" => Ok(CountNoun {
                what,
                before: f[1] == "before",
            }),
            other => Err(format!("position «{other}» is not after/before")),
        }
    })?;
    let roles = load_tsv(files, ROLES.0, ROLES.1, 3, |f| {
        let agent = match f[0] {
            "agent" => true,
            "patient" => false,
            other => return Err(format!("role «{other}» is not agent/patient")),
        };
        let gap = f[1]
            .parse()
            .map_err(|_| format!("gap «{}» is not a number", f[1]))?;
        Ok(RoleMarker { agent, gap })
    })?;
    let max_role_gap = roles.values().map(|r| r.gap).max().unwrap_or(0);
    let mut lexicons = Lexicons {
        triggers,
        cues,
        count_words,
        actors: load_tsv(files, ACTORS.0, ACTORS.1, 3, |f| {
            Ok(ActorEntry {
                name: f[0].to_string(),
                inter: inter(f[1])?,
            })
        })?,
        actor_heads: load_tsv(files, ACTOR_SHAPES.0, ACTOR_SHAPES.1, 2, |f| inter(f[0]))?,
        function_words: load_tsv(files, FUNCTION_WORDS.0, FUNCTION_WORDS.1, 1, |_| Ok(()))?,
        furniture: load_tsv(files, FURNITURE.0, FURNITURE.1, 1, |_| Ok(()))?,
        list_markers: load_tsv(files, LIST_MARKERS.0, LIST_MARKERS.1, 1, |_| Ok(()))?,
        clause_openers: load_tsv(files, CLAUSE_OPENERS.0, CLAUSE_OPENERS.1, 1, |_| Ok(()))?,
        strike_reach: load_tsv(files, STRIKE_REACH.0, STRIKE_REACH.1, 1, |_| Ok(()))?,
        measure_nouns: load_tsv(files, MEASURE_NOUNS.0, MEASURE_NOUNS.1, 1, |_| Ok(()))?,
        operation_nouns: load_tsv(files, OPERATION_NOUNS.0, OPERATION_NOUNS.1, 1, |_| Ok(()))?,
        directions: load_tsv(files, DIRECTIONS.0, DIRECTIONS.1, 3, |f| {
            let sign = |s: &str| match s {
                "1" => Ok(1i8),
                "0" => Ok(0),
                "-1" => Ok(-1),
                other => Err(format!("«{other}» is not 1, 0 or -1")),
            };
            Ok((sign(f[0])?, sign(f[1])?))
        })?,
        sources: load_tsv(files, SOURCES.0, SOURCES.1, 3, |f| {
            Ok(SourceEntry {
                name: f[0].to_string(),
                kind: f[1].to_string(),
            })
        })?,
        roles,
        max_role_gap,
        person_nouns: load_tsv(files, PERSON_NOUNS.0, PERSON_NOUNS.1, 2, |f| {
            f[0].parse::<u64>()
                .map_err(|_| format!("number «{}» is not a whole number", f[0]))
        })?,
        owned_objects: load_tsv(files, OWNED_OBJECTS.0, OWNED_OBJECTS.1, 1, |_| Ok(()))?,
        enclitics: files
            .texts(ENCLITICS.0, ENCLITICS.1)
            .iter()
            .flat_map(|data| rasd_core::data::tsv_rows(data.text))
            .filter_map(|(_, fields)| fields.first().map(|s| rasd_arabic::normalize_key(s)))
            .filter(|s| !s.is_empty())
            .collect(),
        first_words: lexicon::FirstWords::default(),
    };
    lexicons.number_first_words();
    Ok(lexicons)
}

/// Calls `row` with the fields of every data row of a rule file (built-in rows, then the
/// user's) and a function that names the file and line of an error.
fn each_row(
    files: &DataFiles,
    (name, builtin): (&str, &str),
    mut row: impl FnMut(&[&str], &dyn Fn(String) -> Error) -> Result<(), Error>,
) -> Result<(), Error> {
    for data in files.texts(name, builtin) {
        for (line, fields) in rasd_core::data::tsv_rows(data.text) {
            let bad = |reason: String| Error::Data {
                file: data.origin.to_string(),
                line,
                reason,
            };
            row(&fields, &bad)?;
        }
    }
    Ok(())
}

/// An ACLED inter code of a rule file.
fn inter_code(text: &str, bad: &dyn Fn(String) -> Error) -> Result<ActorType, Error> {
    text.parse::<u8>()
        .ok()
        .and_then(ActorType::from_code)
        .ok_or_else(|| bad(format!("actor type «{text}» is not 1..8")))
}

fn load_rules(files: &DataFiles) -> Result<CodingRules, Error> {
    let mut rules = CodingRules::default();
    each_row(files, HIERARCHY, |f, bad| {
        let [_, a, b, to] = f else {
            return Err(bad("expected 4 tab-separated columns".into()));
        };
        let parse = |s: &str| s.parse::<SubEventType>().map_err(|e| bad(e.to_string()));
        rules.hierarchy.insert((parse(a)?, parse(b)?), parse(to)?);
        Ok(())
    })?;
    each_row(files, EVENT_ROLES, |f, bad| {
        let [sub, actor, inter] = f else {
            return Err(bad("expected 3 tab-separated columns".into()));
        };
        let sub = sub
            .parse::<SubEventType>()
            .map_err(|e| bad(e.to_string()))?;
        let inter = inter_code(inter, bad)?;
        rules.default_actor.insert(sub, (actor.to_string(), inter));
        Ok(())
    })?;
    each_row(files, UNNAMED_ACTORS, |f, bad| {
        let [kind, actor, inter] = f else {
            return Err(bad("expected 3 tab-separated columns".into()));
        };
        let kind = kind
            .parse::<rasd_core::EventType>()
            .map_err(|e| bad(e.to_string()))?;
        let inter = inter_code(inter, bad)?;
        rules.unnamed_actor.insert(kind, (actor.to_string(), inter));
        Ok(())
    })?;
    let mut weights = Vec::new();
    each_row(files, CONFIDENCE, |f, bad| {
        let [name, weight] = f else {
            return Err(bad("expected 2 tab-separated columns".into()));
        };
        let weight: f64 = weight
            .parse()
            .map_err(|_| bad(format!("weight «{weight}» is not a number")))?;
        weights.push((name.to_string(), weight));
        Ok(())
    })?;
    rules.confidence = confidence::ConfidenceModel::new(weights).map_err(|reason| Error::Data {
        file: CONFIDENCE.0.to_string(),
        line: 0,
        reason,
    })?;
    Ok(rules)
}
