//! One module per subcommand; each has `Args` (clap) and `run`.

pub mod analyze;
pub mod bench;
pub mod completions;
pub mod copy;
pub mod demo;
pub mod events;
pub mod explain;
pub mod export;
pub mod ingest;
pub mod man;
pub mod places;
pub mod reanalyze;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod token;
pub mod worker;
