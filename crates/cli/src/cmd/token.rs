//! `rasd token add NAME --role reviewer|admin`: a token for the API's writes. The token is
//! printed once; the database keeps only its hash.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use rasd_store::Role;

use crate::{Context, Outcome};

/// Arguments of `rasd token`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// What `rasd token` does.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Make a token and print it once (only its hash is stored).
    Add {
        /// Who holds it: recorded as the reviewer in the audit log.
        #[arg(value_name = "NAME")]
        name: String,
        /// What it may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The database file.
        #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
        db: PathBuf,
    },
}

/// A token's role on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    /// Confirms, rejects, corrects and merges events.
    Reviewer,
    /// What a reviewer does, and more to come.
    Admin,
}

/// Runs `rasd token`.
///
/// # Errors
/// When the database cannot be written, the name is taken or has no letters.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    match args.action {
        Action::Add { name, role, db } => {
            let name = name.trim().to_string();
            if name.is_empty() || name.chars().any(char::is_control) {
                anyhow::bail!("a token's name needs letters and no control characters");
            }
            let mut store = super::events::open_existing(&db)?;
            let token = rasd_server::new_token()
                .map_err(|e| anyhow::anyhow!("no randomness for a token: {e}"))?;
            let role = match role {
                RoleArg::Reviewer => Role::Reviewer,
                RoleArg::Admin => Role::Admin,
            };
            store
                .add_token(&name, role, &rasd_server::token_hash(&token))
                .with_context(|| format!("adding the token {name}"))?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{token}")?;
            eprintln!(
                "rasd: token for {} ({}) made; it is shown only now. Send it as \
                 `Authorization: Bearer TOKEN`.",
                crate::term::inert(&name),
                role.as_str()
            );
            Ok(Outcome::Success)
        }
    }
}
