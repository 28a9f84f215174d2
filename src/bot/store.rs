//! The bot's SQLite store: group settings, feedback votes (one per person and entry,
//! under a keyed hash — never a user id), how often each entry is answered, the questions
//! it could not answer (text only, kept for a limited time), the outbox of replies not
//! yet delivered, and how far polling has read.
//!
//! One connection behind a `std::sync::Mutex`: every use is a short synchronous query and
//! no lock is held across an `.await`, which is exactly when a blocking mutex is right.
//! Migrations run when the store opens (a database from a newer yibao-bot is refused);
//! tables are STRICT and the journal is WAL. On a full disk the store opens read-mostly:
//! reads work and every write is tried again when it comes. A database file deleted
//! while the bot runs is noticed and written back from the connection still open.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use tracing::warn;

use crate::engine::{Learnt, mask_identifiers};

/// Schema changes, in order. `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE group_settings (
        chat_id INTEGER PRIMARY KEY,
        autoanswer INTEGER NOT NULL DEFAULT 0
     ) STRICT;
     CREATE TABLE votes (
        entry_id TEXT NOT NULL,
        up INTEGER NOT NULL,
        at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX votes_by_entry ON votes (entry_id);
     CREATE TABLE answered (
        entry_id TEXT PRIMARY KEY,
        count INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE unanswered (
        question TEXT NOT NULL,
        outcome TEXT NOT NULL,
        at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX unanswered_by_time ON unanswered (at);",
    // One vote per person and entry (older votes have no voter and stay as they are);
    // replies waiting to be delivered; where polling has read up to.
    "ALTER TABLE votes ADD COLUMN voter BLOB;
     CREATE UNIQUE INDEX votes_one_per_voter ON votes (entry_id, voter);
     CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL,
        method TEXT NOT NULL,
        body TEXT NOT NULL,
        not_before INTEGER NOT NULL,
        created INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE poll_offset (
        bot_id INTEGER PRIMARY KEY,
        next_update INTEGER NOT NULL,
        at INTEGER NOT NULL
     ) STRICT;",
    // What reviewing an unanswered question decided (its text as stored, masked).
    "CREATE TABLE reviewed (
        question TEXT PRIMARY KEY,
        choice TEXT NOT NULL CHECK (choice IN ('phrasing', 'new', 'ignore')),
        entry_id TEXT,
        at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX unanswered_by_question ON unanswered (question);",
];

/// How often (at most) the store looks whether its file is still there: a `stat`, cheap
/// next to a write.
const FILE_CHECK_EVERY: Duration = Duration::from_millis(250);
/// A saved polling offset older than this is not used: Telegram keeps updates a day, and
/// after a week without any it numbers them afresh.
const OFFSET_MAX_AGE_SECS: i64 = 86_400;
/// Failing writes are reported at most this often.
const WRITE_FAILURE_REPORT_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database query failed")]
    Query(#[from] rusqlite::Error),
    #[error("{path} is not a yibao-bot database (no tables of ours in it): see --db")]
    NotOurs { path: String },
    #[error(
        "database {path} has schema version {found}, this yibao-bot expects {expected}: start the bot (`yibao-bot serve`) once to migrate it"
    )]
    Version {
        path: String,
        found: i64,
        expected: i64,
    },
    #[error(
        "database {path} has schema version {found}, newer than the {supported} this yibao-bot knows: it was written by a newer yibao-bot; run that one, or give another --db"
    )]
    Newer {
        path: String,
        found: i64,
        supported: i64,
    },
}

/// A reply waiting in the outbox: a Bot API call for one chat, due from `not_before`
/// (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub chat_id: i64,
    pub method: String,
    pub body: String,
    pub not_before: i64,
}

/// An unanswered question and how often it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    pub question: String,
    pub outcome: String,
    pub count: u64,
}

/// An unanswered question waiting for review: `id` names it in button data (the first
/// time it was stored), `count` is how often it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToReview {
    pub id: i64,
    pub question: String,
    pub count: u64,
}

/// What a reviewer decided about an unanswered question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// It asks what this entry answers: learnt as one of its phrasings.
    Phrasing(String),
    /// Nothing answers it yet: an entry should be written.
    NewEntry,
    /// Not worth an entry (chatter, off topic).
    Ignore,
}

