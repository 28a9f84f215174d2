//! The bot's SQLite store: group settings, feedback votes, how often each entry is
//! answered, and the questions it could not answer (text only — no user or chat ids —
//! kept for a limited time) so maintainers can grow the corpus.
//!
//! One connection behind a `std::sync::Mutex`: every use is a short synchronous query and
//! no lock is held across an `.await`, which is exactly when a blocking mutex is right.
//! Migrations run when the store opens; tables are STRICT and the journal is WAL.

use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// Schema changes, in order. `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &["CREATE TABLE group_settings (
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
     CREATE INDEX unanswered_by_time ON unanswered (at);"];

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
    #[error(
        "database {path} has schema version {found}, this yibao-bot expects {expected}: run `yibao-bot serve` once to migrate it"
    )]
    Version {
        path: String,
        found: i64,
        expected: i64,
    },
}

/// An unanswered question and how often it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    pub question: String,
    pub outcome: String,
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
    conn: Mutex<Connection>,
    retention_days: u32,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path, retention_days: u32) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "busy_timeout", 5000)
            .map_err(open_err)?;
        migrate(&mut conn).map_err(open_err)?;
        let store = Store {
            conn: Mutex::new(conn),
            retention_days,
        };
        store.prune()?;
        Ok(store)
    }

    /// Opens an existing database without changing it (for `stats`, while the bot may be
    /// running): no migration, no pruning.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(open_err)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        if version != MIGRATIONS.len() as i64 {
            return Err(StoreError::Version {
                path: path.display().to_string(),
                found: version,
                expected: MIGRATIONS.len() as i64,
            });
        }
        Ok(Store {
            conn: Mutex::new(conn),
            retention_days: u32::MAX,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: recover it.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn autoanswer(&self, chat_id: i64) -> Result<bool, StoreError> {
        let on: Option<i64> = self
            .conn()
            .query_row(
                "SELECT autoanswer FROM group_settings WHERE chat_id = ?1",
                [chat_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(on == Some(1))
    }

    pub fn set_autoanswer(&self, chat_id: i64, on: bool) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO group_settings (chat_id, autoanswer) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET autoanswer = excluded.autoanswer",
            params![chat_id, on as i64],
        )?;
        Ok(())
    }

    pub fn record_vote(&self, entry_id: &str, up: bool) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO votes (entry_id, up, at) VALUES (?1, ?2, ?3)",
            params![entry_id, up as i64, now()],
        )?;
        Ok(())
    }

    pub fn record_answered(&self, entry_id: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO answered (entry_id, count) VALUES (?1, 1)
             ON CONFLICT (entry_id) DO UPDATE SET count = count + 1",
            [entry_id],
        )?;
        Ok(())
    }

    /// Keeps a question that got `suggest` or `none` (its text only), and forgets those
    /// older than the retention period.
    pub fn record_unanswered(&self, question: &str, outcome: &str) -> Result<(), StoreError> {
        let question: String = question.trim().chars().take(500).collect();
        if question.is_empty() {
            return Ok(());
        }
        self.conn().execute(
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
            .execute("DELETE FROM unanswered WHERE at < ?1", [cutoff])?)
    }

    /// Ids of the most answered entries, most first.
    pub fn popular(&self, n: usize) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT entry_id FROM answered ORDER BY count DESC, entry_id LIMIT ?1")?;
        let ids = stmt
            .query_map([n as i64], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// The most frequent unanswered questions of the last `days` days.
    pub fn unanswered(&self, days: u32, n: usize) -> Result<Vec<Unanswered>, StoreError> {
        let cutoff = now() - i64::from(days) * 86_400;
        let conn = self.conn();
        let mut stmt = conn.prepare(
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
        let conn = self.conn();
        let mut stmt = conn.prepare(
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
}

fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
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
            store.record_vote("a", true).unwrap();
            store.record_vote("a", false).unwrap();
            store.record_vote("a", true).unwrap();
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
    fn old_unanswered_questions_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bot.db"), 90).unwrap();
        let expired = |store: &Store| {
            store
                .conn()
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
}
