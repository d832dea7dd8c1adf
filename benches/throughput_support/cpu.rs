//! CPU time from /proc: this process (the server under test runs in it), its SQLite
//! writer thread, and every PostgreSQL server process on this machine.

#[derive(Clone, Copy)]
pub struct CpuSeconds {
    pub process: f64,
    pub writer: f64,
    pub database: f64,
}

impl CpuSeconds {
    pub fn now() -> Option<CpuSeconds> {
        let process = ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?;
        let mut writer = 0.0;
        for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if comm.trim() == "sqlite-writer" {
                writer += ticks(&std::fs::read_to_string(task.path().join("stat")).ok()?)?;
            }
        }
        let mut database = 0.0;
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            if stat.contains(" (postgres) ") {
                database += ticks(&stat).unwrap_or(0.0);
            }
        }
        Some(CpuSeconds {
            process,
            writer,
            database,
        })
    }

    pub fn minus(self, earlier: CpuSeconds) -> CpuSeconds {
        CpuSeconds {
            process: self.process - earlier.process,
            writer: self.writer - earlier.writer,
            database: self.database - earlier.database,
        }
    }
}

/// utime + stime of a `stat` line, in seconds (USER_HZ is 100 on Linux).
fn ticks(stat: &str) -> Option<f64> {
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}
