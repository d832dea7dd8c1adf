//! Colours and emphasis. Only the 16 named colours plus modifiers, so the console reads
//! on any terminal; `monochrome` (for `NO_COLOR`) uses modifiers alone.

use crate::config::ThemeName;
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
    /// A table row's style: the selection wins over the mouse's hover.
    pub fn row(&self, selected: bool, hovered: bool) -> Style {
        if selected {
            self.selected
        } else if hovered {
            self.hovered
        } else {
            self.base
        }
    }

    pub fn new(monochrome: bool) -> Theme {
        if monochrome {
            Theme::monochrome()
        } else {
            Theme::colour()
        }
    }

    /// The theme named in the config; `monochrome` (`NO_COLOR`) wins over any name.
    pub fn pick(name: ThemeName, monochrome: bool) -> Theme {
        match name {
            _ if monochrome => Theme::monochrome(),
            ThemeName::Dark => Theme::colour(),
            ThemeName::Light => Theme::light(),
            ThemeName::Monochrome => Theme::monochrome(),
        }
    }

    /// For light terminal backgrounds: dark text, no pale yellow or cyan on white.
    fn light() -> Theme {
        let base = Style::default();
        Theme {
            base,
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            header: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().bg(Color::LightBlue).fg(Color::Black),
            hovered: Style::default().add_modifier(Modifier::UNDERLINED),
            key: Style::default()
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
            ok: Style::default().fg(Color::Green),
            error: Style::default().fg(Color::Red),
            warn: Style::default()
                .fg(Color::Red)
                .add_modifier(Modifier::ITALIC),
            focus: Style::default().fg(Color::White).bg(Color::Blue),
            border: Style::default().fg(Color::DarkGray),
            tab_active: Style::default()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(t: &Theme) -> [Style; 13] {
        [
            t.base,
            t.dim,
            t.title,
            t.header,
            t.selected,
            t.hovered,
            t.key,
            t.ok,
            t.error,
            t.warn,
            t.focus,
            t.border,
            t.tab_active,
        ]
    }

    #[test]
    fn light_theme_differs_from_dark() {
        let dark = styles(&Theme::pick(ThemeName::Dark, false));
        let light = styles(&Theme::pick(ThemeName::Light, false));
        let differing = dark.iter().zip(&light).filter(|(d, l)| d != l).count();
        assert!(differing >= 5, "only {differing} styles differ");
    }

    #[test]
    fn monochrome_and_no_color_use_no_colours_at_all() {
        for theme in [
            Theme::pick(ThemeName::Monochrome, false),
            Theme::pick(ThemeName::Light, true),
            Theme::pick(ThemeName::Dark, true),
        ] {
            for style in styles(&theme) {
                assert!(style.fg.is_none() && style.bg.is_none(), "{style:?}");
            }
        }
    }
}
