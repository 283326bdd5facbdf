//! One module per subcommand; each has `Args` (clap) and `run`.

pub mod analyze;
pub mod demo;
pub mod explain;
pub mod export;
pub mod stats;
pub mod events;
pub mod ingest;
pub mod search;
pub mod show;
