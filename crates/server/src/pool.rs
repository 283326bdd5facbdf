//! A few connections to one database (a SQLite file or PostgreSQL), shared by the request
//! handlers.
//!
//! A store is one connection and is not `Sync`; the pool keeps several, each behind its own
//! mutex, and hands requests out round-robin. Store calls block, so they run on
//! tokio's blocking threads ([`Pool::run`]), never on the threads that drive the sockets.
//! In WAL mode readers do not block each other nor the one writer.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rasd_store::Store;

use crate::error::ApiError;

/// One connection to the database, movable between threads.
pub type SharedStore = Box<dyn Store + Send>;

/// Connections to one database.
pub(crate) struct Pool {
    stores: Vec<Mutex<SharedStore>>,
    next: AtomicUsize,
}

impl Drop for Pool {
    /// Closes the connections off the runtime's threads: a PostgreSQL connection blocks on
    /// its own small runtime to say goodbye to the server, which tokio forbids on a thread
    /// that drives asynchronous tasks (where the last handler may drop the pool).
    fn drop(&mut self) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let stores = std::mem::take(&mut self.stores);
        if std::thread::spawn(move || drop(stores)).join().is_err() {
            tracing::warn!("closing the store connections failed");
        }
    }
}

impl Pool {
    /// A pool over connections already open.
    pub(crate) fn new(stores: Vec<SharedStore>) -> Pool {
        Pool {
            stores: stores.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// Runs `f` with one of the connections, on a blocking thread.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || pool.with(f))
            .await
            .map_err(|e| ApiError::Internal(format!("a store task failed: {e}")))?
    }

    /// Runs `f` with one of the connections on this thread (which may block).
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        let slot = self
            .stores
            .get(i % self.stores.len().max(1))
            .ok_or_else(|| ApiError::Internal("no store connection is open".into()))?;
        let mut store = slot
            .lock()
            .map_err(|_| ApiError::Internal("a store connection was poisoned".into()))?;
        f(store.as_mut())
    }
}
