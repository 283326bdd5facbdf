//! A few connections to one database (a SQLite file or PostgreSQL), shared by the request
//! handlers.
//!
//! A store is one connection and is not `Sync`; the pool keeps the idle ones and lends each
//! request whichever is free, so that a slow request never holds up another while a
//! connection is idle. Store calls block, so they run on tokio's blocking threads
//! ([`Pool::run`]), never on the threads that drive the sockets; at most as many run at once
//! as there are connections, the other requests wait without a thread. In WAL mode readers do
//! not block each other nor the one writer.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use rasd_store::Store;
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// One connection to the database, movable between threads.
pub type SharedStore = Box<dyn Store + Send>;

/// Connections to one database.
pub(crate) struct Pool {
    /// The connections no request holds.
    idle: Mutex<Vec<SharedStore>>,
    /// Signalled when a connection comes back.
    returned: Condvar,
    /// One permit per connection: how many store calls [`Pool::run`] lets run at once.
    permits: Semaphore,
}

impl Drop for Pool {
    /// Closes the connections off the runtime's threads: a PostgreSQL connection blocks on
    /// its own small runtime to say goodbye to the server, which tokio forbids on a thread
    /// that drives asynchronous tasks (where the last handler may drop the pool).
    fn drop(&mut self) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let stores = match self.idle.get_mut() {
            Ok(idle) => std::mem::take(idle),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        if std::thread::spawn(move || drop(stores)).join().is_err() {
            tracing::warn!("closing the store connections failed");
        }
    }
}

/// A connection lent to one request; it goes back to the pool when dropped, even if the
/// request's code panicked.
struct Lent<'a> {
    pool: &'a Pool,
    store: Option<SharedStore>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool.lock().push(store);
            self.pool.returned.notify_one();
        }
    }
}

impl Pool {
    /// A pool over connections already open.
    pub(crate) fn new(stores: Vec<SharedStore>) -> Pool {
        let permits = Semaphore::new(stores.len().max(1));
        Pool {
            idle: Mutex::new(stores),
            returned: Condvar::new(),
            permits,
        }
    }

    /// The idle connections. A request that panicked while lending one cannot leave the list
    /// half-changed (a push or a pop), so a poisoned lock is taken over.
    fn lock(&self) -> MutexGuard<'_, Vec<SharedStore>> {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` with one of the connections, on a blocking thread, once one is free.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(format!("the store pool is closed: {e}")))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || pool.with(f))
            .await
            .map_err(|e| ApiError::Internal(format!("a store task failed: {e}")))?
    }

    /// Runs `f` with one of the connections on this thread (which may block until one is
    /// free).
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut idle = self.lock();
        let store = loop {
            if let Some(store) = idle.pop() {
                break store;
            }
            idle = self
                .returned
                .wait(idle)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        };
        drop(idle);
        let mut lent = Lent {
            pool: self,
            store: Some(store),
        };
        match lent.store.as_mut() {
            Some(store) => f(store.as_mut()),
            None => Err(ApiError::Internal("no store connection is open".into())),
        }
    }
}
