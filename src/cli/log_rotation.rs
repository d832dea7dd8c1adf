//! A log file that rotates by size: `oauth-console.log` grows to `max_bytes`, then
//! becomes `oauth-console.log.1` (the older ones shift up), and only `max_files`
//! rotated files are kept. The disk a busy server's logs take is bounded by
//! `max_bytes × (max_files + 1)`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How big a log file grows and how many rotated ones are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogRotation {
    pub max_bytes: u64,
    pub max_files: usize,
}

impl Default for LogRotation {
    fn default() -> Self {
        LogRotation {
            max_bytes: 10 * 1024 * 1024,
            max_files: 5,
        }
    }
}

pub struct SizeRotatingFile {
    path: PathBuf,
    rotation: LogRotation,
    file: File,
    size: u64,
}

fn open_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

impl SizeRotatingFile {
    /// Opens (appending to) `dir/<name>`.
    pub fn open(dir: &Path, name: &str, rotation: LogRotation) -> io::Result<SizeRotatingFile> {
        let path = dir.join(name);
        let file = open_append(&path)?;
        let size = file.metadata()?.len();
        Ok(SizeRotatingFile {
            path,
            rotation,
            file,
            size,
        })
    }

    fn numbered(&self, n: usize) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        if self.rotation.max_files == 0 {
            self.file = File::create(&self.path)?;
            self.size = 0;
            return Ok(());
        }
        let _ = std::fs::remove_file(self.numbered(self.rotation.max_files));
        for n in (1..self.rotation.max_files).rev() {
            let from = self.numbered(n);
            if from.exists() {
                std::fs::rename(&from, self.numbered(n + 1))?;
            }
        }
        std::fs::rename(&self.path, self.numbered(1))?;
        self.file = open_append(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

impl Write for SizeRotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // One event is one write: it goes whole into one file.
        if self.size > 0 && self.size + buf.len() as u64 > self.rotation.max_bytes {
            self.rotate()?;
        }
        let written = self.file.write(buf)?;
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn files_rotate_at_the_size_and_only_the_newest_are_kept() {
        let dir = tempfile::TempDir::new().unwrap();
        let rotation = LogRotation {
            max_bytes: 100,
            max_files: 2,
        };
        let mut log = SizeRotatingFile::open(dir.path(), "test.log", rotation).unwrap();
        let line = [b'x'; 39];
        for _ in 0..30 {
            log.write_all(&line).unwrap();
            log.write_all(b"\n").unwrap();
        }
        log.flush().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["test.log", "test.log.1", "test.log.2"]);
        for name in names {
            let size = std::fs::metadata(dir.path().join(name)).unwrap().len();
            assert!(size <= 100, "{size}");
        }
    }
}
