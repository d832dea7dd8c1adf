//! Opening connections with the settings every connection needs, and mapping SQLite
//! errors onto `StoreError`.

use crate::store::StoreError;
use rusqlite::{Connection, ErrorCode, OpenFlags, ffi};
use std::path::Path;
use std::time::Duration;

/// How long a connection waits for a lock held by another connection or process
/// (e.g. a CLI writing to the same file) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Statements each connection keeps prepared: the store has a few dozen distinct ones,
/// and the writer one token INSERT per row count.
const STATEMENT_CACHE_CAPACITY: usize = 128;

/// Bytes of the file every connection maps: reads then copy nothing, and all
/// connections share the operating system's cache of the file instead of each
/// filling its own.
const MMAP_BYTES: u64 = 1 << 30;

/// Opens (creating if needed) the connection that performs every write.
pub(super) fn open_writer(path: &Path) -> Result<Connection, StoreError> {
    create_private_file(path)?;
    let conn = Connection::open(path).map_err(|e| open_error(path, &e))?;
    configure(&conn, path)?;
    // WAL lets readers run beside the writer; the mode is stored in the file.
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .map_err(|e| open_error(path, &e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Backend(format!(
            "cannot open database {}: journal mode is {mode:?}, WAL is required",
            path.display()
        )));
    }
    // FULL: a commit is on disk before it is acknowledged, also in WAL mode.
    // The page cache keeps SQLite's default (2 MiB) on purpose: at the end of every
    // transaction SQLite walks the cache's hash table, so a 64 MiB cache cost ~300 µs
    // per commit once full (tokens/s fell by a third at 1,000,000 rows), while the
    // memory map already serves reads of pages the small cache does not hold.
    conn.execute_batch(&format!(
        "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={};",
        super::checkpointer::WRITER_FALLBACK_PAGES
    ))
    .map_err(|e| open_error(path, &e))?;
    Ok(conn)
}

/// Opens the connection that checkpoints the WAL (`checkpointer`), after the writer
/// has set the file up. FULL: the checkpoint syncs the database file before the WAL
/// is reused.
pub(super) fn open_checkpointer(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| open_error(path, &e))?;
    configure(&conn, path)?;
    conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0;")
        .map_err(|e| open_error(path, &e))?;
    Ok(conn)
}

/// Creates the database file readable by its owner only, if it does not exist yet:
/// it holds hashes of every credential. SQLite gives its `-wal` and `-shm` files the
/// same permissions.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Backend(format!(
            "cannot create database {}: {e}",
            path.display()
        ))),
    }
}

/// Opens a read-only connection to a database the writer has already set up.
pub(super) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, &e))?;
    configure(&conn, path)?;
    Ok(conn)
}

fn configure(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| open_error(path, &e))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
    // Answers the size it granted (0 where mapping is unavailable); either is fine.
    conn.query_row(&format!("PRAGMA mmap_size={MMAP_BYTES}"), [], |_| Ok(()))
        .map_err(|e| open_error(path, &e))?;
    Ok(())
}

pub(super) fn open_error(path: &Path, e: &rusqlite::Error) -> StoreError {
    StoreError::Backend(format!("cannot open database {}: {e}", path.display()))
}

/// Unique and primary-key violations are conflicts; a missing referenced row (e.g. a
/// token for an unknown client) is `NotFound`; everything else is a backend failure.
pub(super) fn map_sqlite_error(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, _) = &e
        && failure.code == ErrorCode::ConstraintViolation
    {
        match failure.extended_code {
            ffi::SQLITE_CONSTRAINT_PRIMARYKEY | ffi::SQLITE_CONSTRAINT_UNIQUE => {
                return StoreError::Conflict;
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return StoreError::NotFound,
            _ => {}
        }
    }
    StoreError::Backend(e.to_string())
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        map_sqlite_error(e)
    }
}
