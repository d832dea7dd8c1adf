//! Colours and emphasis. Only the 16 named colours plus modifiers, so the console reads
//! on any terminal; `monochrome` (for `NO_COLOR`) uses modifiers alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub hovered: Style,
    pub key: Style,
    pub ok: Style,
    pub error: Style,
    pub warn: Style,
    pub focus: Style,
    pub border: Style,
    pub tab_active: Style,
}

impl Theme {
    pub fn new(monochrome: bool) -> Theme {
        if monochrome {
            Theme::monochrome()
        } else {
            Theme::colour()
        }
    }

    fn colour() -> Theme {
        let base = Style::default();
        Theme {
            base,
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            header: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().bg(Color::Blue).fg(Color::White),
            hovered: Style::default().add_modifier(Modifier::UNDERLINED),
            key: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            ok: Style::default().fg(Color::Green),
            error: Style::default().fg(Color::LightRed),
            warn: Style::default().fg(Color::Yellow),
            focus: Style::default().fg(Color::Black).bg(Color::Cyan),
            border: Style::default().fg(Color::Gray),
            tab_active: Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        }
    }

    fn monochrome() -> Theme {
        let plain = Style::default();
        Theme {
            base: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: plain.add_modifier(Modifier::BOLD),
            header: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            hovered: plain.add_modifier(Modifier::UNDERLINED),
            key: plain.add_modifier(Modifier::BOLD),
            ok: plain.add_modifier(Modifier::BOLD),
            error: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            warn: plain.add_modifier(Modifier::BOLD),
            focus: plain.add_modifier(Modifier::REVERSED),
            border: plain,
            tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }
}
