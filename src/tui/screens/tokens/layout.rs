//! Where the Active tokens tab puts its columns.

use crate::tui::kit::columns::ColumnSpec;

pub const TOKEN_COLUMNS: [ColumnSpec; 8] = [
    ColumnSpec {
        title: "App",
        min: 12,
        max: 24,
        drop_rank: 0,
    },
    ColumnSpec {
        title: "Kind",
        min: 7,
        max: 7,
        drop_rank: 5,
    },
    ColumnSpec {
        title: "Grant",
        min: 9,
        max: 18,
        drop_rank: 6,
    },
    ColumnSpec {
        title: "Scopes",
        min: 14,
        max: 14,
        drop_rank: 7,
    },
    ColumnSpec {
        title: "Subject",
        min: 10,
        max: 20,
        drop_rank: 4,
    },
    ColumnSpec {
        title: "Issued",
        min: 12,
        max: 12,
        drop_rank: 8,
    },
    ColumnSpec {
        title: "Expires in",
        min: 10,
        max: 10,
        drop_rank: 3,
    },
    ColumnSpec {
        title: "Status",
        min: 7,
        max: 7,
        drop_rank: 2,
    },
];
