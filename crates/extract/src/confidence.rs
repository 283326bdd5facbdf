//! How sure the engine is of an event: a logistic model of the chance that the event is right,
//! fitted on the team's development sets by `scripts/fit_confidence.py` (weights in
//! `data/lexicon/confidence.tsv`). The features are read off the finished event, so the script
//! computes the very same ones from `rasd analyze` output; keep the two in step.

use rustc_hash::FxHashMap as HashMap;

use rasd_core::{Event, EventType, GeoPrecision, Modality};

/// The features the model weighs, in the order the fitting script writes them.
pub const FEATURES: &[&str] = &[
    "bias",
    "more_triggers",
    "town",
    "region",
    "actor_named",
    "actor2",
    "counted",
    "source",
    "dated",
    "reported",
    "battles",
    "explosions",
    "civilians",
    "protests",
    "riots",
    "strategic",
];

/// What a negated, hedged or planned event's confidence is multiplied by: the model is fitted
/// on events told as facts.
const NOT_FACTUAL: f64 = 0.6;

/// Weights of the confidence model, by feature.
#[derive(Clone, Debug, Default)]
pub struct ConfidenceModel {
    weights: HashMap<String, f64>,
}

impl ConfidenceModel {
    /// A model with these weights. Returns the first unknown feature name as an error.
    pub fn new(weights: impl IntoIterator<Item = (String, f64)>) -> Result<Self, String> {
        let mut out = ConfidenceModel::default();
        for (name, weight) in weights {
            if !FEATURES.contains(&name.as_str()) {
                return Err(format!("unknown feature «{name}»"));
            }
            out.weights.insert(name, weight);
        }
        Ok(out)
    }

    /// The chance, in 0..1 and rounded to two places, that `event` is right.
    pub fn score(&self, event: &Event) -> f64 {
        let triggers = event
            .evidence
            .iter()
            .filter(|e| e.field == "trigger")
            .count();
        let has_field = |field: &str| event.evidence.iter().any(|e| e.field == field);
        let kind = match event.event_type {
            EventType::Battles => "battles",
            EventType::ExplosionsRemoteViolence => "explosions",
            EventType::ViolenceAgainstCivilians => "civilians",
            EventType::Protests => "protests",
            EventType::Riots => "riots",
            EventType::StrategicDevelopments => "strategic",
        };
        let values: [(&str, f64); 11] = [
            ("bias", 1.0),
            ("more_triggers", triggers.saturating_sub(1).min(3) as f64),
            (
                "town",
                flag(event.geo_precision == Some(GeoPrecision::Place)),
            ),
            (
                "region",
                flag(event.geo_precision == Some(GeoPrecision::Region)),
            ),
            ("actor_named", flag(event.actor1_ar.is_some())),
            ("actor2", flag(event.actor2.is_some())),
            (
                "counted",
                flag(event.count.is_some() || event.fatalities.is_some()),
            ),
            (
                "source",
                flag(event.sources.iter().any(|s| s.kind != "outlet")),
            ),
            ("dated", flag(has_field("date"))),
            ("reported", flag(event.modality == Modality::Reported)),
            (kind, 1.0),
        ];
        let z: f64 = values
            .iter()
            .map(|(name, x)| self.weights.get(*name).copied().unwrap_or(0.0) * x)
            .sum();
        let mut p = 1.0 / (1.0 + (-z).exp());
        if !event.modality.is_factual() {
            p *= NOT_FACTUAL;
        }
        (p.clamp(0.0, 1.0) * 100.0).round() / 100.0
    }
}

fn flag(on: bool) -> f64 {
    if on {
        1.0
    } else {
        0.0
    }
}
