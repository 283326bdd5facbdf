//! The `rasd` binary: a thin shell over `rasd_cli`.

fn main() -> std::process::ExitCode {
    rasd_cli::main()
}
