//! `rasd completions SHELL`: a completion script for bash, zsh, fish, PowerShell or elvish,
//! generated from the command line's own definition (clap_complete), so it never lags it.
//!
//! ```sh
//! rasd completions bash > ~/.local/share/bash-completion/completions/rasd
//! rasd completions zsh > ~/.zfunc/_rasd          # with fpath+=~/.zfunc before compinit
//! rasd completions fish > ~/.config/fish/completions/rasd.fish
//! rasd completions powershell >> $PROFILE
//! ```

use std::io::Write;

use anyhow::Context as _;
use clap::CommandFactory;

use crate::{Context, Outcome};

/// Arguments of `rasd completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Runs `rasd completions`: the script on standard output.
///
/// # Errors
/// When standard output is closed.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let mut command = crate::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "rasd", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .context("writing the completion script")?;
    Ok(Outcome::Success)
}
