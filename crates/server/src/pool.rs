//! A few connections to one SQLite file, shared by the request handlers.
//!
//! A `SqliteStore` is one connection and is not `Sync`; the pool keeps several, each behind
//! its own mutex, and hands requests out round-robin. Store calls block, so they run on
//! tokio's blocking threads ([`Pool::run`]), never on the threads that drive the sockets.
//! In WAL mode readers do not block each other nor the one writer.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rasd_store::SqliteStore;

use crate::error::ApiError;

/// Connections to one database.
pub(crate) struct Pool {
    stores: Vec<Mutex<SqliteStore>>,
    next: AtomicUsize,
}

impl Pool {
    /// Opens `connections` connections (at least one) to the database file.
    pub(crate) fn open(path: &Path, connections: usize) -> Result<Pool, rasd_store::Error> {
        let stores = (0..connections.max(1))
            .map(|_| SqliteStore::open(path).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        Ok(Pool {
            stores,
            next: AtomicUsize::new(0),
        })
    }

    /// A pool over one store already open (an in-memory one, in tests).
    pub(crate) fn single(store: SqliteStore) -> Pool {
        Pool {
            stores: vec![Mutex::new(store)],
            next: AtomicUsize::new(0),
        }
    }

    /// Runs `f` with one of the connections, on a blocking thread.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || pool.with(f))
            .await
            .map_err(|e| ApiError::Internal(format!("a store task failed: {e}")))?
    }

    /// Runs `f` with one of the connections on this thread (which may block).
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut SqliteStore) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.stores.len();
        let mut store = self.stores[i]
            .lock()
            .map_err(|_| ApiError::Internal("a store connection was poisoned".into()))?;
        f(&mut store)
    }
}
