//! Resolve: the step between the events of one report and the dataset.
//!
//! - [`Signature`] (MinHash over normalized word shingles) and [`NearDuplicates`] find the
//!   same wire story on several sites, so that the store can link the reports as one story.
//! - [`compatible`], [`cluster`] and [`merge`] turn events of different reports that describe
//!   one incident into one dataset event ([`Merged`]) with every source, every evidence span and
//!   a corroboration count; [`resolve_dataset`] does it for a whole set at once. The result does
//!   not depend on the order reports arrive in.
//!
//! The store keeps the components of the compatibility graph up to date as reports arrive and
//! calls [`cluster`] and [`merge`] on the components a new report touches.
//!
//! ```
//! use rasd_resolve::{NearDuplicates, Signature};
//! let a = Signature::of_text("قصفت قوات النظام بلدة طفس في ريف درعا الغربي صباح اليوم");
//! let b = Signature::of_text("قصفت قوّات النظام بلدة طفس في ريف درعا الغربي صباح اليوم الجمعة");
//! assert!(NearDuplicates::default().linked(&a, &b));
//! ```
#![deny(missing_docs)]

mod merge;
mod minhash;

pub use merge::{
    cluster, compatible, components, dataset_order, date_window, day_number, geo_rank,
    haversine_km, merge, resolve_dataset, MergeConfig, Merged, MAX_WINDOW_DAYS,
};
pub use minhash::{words, NearDuplicates, Signature, BANDS, NUM_HASHES, ROWS};

/// Errors of the resolve step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A threshold outside its range.
    #[error("invalid merge setting {name} = {value}: {reason}")]
    Config {
        /// The setting.
        name: &'static str,
        /// Its value.
        value: String,
        /// What it must be.
        reason: &'static str,
    },
}

impl MergeConfig {
    /// Checks the thresholds.
    ///
    /// # Errors
    /// [`Error::Config`] naming a distance that is negative or not a number.
    pub fn validate(&self) -> Result<(), Error> {
        for (name, value) in [("max_km", self.max_km), ("near_km", self.near_km)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::Config {
                    name,
                    value: value.to_string(),
                    reason: "a distance in km, 0 or more",
                });
            }
        }
        Ok(())
    }
}
