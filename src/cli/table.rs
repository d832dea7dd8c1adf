//! Plain aligned text tables for human output. Every cell is sanitised: names and
//! URLs come from the server and may hold escape sequences.

use crate::domain::sanitize_for_terminal;
use unicode_width::UnicodeWidthStr;

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

    /// The table as lines, columns two spaces apart, no trailing spaces.
    pub fn render(&self) -> String {
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

/// `label  value` lines with the labels aligned, for one record.
pub fn fields(pairs: &[(&str, String)]) -> String {
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
        let text = table.render();
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
        let text = table.render();
        assert!(!text.contains('\x1b'));
        assert!(text.contains("evil^[[2J"));
    }
}
