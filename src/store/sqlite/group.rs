//! One group commit: every write the writer took from its queue, in one transaction.
//! A write of arbitrary SQL runs in its own savepoint, so one failing write fails only
//! its caller. New tokens (the bulk of the writes) skip the savepoints: the tokens of
//! consecutive callers go in one multi-row INSERT, which SQLite applies or backs out
//! whole; when it fails, each caller's tokens are tried again alone, so the one bad
//! write still fails only its caller. The access tokens the group stored are counted
//! in the apps' usage before the COMMIT, one upsert per (app, hour) for the whole
//! group. Transaction and savepoint statements are prepared once per connection.

use super::connection::map_sqlite_error;
use super::token_cache::TokenCache;
use super::{tokens, usage};
use crate::domain::TokenRecord;
use crate::store::usage_hours::UsageTally;
use crate::store::{StoreError, StoreResult};
use rusqlite::Connection;
use tokio::sync::{OwnedSemaphorePermit, oneshot};

/// The most tokens in one INSERT: a statement per row count is prepared and kept.
const ROWS_PER_STATEMENT: usize = tokens::MAX_ROWS_PER_INSERT;

/// One queued write of arbitrary SQL: applied inside the group's transaction, answered
/// after it.
pub(in crate::store::sqlite) trait PendingWrite: Send {
    /// Runs the operation; false if it failed (its savepoint is then rolled back).
    fn apply(&mut self, conn: &Connection) -> bool;
    /// Replaces the outcome with a failure that happened around the operation.
    fn fail(&mut self, error: StoreError);
    /// Answers the caller once the group's fate is known.
    fn answer(self: Box<Self>, commit: Result<(), &str>);
}

/// What the writer's queue carries, with the room it takes in the queue.
pub(super) enum Queued {
    Write(Box<dyn PendingWrite>, OwnedSemaphorePermit),
    Tokens(TokenInsert, OwnedSemaphorePermit),
}

impl Queued {
    /// Answers the caller; the room in the queue is given back after.
    pub(super) fn answer(self, commit: Result<(), &str>) {
        match self {
            Queued::Write(job, _room) => job.answer(commit),
            Queued::Tokens(insert, _room) => insert.answer(commit),
        }
    }
}

/// The caller's answer: its own failure explains more than the group's.
fn outcome_of<T>(commit: Result<(), &str>, outcome: Option<StoreResult<T>>) -> StoreResult<T> {
    match (commit, outcome) {
        (_, Some(Err(e))) => Err(e),
        (Ok(()), Some(Ok(value))) => Ok(value),
        (Err(why), _) => Err(StoreError::Backend(why.to_string())),
        (Ok(()), None) => Err(StoreError::Backend("write was not run".to_string())),
    }
}

pub(in crate::store::sqlite) struct Job<T, F> {
    operation: Option<F>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Job<T, F> {
    pub(super) fn new(operation: F, reply: oneshot::Sender<StoreResult<T>>) -> Job<T, F> {
        Job {
            operation: Some(operation),
            outcome: None,
            reply,
        }
    }
}

impl<T, F> PendingWrite for Job<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> StoreResult<T> + Send,
{
    fn apply(&mut self, conn: &Connection) -> bool {
        let Some(operation) = self.operation.take() else {
            return false;
        };
        let outcome = operation(conn);
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn fail(&mut self, error: StoreError) {
        self.outcome = Some(Err(error));
    }

    fn answer(self: Box<Self>, commit: Result<(), &str>) {
        // The caller may have gone away (e.g. a dropped request); nothing to do then.
        let _ = self.reply.send(outcome_of(commit, self.outcome));
    }
}

/// New tokens of one caller: stored all or none.
pub(super) struct TokenInsert {
    records: Vec<TokenRecord>,
    outcome: Option<StoreResult<()>>,
    reply: oneshot::Sender<StoreResult<()>>,
}

impl TokenInsert {
    pub(super) fn new(records: Vec<TokenRecord>, reply: oneshot::Sender<StoreResult<()>>) -> Self {
        TokenInsert {
            records,
            outcome: None,
            reply,
        }
    }

