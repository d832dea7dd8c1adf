//! A QR code drawn with half blocks (`▀▄█`): two modules per terminal cell, so a
//! verification URL fits in about 37 × 19 cells.

use qrcode::{Color, QrCode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color as Tint, Style};

/// Modules of light margin around the code; scanners need some.
const QUIET: usize = 2;

/// The rows of a QR code of `text` as half-block strings, dark modules drawn; `None`
/// when the text cannot be encoded.
pub fn lines(text: &str) -> Option<Vec<String>> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    let dark = |x: usize, y: usize| -> bool {
        if x < QUIET || y < QUIET || x >= width + QUIET || y >= width + QUIET {
            return false;
        }
        colors[(y - QUIET) * width + (x - QUIET)] == Color::Dark
    };
    let mut rows = Vec::with_capacity(size.div_ceil(2));
    for y in (0..size).step_by(2) {
        let row: String = (0..size)
            .map(|x| match (dark(x, y), dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            })
            .collect();
        rows.push(row);
    }
    Some(rows)
}

/// The size in cells (width, height) the code of `text` takes.
pub fn size(text: &str) -> Option<(u16, u16)> {
    let rows = lines(text)?;
    let w = rows.first().map_or(0, |r| r.chars().count());
    Some((w as u16, rows.len() as u16))
}

/// Draws the code at the top left of `area`: black modules on white, so it scans on
/// dark and light terminals alike.
pub fn render(text: &str, area: Rect, buf: &mut Buffer) {
    let Some(rows) = lines(text) else { return };
    let style = Style::new().fg(Tint::Black).bg(Tint::White);
    for (i, row) in rows.iter().enumerate().take(usize::from(area.height)) {
        buf.set_stringn(
            area.x,
            area.y + i as u16,
            row,
            usize::from(area.width),
            style,
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_verification_url_fits_in_half_the_rows_it_has_modules() {
        let url = "http://127.0.0.1:41823/device?user_code=WDJB-MJHT";
        let code = QrCode::new(url.as_bytes()).unwrap();
        let (w, h) = size(url).unwrap();
        assert_eq!(usize::from(w), code.width() + 4);
        assert_eq!(usize::from(h), (code.width() + 4).div_ceil(2));
        // Below the quiet rows: the top of the finder pattern, two modules in.
        let rows = lines(url).unwrap();
        assert!(rows[0].trim().is_empty());
        assert!(rows[1].starts_with("  █▀▀▀▀▀█"), "{}", rows[1]);
    }
}
