//! SQLite implementation of the store (WAL, synchronous=FULL, group commit).
