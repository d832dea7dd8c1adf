//! A ratatui `Buffer` as an SVG picture: monospace text on a dark background, each run
//! of equally styled cells in its colours, bold where bold.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

// DejaVu Sans Mono at 15 px: 1233/2048 em wide, ascent 0.928 em, descent 0.236 em. A cell
// no taller than the glyphs keeps box-drawing lines unbroken from row to row.
const CELL_WIDTH: f64 = 1233.0 / 2048.0 * FONT_SIZE;
const CELL_HEIGHT: f64 = 17.0;
const FONT_SIZE: f64 = 15.0;
const ASCENT: f64 = 0.928 * FONT_SIZE;
const PADDING: f64 = 12.0;
const BACKGROUND: &str = "#15171c";
const FOREGROUND: &str = "#d4d7dd";

#[derive(Clone, PartialEq)]
struct Look {
    fg: String,
    bg: Option<String>,
    bold: bool,
    italic: bool,
    underlined: bool,
    dim: bool,
}

fn look_of(cell: &ratatui::buffer::Cell) -> Look {
    let mut fg = colour(cell.fg);
    let mut bg = colour(cell.bg);
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
        fg = fg.or_else(|| Some(BACKGROUND.into()));
        bg = bg.or_else(|| Some(FOREGROUND.into()));
    }
    Look {
        fg: fg.unwrap_or_else(|| FOREGROUND.into()),
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        italic: cell.modifier.contains(Modifier::ITALIC),
        underlined: cell.modifier.contains(Modifier::UNDERLINED),
        dim: cell.modifier.contains(Modifier::DIM),
    }
}

/// The buffer as a standalone SVG document.
pub fn buffer_to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let width = f64::from(area.width) * CELL_WIDTH + 2.0 * PADDING;
    let height = f64::from(area.height) * CELL_HEIGHT + 2.0 * PADDING;
    let mut backgrounds = String::new();
    let mut texts = String::new();
    for y in 0..area.height {
        let top = PADDING + f64::from(y) * CELL_HEIGHT;
        let baseline = top + ASCENT - 0.3;
        let mut x = 0;
        while x < area.width {
            let Some(first) = buffer.cell((area.x + x, area.y + y)) else {
                break;
            };
            let look = look_of(first);
            // One run: the cells from `x` that look the same.
            let mut text = String::new();
            let start = x;
            while x < area.width {
                let Some(cell) = buffer.cell((area.x + x, area.y + y)) else {
                    break;
                };
                let symbol = cell.symbol();
                // A symbol the main font may lack is drawn by a fallback font with
                // its own width; alone in its run, it cannot push the rest aside.
                let alone = !in_main_font(symbol);
                if look_of(cell) != look || (alone && x > start) {
                    break;
                }
                text.push_str(symbol);
                // A wide character covers the next cell too, which holds a filler.
                x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
                if alone {
                    break;
                }
            }
            let left = PADDING + f64::from(start) * CELL_WIDTH;
            let cells = f64::from(x - start);
            if let Some(bg) = &look.bg {
                let _ = writeln!(
                    backgrounds,
                    r#"<rect x="{left:.1}" y="{top:.1}" width="{:.1}" height="{CELL_HEIGHT:.1}" fill="{bg}"/>"#,
                    cells * CELL_WIDTH
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let mut attributes = format!(r#"fill="{}""#, look.fg);
            if look.bold {
                attributes.push_str(r#" font-weight="bold""#);
            }
            if look.italic {
                attributes.push_str(r#" font-style="italic""#);
            }
            if look.underlined {
                attributes.push_str(r#" text-decoration="underline""#);
            }
            if look.dim {
                attributes.push_str(r#" opacity="0.6""#);
            }
            // textLength pins the run to its cells whatever the font's advance width.
            let _ = writeln!(
                texts,
                r#"<text x="{left:.1}" y="{baseline:.1}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs" {attributes}>{}</text>"#,
                cells * CELL_WIDTH,
                escape_xml(&text)
            );
        }
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}">
<rect width="100%" height="100%" fill="{BACKGROUND}" rx="6"/>
<g shape-rendering="crispEdges">
{backgrounds}</g>
<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}" xml:space="preserve">
{texts}</g>
</svg>
"#
    )
}

/// ASCII, Latin-1 and box drawing: drawn by DejaVu Sans Mono at exactly one cell.
fn in_main_font(symbol: &str) -> bool {
    symbol
        .chars()
        .all(|c| matches!(c, ' '..='~' | '\u{A0}'..='\u{FF}' | '\u{2500}'..='\u{257F}'))
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Not allowed in XML 1.0; sanitised text never holds them, but be safe.
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A terminal colour as CSS; `None` for the terminal's default.
fn colour(color: Color) -> Option<String> {
    let named = |hex: &str| Some(hex.to_string());
    match color {
        Color::Reset => None,
        Color::Black => named("#1d1f24"),
        Color::Red => named("#e06c75"),
        Color::Green => named("#98c379"),
        Color::Yellow => named("#e5c07b"),
        Color::Blue => named("#61afef"),
        Color::Magenta => named("#c678dd"),
        Color::Cyan => named("#56b6c2"),
        Color::Gray => named("#abb2bf"),
        Color::DarkGray => named("#5c6370"),
        Color::LightRed => named("#ff7b86"),
        Color::LightGreen => named("#b5e890"),
        Color::LightYellow => named("#ffd88a"),
        Color::LightBlue => named("#82c4ff"),
        Color::LightMagenta => named("#e09cff"),
        Color::LightCyan => named("#7fdfea"),
        Color::White => named("#f0f2f5"),
        Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => Some(indexed(i)),
    }
}

/// The xterm 256-colour palette.
fn indexed(i: u8) -> String {
    const BASIC: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => colour(BASIC[usize::from(i)]).unwrap_or_else(|| FOREGROUND.into()),
        16..=231 => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            format!(
                "#{:02x}{:02x}{:02x}",
                level(i / 36),
                level((i / 6) % 6),
                level(i % 6)
            )
        }
        232..=255 => {
            let v = 8 + (i - 232) * 10;
            format!("#{v:02x}{v:02x}{v:02x}")
        }
    }
}
