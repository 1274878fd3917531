//! Plain-text tables whose columns fit their content.
//!
//! Rule ids and fact values vary in length from one rule set to the next, so
//! the new reports size their columns from what they hold rather than from
//! fixed widths. Widths count characters, not bytes: Vietnamese text is
//! mostly one column per character.

/// How a column aligns its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A table: a header and rows of cells, printed with two spaces between
/// columns and no trailing spaces.
pub(crate) struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(columns: &[(&str, Align)]) -> Table {
        Table { columns: columns.iter().map(|(h, a)| (h.to_string(), *a)).collect(), rows: Vec::new() }
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the table, each line starting with `indent`.
    pub(crate) fn render(&self, out: &mut String, indent: &str) {
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = self.columns.iter().map(|(h, _)| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let header: Vec<String> = self.columns.iter().map(|(h, _)| h.clone()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::from(indent);
            for (i, ((_, align), w)) in self.columns.iter().zip(&widths).enumerate() {
                let cell = row.get(i).map_or("", String::as_str);
                let pad = " ".repeat(w - width(cell).min(*w));
                if i > 0 {
                    line.push_str("  ");
                }
                match align {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// A score from 0 to 1 with three decimals.
pub(crate) fn score(x: f64) -> String {
    format!("{x:.3}")
}

/// A score before and after a change: `0.950 -> 0.975`.
pub(crate) fn score_change(before: f64, after: f64) -> String {
    format!("{} -> {}", score(before), score(after))
}

/// A difference of scores (0 to 1) in points, signed: `+1.25`.
pub(crate) fn points(x: f64) -> String {
    let p = 100.0 * x;
    // No "-0.00": a difference that rounds to nothing shows as such.
    if p.abs() < 0.005 {
        "0.00".into()
    } else {
        format!("{p:+.2}")
    }
}

/// A share from 0 to 1 as a percentage.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A text quoted and cut to `max` characters, for table cells.
pub(crate) fn quoted(text: &str, max: usize) -> String {
    let q = format!("{text:?}");
    if q.chars().count() <= max {
        q
    } else {
        let cut: String = q.chars().take(max.saturating_sub(2)).collect();
        format!("{cut}…\"")
    }
}

/// Kilobytes with one decimal.
pub(crate) fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_their_widest_cell_and_lines_have_no_trailing_space() {
        let mut t = Table::new(&[("name", Align::Left), ("n", Align::Right), ("note", Align::Left)]);
        t.row(vec!["Moskva".into(), "3".into(), String::new()]);
        t.row(vec!["Mát-xcơ-va".into(), "12".into(), "vi".into()]);
        let mut out = String::new();
        t.render(&mut out, "  ");
        assert_eq!(out, "  name         n  note\n  Moskva       3\n  Mát-xcơ-va  12  vi\n");
    }

    #[test]
    fn points_are_signed_and_never_negative_zero() {
        assert_eq!(points(0.0125), "+1.25");
        assert_eq!(points(-0.00001), "0.00");
        assert_eq!(points(-0.5), "-50.00");
    }
}
