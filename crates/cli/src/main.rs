//! The `rasd` binary: a thin shell over `rasd_cli`.

/// mimalloc rather than the system allocator: the ingest pipeline allocates on one thread and
/// frees on another, which the system allocator serializes on a lock.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rasd_cli::main()
}
