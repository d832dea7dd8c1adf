//! Plain aligned text tables for human output; on a pipe (stdout not a terminal),
//! tab-separated rows without header or padding, as `gh` prints them, for `cut -f`
//! and `while read`. Every cell is sanitised: names and URLs come from the server and
//! may hold escape sequences (and a tab shows as `^I`, so it cannot split a column).

use crate::domain::sanitize_for_terminal;
use std::io::IsTerminal;
use unicode_width::UnicodeWidthStr;

/// How tables are laid out: for people on a terminal, or for programs on a pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A header row and columns padded to line up.
    Aligned,
    /// No header; cells separated by one tab.
    Tabs,
}

impl Layout {
    /// `Aligned` when stdout is a terminal, else `Tabs`.
    pub fn for_stdout() -> Layout {
        if std::io::stdout().is_terminal() {
            Layout::Aligned
        } else {
            Layout::Tabs
        }
    }
}

/// A table with a header row; columns are as wide as their widest cell.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            rows: vec![headers.iter().map(|h| h.to_string()).collect()],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(
            cells
                .into_iter()
                .map(|c| sanitize_for_terminal(&c).into_owned())
                .collect(),
        );
    }

    /// The table laid out for stdout (`Layout::for_stdout`).
    pub fn render(&self) -> String {
        self.render_as(Layout::for_stdout())
    }

    /// The table as lines: aligned, or tab-separated without the header.
    pub fn render_as(&self, layout: Layout) -> String {
        match layout {
            Layout::Aligned => self.aligned(),
            Layout::Tabs => self.rows[1..]
                .iter()
                .map(|row| row.join("\t") + "\n")
                .collect(),
        }
    }

    /// Columns two spaces apart, no trailing spaces.
    fn aligned(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                let pad = widths[i].saturating_sub(cell.width());
                line.extend(std::iter::repeat_n(' ', pad + 2));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A line for people (an empty list's hint, a footer): on a pipe, nothing, so a
/// program reading rows reads only rows.
pub fn note(text: &str) -> String {
    match Layout::for_stdout() {
        Layout::Aligned => text.to_string(),
        Layout::Tabs => String::new(),
    }
}

/// `label  value` lines with the labels aligned, for one record; on a pipe,
/// `label<TAB>value`.
pub fn fields(pairs: &[(&str, String)]) -> String {
    fields_as(pairs, Layout::for_stdout())
}

pub fn fields_as(pairs: &[(&str, String)], layout: Layout) -> String {
    if layout == Layout::Tabs {
        return pairs
            .iter()
            .map(|(label, value)| format!("{label}\t{}\n", sanitize_for_terminal(value)))
            .collect();
    }
    let width = pairs.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in pairs {
        let value = sanitize_for_terminal(value);
        let pad = width - label.width();
        out.push_str(&format!("{label}{}  {value}\n", " ".repeat(pad)));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_with_wide_characters() {
        let mut table = Table::new(&["Name", "Platform"]);
        table.row(vec!["Zähler ✓".into(), "Web".into()]);
        table.row(vec!["日本".into(), "API services".into()]);
        let text = table.render_as(Layout::Aligned);
        let lines: Vec<&str> = text.lines().collect();
        let starts: Vec<usize> = lines
            .iter()
            .map(|l| {
                let (prefix, _) = l.split_at(l.find(['P', 'W', 'A']).unwrap());
                prefix.width()
            })
            .collect();
        assert_eq!(starts, vec![10, 10, 10], "{text}");
    }

    #[test]
    fn escape_sequences_in_cells_are_shown_not_sent() {
        let mut table = Table::new(&["Name"]);
        table.row(vec!["evil\x1b[2J".into()]);
        for layout in [Layout::Aligned, Layout::Tabs] {
            let text = table.render_as(layout);
            assert!(!text.contains('\x1b'));
            assert!(text.contains("evil^[[2J"));
        }
    }

    #[test]
    fn on_a_pipe_rows_are_tab_separated_without_header() {
        let mut table = Table::new(&["NAME", "PLATFORM"]);
        table.row(vec!["Billing sync".into(), "API services".into()]);
        table.row(vec!["tab\there".into(), "Web".into()]);
        assert_eq!(
            table.render_as(Layout::Tabs),
            "Billing sync\tAPI services\ntab^Ihere\tWeb\n"
        );
        let pairs = [
            ("Name", "Billing".to_string()),
            ("Client ID", "oc_1".to_string()),
        ];
        assert_eq!(
            fields_as(&pairs, Layout::Tabs),
            "Name\tBilling\nClient ID\toc_1\n"
        );
    }
}
