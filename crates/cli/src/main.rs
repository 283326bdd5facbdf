//! The `rasd` binary: a thin shell over `rasd_cli`.

/// mimalloc (without transparent huge pages, which raised the peak RSS of an ingest by about
/// 20 MB): the analysis and the store allocate many small, short-lived values on several
/// threads at once, which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rasd_cli::main()
}
