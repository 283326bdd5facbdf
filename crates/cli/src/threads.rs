//! `--threads N` and the order-keeping parallel loop the analysing commands share.

use std::num::NonZeroUsize;
use std::sync::mpsc::sync_channel;

use anyhow::Context as _;
use rayon::prelude::*;

/// Reports handed to the workers at once: enough to keep every core busy between two
/// hand-overs, few enough that memory stays flat.
const CHUNK_ITEMS: usize = 256;

/// How many threads analyse reports (`--threads N`).
#[derive(Clone, Copy, Debug, Default, clap::Args)]
pub struct Threads {
    /// Analyse this many reports at once (default: one per available core). The output is
    /// the same, in the same order, whatever the number.
    #[arg(long = "threads", value_name = "N")]
    pub threads: Option<NonZeroUsize>,
}

impl Threads {
    /// The number of threads: the one asked for, or one per available core.
    pub fn count(&self) -> usize {
        self.threads
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get)
    }

    /// A pool of [`Threads::count`] worker threads.
    ///
    /// # Errors
    /// When the system cannot start the threads.
    pub fn pool(&self) -> anyhow::Result<rayon::ThreadPool> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.count())
            .thread_name(|i| format!("rasd-worker-{i}"))
            .build()
            .context("starting the worker threads")
    }
}

/// Runs `work` on every item of `items` on the threads of `pool`, and hands the results to
/// `sink` in the items' order, so that the output is the one a single thread would give.
/// The items are taken on a thread of their own (reading and parsing input overlap the
/// work), a chunk at a time.
///
/// # Errors
/// The first error of `sink`; the remaining items are then left alone.
pub fn in_order<I, R>(
    pool: &rayon::ThreadPool,
    items: I,
    work: impl Fn(I::Item) -> R + Sync,
    mut sink: impl FnMut(R) -> anyhow::Result<()>,
) -> anyhow::Result<()>
where
    I: Iterator + Send,
    I::Item: Send,
    R: Send,
{
    std::thread::scope(|scope| {
        // One chunk waits while the workers are on the next: reading stays one chunk ahead.
        let (to_workers, chunks) = sync_channel::<Vec<I::Item>>(1);
        scope.spawn(move || {
            let mut items = items;
            loop {
                let chunk: Vec<I::Item> = items.by_ref().take(CHUNK_ITEMS).collect();
                if chunk.is_empty() || to_workers.send(chunk).is_err() {
                    return;
                }
            }
        });
        for chunk in chunks {
            let results: Vec<R> = pool.install(|| chunk.into_par_iter().map(&work).collect());
            for result in results {
                sink(result)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let threads = Threads {
            threads: NonZeroUsize::new(2),
        };
        let pool = threads.pool().unwrap();
        let mut out = Vec::new();
        in_order(
            &pool,
            0..1000u32,
            |i| i * 2,
            |r| {
                out.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(out, (0..1000u32).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let pool = Threads::default().pool().unwrap();
        let mut seen = 0;
        let err = in_order(
            &pool,
            0..10_000u32,
            |i| i,
            |i| {
                seen += 1;
                anyhow::ensure!(i < 300, "stop at {i}");
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "stop at 300");
        assert_eq!(seen, 301);
    }
}
