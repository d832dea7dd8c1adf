//! Non-interactive subcommands (apps, tokens, users, admin-keys); --json.
