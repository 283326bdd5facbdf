//! Plain-text tables for people (`rasd stats`, `rasd events`, `rasd places`, `rasd demo`),
//! laid out by comfy-table, which measures each cell by its display width on a terminal
//! (Unicode's East Asian Width and combining marks): harakat («قُتِلَ») take no column and
//! wide characters two, so Arabic with tashkeel lines up with plain text.
//!
//! The layout: the header, a rule of dashes under each column, then the rows; columns two
//! spaces apart, no borders, no space at a line's end. Columns whose cells are all numbers
//! are aligned right.

use comfy_table::{
    CellAlignment, ColumnConstraint, ContentLineStyle, LineStyle, Table, TableStyle,
};

/// No borders; a space between columns (after each column's one space of padding), and a
/// rule of dashes under the header.
const STYLE: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::none().junction(' '))
    .header_separator(LineStyle::none().fill('-').junction(' '))
    .content_lines(ContentLineStyle::none().junction(' '));

/// Renders `rows` under `header` (see the module docs); `(none)` when there are no rows.
/// Cells beyond `max_width` display columns are cut with `…` (`None`: no limit).
///
/// # Examples
/// ```
/// use rasd_export::text_table;
/// let rows = vec![
///     vec!["قُتِلَ".to_string(), "3".to_string()],
///     vec!["قتل".to_string(), "12".to_string()],
/// ];
/// let table = text_table(&["word", "n"], &rows, None);
/// // «قُتِلَ» is six characters but three columns wide, as wide as «قتل».
/// assert_eq!(table, "word   n\n----- --\nقُتِلَ    3\nقتل   12\n");
/// ```
pub fn text_table(header: &[&str], rows: &[Vec<String>], max_width: Option<usize>) -> String {
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| {
            !rows.is_empty()
                && rows.iter().all(|r| {
                    r.get(i).is_some_and(|c| {
                        !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                    })
                })
        })
        .collect();
    let cut = |cell: &str| -> String {
        match max_width {
            Some(max) if unicode_width::UnicodeWidthStr::width(cell) > max => {
                let mut out = String::new();
                let mut width = 0;
                for c in cell.chars() {
                    let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    if width + w + 1 > max {
                        break;
                    }
                    width += w;
                    out.push(c);
                }
                out.push('…');
                out
            }
            _ => cell.to_string(),
        }
    };
    let mut table = Table::new();
    table.load_style(STYLE);
    table.set_header(header.iter().copied());
    for row in rows {
        table.add_row(row.iter().map(|c| cut(c)));
    }
    let last = header.len().saturating_sub(1);
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i == last { 0 } else { 1 }));
        column.set_constraint(ColumnConstraint::ContentWidth);
        if numeric.get(i).copied().unwrap_or(false) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if rows.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    /// Where the last column starts on each line, in display columns.
    fn last_column_starts(table: &str) -> Vec<usize> {
        table
            .lines()
            .map(|line| line.rsplit_once(' ').unwrap().0.width() + 1)
            .collect()
    }

    /// Issue 17: tables were aligned by `chars().count()`, so harakat (which take no column)
    /// and wide characters (which take two) pushed the columns after them out of line.
    #[test]
    fn issue_17_columns_line_up_by_display_width() {
        let rows = vec![
            vec!["قُتِلَ مَدَنِيّانِ".to_string(), "2".to_string(), "a".to_string()],
            vec!["قتل مدنيان".to_string(), "12".to_string(), "b".to_string()],
            vec!["戦闘".to_string(), "7".to_string(), "c".to_string()],
        ];
        let table = text_table(&["what", "n", "tag"], &rows, None);
        let starts = last_column_starts(&table);
        assert_eq!(starts.len(), 5, "{table}");
        assert!(
            starts.iter().all(|&s| s == starts[0]),
            "{starts:?}\n{table}"
        );
        assert!(table.lines().all(|l| !l.ends_with(' ')), "{table}");
    }

    #[test]
    fn long_cells_are_cut_to_the_width_with_an_ellipsis() {
        let rows = vec![vec![
            "اشتباكات عنيفة في ريف درعا الغربي".to_string(),
            "x".to_string(),
        ]];
        let table = text_table(&["place", "k"], &rows, Some(10));
        let row = table.lines().nth(2).unwrap();
        let (cell, _) = row.rsplit_once(' ').unwrap();
        assert_eq!(cell.trim_end().width(), 10, "{table}");
        assert!(cell.trim_end().ends_with('…'), "{table}");
        assert_eq!(text_table(&["a"], &[], None), "a\n-\n(none)\n");
    }
}
