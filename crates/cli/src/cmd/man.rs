//! `rasd man`: manual pages in roff, generated from the command line's own definition
//! (clap_mangen). Without `--dir`, `rasd(1)` on standard output (`rasd man | man -l -`); with
//! `--dir DIR`, `rasd.1` and one `rasd-SUBCOMMAND.1` per subcommand, for `MANPATH`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::CommandFactory;

use crate::{Context, Outcome};

/// Arguments of `rasd man`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write `rasd.1` and a page per subcommand (`rasd-analyze.1`, …) into this directory
    /// (made when missing) instead of `rasd(1)` on standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

fn render(command: clap::Command) -> std::io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    Ok(page)
}

/// Runs `rasd man`.
///
/// # Errors
/// When the directory or a page cannot be written, or standard output is closed.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let command = crate::Cli::command();
    let Some(dir) = args.dir else {
        let page = render(command).context("rendering the manual page")?;
        let mut out = std::io::stdout().lock();
        out.write_all(&page)
            .and_then(|()| out.flush())
            .context("writing the manual page")?;
        return Ok(Outcome::Success);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut pages = vec![("rasd".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        let name = format!("rasd-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let page = render(page).with_context(|| format!("rendering {name}(1)"))?;
        std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(Outcome::Success)
}
