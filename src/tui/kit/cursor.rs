//! A selection in a scrolling list: which row is selected and which row is at the top.

/// Row `selected` of a list of `len` rows, shown from row `offset` in a window of
/// `page` rows. Kept so that the selected row is always inside the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` rows (negative: up), stopping at the ends.
    pub fn move_by(&mut self, delta: isize, len: usize, page: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.keep_visible(len, page);
    }

    pub fn first(&mut self) {
        *self = Cursor::default();
    }

    pub fn last(&mut self, len: usize, page: usize) {
        self.selected = len.saturating_sub(1);
        self.keep_visible(len, page);
    }

    pub fn select(&mut self, row: usize, len: usize, page: usize) {
        self.selected = row;
        self.keep_visible(len, page);
    }

    /// After the list or the window changed size: selection in range, window around it.
    pub fn keep_visible(&mut self, len: usize, page: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        // No empty space below the last row while rows above are hidden.
        self.offset = self.offset.min(len.saturating_sub(page));
    }

    /// The window as render should show it, for a window of `page` rows. Pure, so that
    /// a resize between update and render still shows the selected row.
    pub fn window(&self, len: usize, page: usize) -> (usize, usize) {
        let mut shown = *self;
        shown.keep_visible(len, page);
        let end = (shown.offset + page).min(len);
        (shown.offset, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_past_the_window_scrolls_it() {
        let mut c = Cursor::default();
        c.move_by(5, 100, 3);
        assert_eq!(
            c,
            Cursor {
                selected: 5,
                offset: 3
            }
        );
        c.move_by(-10, 100, 3);
        assert_eq!(
            c,
            Cursor {
                selected: 0,
                offset: 0
            }
        );
        c.last(100, 3);
        assert_eq!(
            c,
            Cursor {
                selected: 99,
                offset: 97
            }
        );
    }
}
