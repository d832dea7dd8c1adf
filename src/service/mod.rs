//! The operations both the server and its tests call (no HTTP types).