/// A decision as stored, for the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub question: String,
    pub choice: Choice,
    /// How often it was asked (within the retention).
    pub count: u64,
}

/// Feedback on one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Votes {
    pub entry_id: String,
    pub up: u64,
    pub down: u64,
}

#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    db: Mutex<Db>,
    retention_days: u32,
    /// Whether to watch the file (not for a read-only `stats`).
    watch: bool,
    /// When failing writes were last reported, and how many failed since.
    failures: Mutex<(Option<Instant>, u64)>,
}

#[derive(Debug)]
struct Db {
    conn: Connection,
    /// The file the connection has open (to notice it deleted).
    file: Option<FileId>,
    checked: Instant,
}

/// What identifies a file: its device and inode, where there are such things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId(u64, u64);

fn file_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(FileId(0, 0))
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether opening may have failed for want of space: full, or an I/O error (a full
/// disk cannot grow the WAL's shared-memory file, which SQLite reports as I/O).
fn maybe_full(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure)
    )
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`. On a full disk an
    /// existing, current database opens read-mostly instead (with a warning).
    pub fn open(path: &Path, retention_days: u32) -> Result<Store, StoreError> {
        let conn = match open_writable(path) {
            Ok(conn) => conn,
            Err(StoreError::Open {
                path: shown,
                source,
            }) if maybe_full(&source) => match open_read_mostly(path) {
                Ok(conn) => {
                    warn!(
                        "database {shown}: cannot open it for writing ({source}: is the disk full?); running read-mostly: answers work, and each write is tried again as it comes"
                    );
                    conn
                }
                Err(_) => {
                    return Err(StoreError::Open {
                        path: shown,
                        source,
                    });
                }
            },
            Err(e) => return Err(e),
        };
        let store = Store {
            path: path.to_path_buf(),
            db: Mutex::new(Db {
                conn,
                file: file_id(path),
                checked: Instant::now(),
            }),
            retention_days,
            watch: true,
            failures: Mutex::new((None, 0)),
        };
        if let Err(e) = store.prune() {
            store.report(&e);
        }
        Ok(store)
    }

    /// Opens an existing database without changing it or creating any file next to it
    /// (for `stats`, `review` and `backup`, whoever runs them, while the bot may be
    /// running): no migration, no pruning. A database an older yibao-bot wrote is read
    /// as it is.
    ///
    /// A stopped bot leaves no `-wal` file: the database is then opened immutable (no
    /// locks, no `-shm`), so that a user who cannot write its folder can read it, and
    /// root leaves no root-owned files the bot's own user could not open. A running bot
    /// has its `-wal` and `-shm` open, and they are shared as they are.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let running = sidecar(path, "-wal").exists();
        let conn = if running {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        } else {
            let uri = immutable_uri(path).map_err(open_err)?;
            Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            )
        }
        .map_err(open_err)?;
        conn.pragma_update(None, "busy_timeout", 5000)
            .map_err(open_err)?;
        check_readable_version(&conn, path)?;
        Ok(Store {
            path: path.to_path_buf(),
            db: Mutex::new(Db {
                conn,
                file: None,
                checked: Instant::now(),
            }),
            retention_days: u32::MAX,
            watch: false,
            failures: Mutex::new((None, 0)),
        })
    }

    /// Copies the database, as it is at this moment, to a new file `to` (SQLite's online
    /// backup: the bot may go on writing meanwhile). Written next to `to` first and
    /// renamed into place once complete, so that `to` is never half a database.
    pub fn back_up(&self, to: &Path) -> Result<(), StoreError> {
        let partial = sidecar(to, ".partial");
        let open_err = |source| StoreError::Open {
            path: to.display().to_string(),
            source,
        };
        let _ = std::fs::remove_file(&partial);
        let copied = (|| {
            let mut dest = Connection::open(&partial)?;
            {
                let db = self.conn();
                let backup = rusqlite::backup::Backup::new(&db.conn, &mut dest)?;
                // All pages in one step (a consistent snapshot); busy: try again.
                let mut tries = 0;
                loop {
                    match backup.step(-1)? {
                        rusqlite::backup::StepResult::Done => break,
                        rusqlite::backup::StepResult::More => {}
                        _ if tries < 100 => {
                            tries += 1;
                            std::thread::sleep(Duration::from_millis(50));
                        }
                        _ => {
                            return Err(rusqlite::Error::SqliteFailure(
                                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                                Some("the database stayed busy for 5 s".into()),
                            ));
                        }
                    }
                }
            }
            let ok: String = dest.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                    Some(format!("the copy fails its check: {ok}")),
                ));
            }
            dest.close().map_err(|(_, e)| e)
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&partial);
            return Err(open_err(e));
        }
        std::fs::rename(&partial, to).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            open_err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(e.to_string()),
            ))
        })
    }

    /// Opens an existing database of this version for reading and writing, creating and
    /// migrating nothing (for `review`, beside a running bot).
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(open_err)?;
        conn.pragma_update(None, "busy_timeout", 5000)
            .map_err(open_err)?;
        check_version(&conn, path)?;
        Ok(Store {
            path: path.to_path_buf(),
            db: Mutex::new(Db {
                conn,
                file: None,
                checked: Instant::now(),
            }),
            retention_days: u32::MAX,
            watch: false,
            failures: Mutex::new((None, 0)),
        })
    }

    /// The connection, after looking (every few seconds) whether the file is still there.
    fn conn(&self) -> std::sync::MutexGuard<'_, Db> {
        // A panic while holding the lock leaves the connection usable: recover it.
        let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        if self.watch && db.checked.elapsed() >= FILE_CHECK_EVERY {
            db.checked = Instant::now();
            if db.file.is_some() && file_id(&self.path).is_none() {
                self.recreate(&mut db);
            }
        }
        db
    }

    /// The file was deleted under us: write what the open connection still sees back to
    /// the path, and go on with that file.
    fn recreate(&self, db: &mut Db) {
        let path = self.path.display();
        let copied = db
            .conn
            .execute("VACUUM INTO ?1", [self.path.to_string_lossy()])
            .map_err(StoreError::from)
            .and_then(|_| open_writable(&self.path));
        match copied {
            Ok(conn) => {
                warn!(
                    "database {path} was deleted while the bot was running: recreated it from the open connection (nothing lost)"
                );
                db.conn = conn;
                db.file = file_id(&self.path);
            }
            Err(e) => {
                warn!(
                    "database {path} was deleted while the bot was running and could not be recreated ({}); what is recorded now is lost when the bot stops",
                    super::error::one_line(&e)
                );
                db.file = None;
            }
        }
    }

    /// Logs a failed write: the first at once, then at most one line a minute.
    pub fn report(&self, err: &StoreError) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.1 += 1;
        let due = failures
            .0
            .is_none_or(|t| t.elapsed() >= WRITE_FAILURE_REPORT_EVERY);
        if due {
            let extra = match failures.1 {
                1 => String::new(),
                n => format!(" ({n} failed writes since the last report)"),
            };
            warn!(
                "could not record to the database {}: {}{extra}; answers are not affected",
                self.path.display(),
                super::error::one_line(err)
            );
            *failures = (Some(Instant::now()), 0);
        }
    }

    pub fn autoanswer(&self, chat_id: i64) -> Result<bool, StoreError> {
        let on: Option<i64> = self
            .conn()
            .conn
            .query_row(
                "SELECT autoanswer FROM group_settings WHERE chat_id = ?1",
                [chat_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(on == Some(1))
    }

    pub fn set_autoanswer(&self, chat_id: i64, on: bool) -> Result<(), StoreError> {
        self.conn().conn.execute(
            "INSERT INTO group_settings (chat_id, autoanswer) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET autoanswer = excluded.autoanswer",
            params![chat_id, on as i64],
        )?;
        Ok(())
    }

    /// Records `voter`'s 👍 or 👎 on an entry; a second vote of the same voter on the same
    /// entry replaces the first. `voter` is an opaque key (see `bot::voter`), never an id.
    pub fn record_vote(&self, entry_id: &str, voter: &[u8], up: bool) -> Result<(), StoreError> {
        self.conn().conn.execute(
            "INSERT INTO votes (entry_id, voter, up, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (entry_id, voter) DO UPDATE SET up = excluded.up, at = excluded.at",
            params![entry_id, voter, up as i64, now()],
        )?;
        Ok(())
    }

    pub fn record_answered(&self, entry_id: &str) -> Result<(), StoreError> {
        self.conn().conn.execute(
            "INSERT INTO answered (entry_id, count) VALUES (?1, 1)
             ON CONFLICT (entry_id) DO UPDATE SET count = count + 1",
            [entry_id],
        )?;
        Ok(())
    }

    /// Keeps a question that got `suggest` or `none` (its text only, identifiers such as
    /// ID card and phone numbers masked), and forgets those older than the retention
    /// period.
    pub fn record_unanswered(&self, question: &str, outcome: &str) -> Result<(), StoreError> {
        let question: String = question.trim().chars().take(500).collect();
        let question = mask_identifiers(&question).into_owned();
        if question.is_empty() {
            return Ok(());
        }
        self.conn().conn.execute(
            "INSERT INTO unanswered (question, outcome, at) VALUES (?1, ?2, ?3)",
            params![question, outcome, now()],
        )?;
        // A bot runs for months: forget what is past the retention as it goes.
        self.prune()?;
        Ok(())
    }

    /// Deletes unanswered questions older than the retention period.
    pub fn prune(&self) -> Result<usize, StoreError> {
        let cutoff = now() - i64::from(self.retention_days) * 86_400;
        Ok(self
            .conn()
            .conn
            .execute("DELETE FROM unanswered WHERE at < ?1", [cutoff])?)
    }

    /// Ids of the most answered entries, most first.
    pub fn popular(&self, n: usize) -> Result<Vec<String>, StoreError> {
        let db = self.conn();
        let mut stmt = db
            .conn
            .prepare("SELECT entry_id FROM answered ORDER BY count DESC, entry_id LIMIT ?1")?;
        let ids = stmt
            .query_map([n as i64], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// The most frequent unanswered questions of the last `days` days.
    pub fn unanswered(&self, days: u32, n: usize) -> Result<Vec<Unanswered>, StoreError> {
        let cutoff = now() - i64::from(days) * 86_400;
        let db = self.conn();
        let mut stmt = db.conn.prepare(
            "SELECT question, outcome, COUNT(*) AS n FROM unanswered WHERE at >= ?1
             GROUP BY question, outcome ORDER BY n DESC, MAX(at) DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![cutoff, n as i64], |r| {
                Ok(Unanswered {
                    question: r.get(0)?,
                    outcome: r.get(1)?,
                    count: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// 👍 and 👎 per entry over the last `days` days, most votes first.
    pub fn votes(&self, days: u32) -> Result<Vec<Votes>, StoreError> {
        let cutoff = now() - i64::from(days) * 86_400;
        let db = self.conn();
        let mut stmt = db.conn.prepare(
            "SELECT entry_id, SUM(up), SUM(1 - up) FROM votes WHERE at >= ?1
             GROUP BY entry_id ORDER BY COUNT(*) DESC, entry_id",
        )?;
        let rows = stmt
            .query_map([cutoff], |r| {
                Ok(Votes {
                    entry_id: r.get(0)?,
                    up: r.get::<_, i64>(1)? as u64,
                    down: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The most frequent unanswered questions of the last `days` days not reviewed yet.
    pub fn to_review(&self, days: u32, n: usize) -> Result<Vec<ToReview>, StoreError> {
        let cutoff = now() - i64::from(days) * 86_400;
        let db = self.conn();
        let mut stmt = db.conn.prepare(
            "SELECT MIN(rowid), question, COUNT(*) AS n FROM unanswered u
             WHERE at >= ?1 AND NOT EXISTS (SELECT 1 FROM reviewed r WHERE r.question = u.question)
             GROUP BY question ORDER BY n DESC, MAX(at) DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![cutoff, n as i64], |r| {
                Ok(ToReview {
                    id: r.get(0)?,
                    question: r.get(1)?,
                    count: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The unanswered question stored as `id` (see [`ToReview`]), if still kept.
    pub fn unanswered_question(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .conn
            .query_row(
                "SELECT question FROM unanswered WHERE rowid = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records (or changes) the decision about `question`.
    pub fn record_review(&self, question: &str, choice: &Choice) -> Result<(), StoreError> {
        let (kind, entry) = match choice {
            Choice::Phrasing(entry) => ("phrasing", Some(entry.as_str())),
            Choice::NewEntry => ("new", None),
            Choice::Ignore => ("ignore", None),
        };
        self.conn().conn.execute(
            "INSERT INTO reviewed (question, choice, entry_id, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (question) DO UPDATE SET
                choice = excluded.choice, entry_id = excluded.entry_id, at = excluded.at",
            params![question, kind, entry, now()],
        )?;
        Ok(())
    }

    /// Every decision, oldest first, with how often its question was asked.
    pub fn reviewed(&self) -> Result<Vec<Reviewed>, StoreError> {
        let db = self.conn();
        let mut stmt = db.conn.prepare(
            "SELECT r.question, r.choice, r.entry_id,
                    (SELECT COUNT(*) FROM unanswered u WHERE u.question = r.question)
             FROM reviewed r ORDER BY r.at, r.rowid",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let choice = match (
                    r.get::<_, String>(1)?.as_str(),
                    r.get::<_, Option<String>>(2)?,
                ) {
                    ("phrasing", Some(entry)) => Choice::Phrasing(entry),
                    ("new", _) => Choice::NewEntry,
                    _ => Choice::Ignore,
                };
                Ok(Reviewed {
                    question: r.get(0)?,
                    choice,
                    count: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The phrasings learnt by review, oldest first (read every few seconds by a running
    /// bot: one small table, no join).
    pub fn learnt_phrasings(&self) -> Result<Vec<Learnt>, StoreError> {
        let db = self.conn();
        let mut stmt = db.conn.prepare_cached(
            "SELECT entry_id, question FROM reviewed
             WHERE choice = 'phrasing' AND entry_id IS NOT NULL ORDER BY at, rowid",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Learnt {
                    entry_id: r.get(0)?,
                    phrasing: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Adds replies to the outbox, in order, in one transaction; returns their ids.
    pub fn outbox_add(&self, rows: &[(i64, &str, &str, i64)]) -> Result<Vec<i64>, StoreError> {
        let mut db = self.conn();
        let tx = db.conn.transaction()?;
        let mut ids = Vec::with_capacity(rows.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO outbox (chat_id, method, body, not_before, created)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (chat_id, method, body, not_before) in rows {
                insert.execute(params![chat_id, method, body, not_before, now()])?;
                ids.push(tx.last_insert_rowid());
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// How many replies wait in the outbox.
    pub fn outbox_len(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn()
            .conn
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// A reply delivered (or given up): out of the outbox.
    pub fn outbox_remove(&self, id: i64) -> Result<(), StoreError> {
        self.conn()
            .conn
            .prepare_cached("DELETE FROM outbox WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Every reply still waiting, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        let db = self.conn();
        let mut stmt = db
            .conn
            .prepare("SELECT id, chat_id, method, body, not_before FROM outbox ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OutboxRow {
                    id: r.get(0)?,
                    chat_id: r.get(1)?,
                    method: r.get(2)?,
                    body: r.get(3)?,
                    not_before: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The first update id polling has not handled yet, for bot `bot_id`, if it was
    /// saved within the last day.
    pub fn poll_offset(&self, bot_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn()
            .conn
            .query_row(
                "SELECT next_update FROM poll_offset WHERE bot_id = ?1 AND at >= ?2",
                params![bot_id, now() - OFFSET_MAX_AGE_SECS],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every update before `next_update` has been handled.
    pub fn set_poll_offset(&self, bot_id: i64, next_update: i64) -> Result<(), StoreError> {
        self.conn()
            .conn
            .prepare_cached(
                "INSERT INTO poll_offset (bot_id, next_update, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (bot_id) DO UPDATE SET next_update = excluded.next_update, at = excluded.at",
            )?
            .execute(params![bot_id, next_update, now()])?;
        Ok(())
    }
}

/// Opens, creates and migrates the database for reading and writing.
fn open_writable(path: &Path) -> Result<Connection, StoreError> {
    let open_err = |source| StoreError::Open {
        path: path.display().to_string(),
        source,
    };
    let mut conn = Connection::open(path).map_err(open_err)?;
    conn.pragma_update(None, "busy_timeout", 5000)
        .map_err(open_err)?;
    // A newer schema is refused before anything is written.
    let found = version(&conn).map_err(open_err)?;
    if found > MIGRATIONS.len() as i64 {
        return Err(newer(path, found));
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(open_err)?;
    migrate(&mut conn).map_err(open_err)?;
    Ok(conn)
}

/// Opens an existing, current database without creating or changing anything, and
/// without the WAL's shared-memory file (which a full disk cannot grow): in exclusive
/// locking mode, so `stats` cannot read it meanwhile.
fn open_read_mostly(path: &Path) -> Result<Connection, StoreError> {
    let open_err = |source| StoreError::Open {
        path: path.display().to_string(),
        source,
    };
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(open_err)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(open_err)?;
    conn.pragma_update(None, "busy_timeout", 5000)
        .map_err(open_err)?;
    check_version(&conn, path)?;
    Ok(conn)
}

/// `bot.db-wal` for `bot.db`.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// `file:/abs/path?immutable=1`, the path percent-encoded as a URI wants it.
fn immutable_uri(path: &Path) -> Result<String, rusqlite::Error> {
    let absolute = std::path::absolute(path)
        .map_err(|e| rusqlite::Error::InvalidPath(PathBuf::from(e.to_string())))?;
    let url = url::Url::from_file_path(&absolute)
        .map_err(|()| rusqlite::Error::InvalidPath(absolute.clone()))?;
    Ok(format!("{url}?immutable=1"))
}

fn version(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

fn newer(path: &Path, found: i64) -> StoreError {
    StoreError::Newer {
        path: path.display().to_string(),
        found,
        supported: MIGRATIONS.len() as i64,
    }
}

/// For reading only: any schema this version knows (an older one is read as it is).
fn check_readable_version(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = version(conn).map_err(|source| StoreError::Open {
        path: path.display().to_string(),
        source,
    })?;
    if found > MIGRATIONS.len() as i64 {
        return Err(newer(path, found));
    }
    if found == 0 {
        return Err(StoreError::NotOurs {
            path: path.display().to_string(),
        });
    }
    Ok(())
}

/// The schema must be exactly this version's.
fn check_version(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = version(conn).map_err(|source| StoreError::Open {
        path: path.display().to_string(),
        source,
    })?;
    let expected = MIGRATIONS.len() as i64;
    if found > expected {
        return Err(newer(path, found));
    }
    if found != expected {
        return Err(StoreError::Version {
            path: path.display().to_string(),
            found,
            expected,
        });
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let done = version(conn)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_votes_and_questions_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        {
            let store = Store::open(&path, 90).unwrap();
            store.set_autoanswer(-100, true).unwrap();
            store.record_vote("a", b"voter-1", true).unwrap();
            store.record_vote("a", b"voter-2", false).unwrap();
            store.record_vote("a", b"voter-3", true).unwrap();
            // The same voter again on the same entry: replaces, does not add.
            store.record_vote("a", b"voter-2", false).unwrap();
            store.record_answered("b").unwrap();
            store.record_answered("b").unwrap();
            store.record_answered("a").unwrap();
            store.record_unanswered("养老金怎么算", "none").unwrap();
            store.record_unanswered("养老金怎么算", "none").unwrap();
            store.record_unanswered("  ", "none").unwrap();
        }
        let store = Store::open(&path, 90).unwrap();
        assert!(store.autoanswer(-100).unwrap());
        assert!(!store.autoanswer(-200).unwrap());
        assert_eq!(
            store.votes(30).unwrap(),
            vec![Votes {
                entry_id: "a".into(),
                up: 2,
                down: 1
            }]
        );
        assert_eq!(store.popular(5).unwrap(), vec!["b", "a"]);
        let unanswered = store.unanswered(30, 10).unwrap();
        assert_eq!(unanswered.len(), 1);
        assert_eq!(unanswered[0].count, 2);
    }

    #[test]
    fn identifiers_are_masked_before_a_question_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        let store = Store::open(&path, 90).unwrap();
        for (asked, kept) in [
            (
                "身份证110101199003071234怎么查",
                "身份证110***********1234怎么查",
            ),
            (
                "我手机13812345678收不到验证码",
                "我手机138****5678收不到验证码",
            ),
            ("社保卡号 123456789 丢了", "社保卡号 12*****89 丢了"),
            (
                "银行卡6222021234567890绑不上",
                "银行卡622*********7890绑不上",
            ),
        ] {
            store.record_unanswered(asked, "none").unwrap();
            let stored = store.unanswered(1, 10).unwrap();
            assert!(
                stored.iter().any(|u| u.question == kept),
                "{asked}: {stored:?}"
            );
        }
        drop(store);
        // Nothing of the numbers is anywhere in the file.
        let bytes = std::fs::read(&path).unwrap();
        let wal = std::fs::read(dir.path().join("bot.db-wal")).unwrap_or_default();
        for number in ["1101011990", "12345678", "2345678", "0212345"] {
            for file in [&bytes, &wal] {
                assert!(
                    !file.windows(number.len()).any(|w| w == number.as_bytes()),
                    "{number} is in the database"
                );
            }
        }
    }

    #[test]
    fn old_unanswered_questions_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bot.db"), 90).unwrap();
        let expired = |store: &Store| {
            store
                .conn()
                .conn
                .execute(
                    "INSERT INTO unanswered (question, outcome, at) VALUES ('旧问题', 'none', ?1)",
                    [now() - 91 * 86_400],
                )
                .unwrap()
        };
        expired(&store);
        assert_eq!(store.prune().unwrap(), 1);
        expired(&store);
        // Recording a new question forgets the expired ones too.
        store.record_unanswered("新问题", "suggest").unwrap();
        let left = store.unanswered(365, 10).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].question, "新问题");
    }

    #[test]
    fn one_vote_per_voter_and_entry_the_last_one_counts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bot.db"), 90).unwrap();
        store.record_vote("a", b"k1", true).unwrap();
        store.record_vote("a", b"k1", false).unwrap();
        store.record_vote("b", b"k1", true).unwrap();
        let votes = store.votes(1).unwrap();
        let a = votes.iter().find(|v| v.entry_id == "a").unwrap();
        assert_eq!((a.up, a.down), (0, 1));
        assert_eq!(votes.len(), 2);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        drop(Store::open(&path, 90).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        for err in [
            Store::open(&path, 90).unwrap_err(),
            Store::open_read_only(&path).unwrap_err(),
        ] {
            let message = err.to_string();
            assert!(
                message.contains("schema version 99") && message.contains("newer than the 3"),
                "{message}"
            );
        }
        let conn = Connection::open(&path).unwrap();
        assert_eq!(version(&conn).unwrap(), 99);
    }

    #[test]
    fn a_deleted_database_is_written_back_with_what_it_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        let store = Store::open(&path, 90).unwrap();
        store.set_autoanswer(-100, true).unwrap();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        store.db.lock().unwrap().checked = Instant::now() - FILE_CHECK_EVERY;
        store.set_autoanswer(-200, true).unwrap();
        drop(store);
        assert!(path.exists());
        let store = Store::open(&path, 90).unwrap();
        assert!(store.autoanswer(-100).unwrap() && store.autoanswer(-200).unwrap());
    }

    #[test]
    fn the_outbox_and_the_poll_offset_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.db");
        {
            let store = Store::open(&path, 90).unwrap();
            let ids = store
                .outbox_add(&[
                    (7, "SendMessage", "{}", 0),
                    (7, "SendMessage", "{\"n\":2}", 5),
                ])
                .unwrap();
            store.outbox_remove(ids[0]).unwrap();
            store.set_poll_offset(42, 1001).unwrap();
        }
        let store = Store::open(&path, 90).unwrap();
        let rows = store.outbox().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].chat_id, rows[0].not_before), (7, 5));
        assert_eq!(store.poll_offset(42).unwrap(), Some(1001));
        assert_eq!(store.poll_offset(43).unwrap(), None);
    }

    #[test]
    fn on_a_full_database_writes_fail_as_full_and_reads_still_work() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bot.db"), 90).unwrap();
        store.set_autoanswer(-1, true).unwrap();
        {
            let db = store.db.lock().unwrap();
            let pages: i64 = db
                .conn
                .pragma_query_value(None, "page_count", |r| r.get(0))
                .unwrap();
            db.conn
                .pragma_update(None, "max_page_count", pages)
                .unwrap();
        }
        let err = (0..10_000)
            .find_map(|i| {
                store
                    .record_unanswered(&format!("{i}{}", "问".repeat(400)), "none")
                    .err()
            })
            .expect("the database fills up");
        assert!(
            matches!(&err, StoreError::Query(e) if e.sqlite_error_code() == Some(ErrorCode::DiskFull)),
            "{err:?}"
        );
        assert!(store.autoanswer(-1).unwrap());
        store.report(&err);
    }
}
