//! `rasd serve`: the HTTP API, its OpenAPI document and the map page over a database.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::{Context, Outcome};

/// Arguments of `rasd serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database: a SQLite file, or `postgres://user:password@host/db`.
    #[arg(long, value_name = "PATH|URL", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// The address to listen on (loopback by default; the API has no TLS of its own).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Connections to the database shared by the requests (as many as the machine has
    /// cores when not given: a page is work for a core, and more connections only queue).
    #[arg(long, value_name = "N")]
    pub connections: Option<usize>,
    /// Reads of the API need a token too (`rasd token add`); writes always do.
    #[arg(long)]
    pub private: bool,
}

/// Runs `rasd serve` until Ctrl-C.
///
/// # Errors
/// When the database cannot be opened or the address cannot be listened on.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let connections = args.connections.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let stores = (0..connections.max(1))
        .map(|_| super::events::open_existing(&args.db))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let state = rasd_server::AppState::with_stores(stores).reads_need_token(args.private);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(rasd_server::serve(args.addr, state))?;
    Ok(Outcome::Success)
}