    fn answer(self, commit: Result<(), &str>) {
        let _ = self.reply.send(outcome_of(commit, self.outcome));
    }
}

/// Runs a statement kept prepared on the connection.
fn run_cached(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// Applies every write of the group in one transaction and commits it. `tokens` learns
/// when the transaction holds the write lock and when it has committed, before any
/// caller of the group is answered (see `TokenCache`).
pub(super) fn commit_group(
    conn: &mut Connection,
    group: &mut [Queued],
    tokens: &TokenCache,
) -> Result<(), String> {
    let failed = |e: rusqlite::Error| format!("write not committed: {e}");
    run_cached(conn, "BEGIN IMMEDIATE").map_err(failed)?;
    let start = tokens.group_began(conn);
    let committed = apply_all(conn, group)
        .and_then(|()| count_usage(conn, group))
        .and_then(|()| run_cached(conn, "COMMIT"));
    if let Err(e) = committed {
        if !conn.is_autocommit() {
            let _ = run_cached(conn, "ROLLBACK");
        }
        return Err(failed(e));
    }
    // A revocation is never outlived in memory: anything but token inserts may have
    // changed rows the cache holds.
    let changes_rows = group.iter().any(|q| matches!(q, Queued::Write(..)));
    tokens.group_committed(conn, start, changes_rows);
    Ok(())
}

/// An error here means the transaction itself is unsound: the group fails.
fn apply_all(conn: &Connection, group: &mut [Queued]) -> rusqlite::Result<()> {
    let mut start = 0;
    while start < group.len() {
        let run = group[start..]
            .iter()
            .take_while(|q| matches!(q, Queued::Tokens(..)))
            .count();
        if run > 0 {
            insert_token_run(conn, &mut group[start..start + run])?;
            start += run;
            continue;
        }
        if let Queued::Write(job, _) = &mut group[start] {
            apply_in_savepoint(conn, job.as_mut())?;
        }
        start += 1;
    }
    Ok(())
}

/// The usage of the tokens the group stored (writes of arbitrary SQL count their own).
/// A failure here fails the group: no token is acknowledged without its count.
fn count_usage(conn: &Connection, group: &[Queued]) -> rusqlite::Result<()> {
    let mut tally = UsageTally::default();
    for queued in group {
        if let Queued::Tokens(insert, _) = queued
            && matches!(insert.outcome, Some(Ok(())))
        {
            tally.add(&insert.records);
        }
    }
    usage::add(conn, &tally)
}

fn apply_in_savepoint(conn: &Connection, job: &mut dyn PendingWrite) -> rusqlite::Result<()> {
    if let Err(e) = run_cached(conn, "SAVEPOINT write") {
        job.fail(map_sqlite_error(e));
        return Ok(());
    }
    if job.apply(conn) {
        match run_cached(conn, "RELEASE write") {
            Ok(()) => return Ok(()),
            Err(e) => job.fail(map_sqlite_error(e)),
        }
    }
    // Undoes this write only; if even that fails, the transaction is unsound.
    run_cached(conn, "ROLLBACK TO write")?;
    run_cached(conn, "RELEASE write")
}

fn records_of(queued: &Queued) -> &[TokenRecord] {
    match queued {
        Queued::Tokens(insert, _) => &insert.records,
        Queued::Write(..) => &[],
    }
}

fn set_outcome(queued: &mut Queued, outcome: StoreResult<()>) {
    if let Queued::Tokens(insert, _) = queued {
        insert.outcome = Some(outcome);
    }
}

/// Consecutive token inserts: as few statements as the row limit allows.
fn insert_token_run(conn: &Connection, run: &mut [Queued]) -> rusqlite::Result<()> {
    let mut start = 0;
    while start < run.len() {
        let mut rows = records_of(&run[start]).len();
        let mut end = start + 1;
        while end < run.len() && rows + records_of(&run[end]).len() <= ROWS_PER_STATEMENT {
            rows += records_of(&run[end]).len();
            end += 1;
        }
        insert_chunk(conn, &mut run[start..end])?;
        start = end;
    }
    Ok(())
}

fn insert_chunk(conn: &Connection, chunk: &mut [Queued]) -> rusqlite::Result<()> {
    let rows: Vec<&TokenRecord> = chunk.iter().flat_map(records_of).collect();
    let together = insert_rows(conn, &rows);
    match together {
        Ok(()) => {
            for queued in chunk.iter_mut() {
                set_outcome(queued, Ok(()));
            }
            return Ok(());
        }
        Err(e) if chunk.len() == 1 => {
            set_outcome(&mut chunk[0], Err(map_sqlite_error(e)));
            return unsound_if_ended(conn);
        }
        Err(_) => unsound_if_ended(conn)?,
    }
    // One of them is bad: each caller's tokens alone, so only its caller fails.
    for queued in chunk.iter_mut() {
        let rows: Vec<&TokenRecord> = records_of(queued).iter().collect();
        let outcome = insert_rows(conn, &rows).map_err(map_sqlite_error);
        set_outcome(queued, outcome);
        unsound_if_ended(conn)?;
    }
    Ok(())
}

/// One caller's tokens or several callers': one statement when they fit, else one
/// savepoint around a statement per row (a bulk insert).
fn insert_rows(conn: &Connection, rows: &[&TokenRecord]) -> rusqlite::Result<()> {
    if rows.len() <= ROWS_PER_STATEMENT {
        return tokens::insert_rows(conn, rows);
    }
    run_cached(conn, "SAVEPOINT bulk")?;
    let inserted = rows
        .chunks(ROWS_PER_STATEMENT)
        .try_for_each(|part| tokens::insert_rows(conn, part));
    if inserted.is_err() {
        run_cached(conn, "ROLLBACK TO bulk")?;
    }
    run_cached(conn, "RELEASE bulk")?;
    inserted
}

/// Some failures (disk full, I/O) make SQLite roll back the whole transaction.
fn unsound_if_ended(conn: &Connection) -> rusqlite::Result<()> {
    if conn.is_autocommit() {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
            Some("the group's transaction was rolled back".to_string()),
        ));
    }
    Ok(())
}
