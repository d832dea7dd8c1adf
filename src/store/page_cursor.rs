//! The opaque cursor of a token page: the sort key of the last token returned.

use crate::store::{StoreError, StoreResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Where the next page starts: just after (older than) this token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageCursor {
    pub issued_at: i64,
    pub id: String,
}

impl PageCursor {
    pub(crate) fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.issued_at, self.id))
    }

    pub(crate) fn decode(cursor: &str) -> StoreResult<PageCursor> {
        let invalid = || {
            StoreError::InvalidInput(
                "invalid page cursor: pass the cursor of the previous page unchanged".to_string(),
            )
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(cursor.trim())
            .map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (issued_at, id) = text.split_once(':').ok_or_else(invalid)?;
        let issued_at = issued_at.parse::<i64>().map_err(|_| invalid())?;
        if id.is_empty() {
            return Err(invalid());
        }
        Ok(PageCursor {
            issued_at,
            id: id.to_string(),
        })
    }
}

/// For the fuzz target: decoding never panics, and whatever decodes encodes back to
/// a cursor that decodes to the same position.
#[doc(hidden)]
pub fn check_page_cursor_round_trip(text: &str) {
    if let Ok(cursor) = PageCursor::decode(text) {
        let again = PageCursor::decode(&cursor.encode());
        assert!(matches!(again, Ok(ref c) if *c == cursor), "{text:?}");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn cursor_survives_a_round_trip_even_with_colons_in_the_id() {
        let cursor = PageCursor {
            issued_at: -5,
            id: "tok_a:b".to_string(),
        };
        assert_eq!(PageCursor::decode(&cursor.encode()).unwrap(), cursor);
    }

    #[test]
    fn garbage_cursor_is_a_clear_error() {
        for bad in ["", "!!!", "bm9jb2xvbg", "YWJjOg", "eHg6dG9r"] {
            let error = PageCursor::decode(bad).unwrap_err();
            assert!(error.to_string().contains("invalid page cursor"), "{bad}");
        }
    }
}
