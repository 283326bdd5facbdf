//! Writing for people: colour only where it is wanted, and text from reports made inert.
//!
//! A report's title, text, source names or ids are whatever its author (or a scraper) wrote,
//! and may hold terminal escape sequences (ESC, BEL, C1 controls) or bidirectional overrides
//! (U+202E) that rewrite what the reader sees. [`inert`] escapes them in every line rasd
//! prints for people (`search`, `show`, `explain`); JSON output escapes controls itself.

use std::borrow::Cow;
use std::sync::OnceLock;

use clap::ColorChoice;

static COLOUR_CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Sets the run's `--color` choice (once, before anything is written; later calls are
/// ignored).
pub fn set_colour_choice(choice: ColorChoice) {
    let _ = COLOUR_CHOICE.set(choice);
}

/// True when colour should be written to a stream: `--color always`; or, with `--color auto`
/// (the default), when it is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>); never with `--color never`.
pub fn colour_wanted(is_terminal: bool) -> bool {
    match COLOUR_CHOICE.get().copied().unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Characters that change how a terminal shows what follows: controls, and the bidirectional
/// embeddings, overrides and isolates (the marks U+200E and U+200F are ordinary in Arabic
/// text and kept).
fn is_active(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` safe to print on one line: line breaks and tabs become spaces, other control
/// characters and bidirectional overrides are written as escapes (`\u{1b}`).
///
/// # Examples
/// ```
/// use rasd_cli::term::inert;
/// assert_eq!(inert("قصف\x1b[2J على\u{202E}درعا\n"), "قصف\\u{1b}[2J على\\u{202e}درعا ");
/// assert_eq!(inert("نص عادي"), "نص عادي");
/// ```
pub fn inert(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_active) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_active(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15, defect 5: escapes, BEL and overrides from a report reached the terminal.
    #[test]
    fn issue_15_escapes_bells_and_overrides_are_made_inert() {
        let hostile = "\x1b]0;owned\x07\u{9b}31m\u{202E}txt.exe\u{2066}x\u{2069}";
        let shown = inert(hostile);
        assert!(!shown.chars().any(is_active), "{shown}");
        assert_eq!(
            shown,
            "\\u{1b}]0;owned\\u{7}\\u{9b}31m\\u{202e}txt.exe\\u{2066}x\\u{2069}"
        );
        assert_eq!(inert("مرحبا\u{200F}"), "مرحبا\u{200F}");
    }
}
