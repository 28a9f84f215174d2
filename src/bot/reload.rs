//! The corpus, reloaded while the bot runs (on SIGHUP, or `/reload` from an admin). The
//! folder is loaded and validated again off the async threads; a valid corpus is swapped
//! in at once, an invalid one is refused and the old one keeps serving.
//!
//! What is swapped is the whole [`App`] an update is handled with (a copy with the new
//! matcher, everything else shared): each update takes the current one when it starts,
//! so a question in flight finishes on the corpus it started with.
//!
//! The matcher is the folder's corpus plus the phrasings learnt by review (kept in the
//! database): a review decision swaps in a matcher with it learnt, the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tracing::{info, warn};

use super::App;
use crate::engine::{Corpus, CorpusError, Learnt, Matcher};

/// The [`App`] updates are handled with now.
#[derive(Debug)]
pub struct Live {
    app: RwLock<Arc<App>>,
    /// The corpus folder, when the bot knows where it is (tests may give a matcher only).
    faq: Option<PathBuf>,
    /// One reload at a time: a second waits for the first and then loads again.
    reloading: tokio::sync::Mutex<()>,
    /// The folder's corpus as last loaded, without learnt phrasings, and the learnt
    /// phrasings the current matcher has.
    base: Mutex<(Corpus, Vec<Learnt>)>,
}

/// What a reload changed, by entry id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub entries: usize,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// How a reload went.
#[derive(Debug)]
pub enum Reloaded {
    Swapped(Change),
    /// The folder is not servable: its errors, one line each (warnings left out).
    Refused(Vec<String>),
}

impl Live {
    /// `app` answers from `base` with `learnt` added.
    pub fn new(app: Arc<App>, base: Corpus, learnt: Vec<Learnt>, faq: Option<PathBuf>) -> Live {
        Live {
            app: RwLock::new(app),
            faq,
            reloading: tokio::sync::Mutex::new(()),
            base: Mutex::new((base, learnt)),
        }
    }

    /// The app as it is now; kept by the caller for as long as it needs.
    pub fn current(&self) -> Arc<App> {
        self.app.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn swap(&self, app: Arc<App>) {
        *self.app.write().unwrap_or_else(|e| e.into_inner()) = app;
    }

    /// Loads the corpus folder again and swaps it in if it is valid; logs one line
    /// either way (`why` says who asked: "SIGHUP", "/reload from 12345").
    pub async fn reload(&self, why: &str) -> Reloaded {
        let _one_at_a_time = self.reloading.lock().await;
        let Some(faq) = self.faq.clone() else {
            let refused = vec!["this bot was started without a corpus folder to reload".into()];
            warn!("reload ({why}) refused: {}", refused[0]);
            return Reloaded::Refused(refused);
        };
        let old = self.current();
        let learnt = learnt(&old);
        let learning = learnt.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            let base = load(&faq)?;
            let matcher = with_learnt(&base, &learning);
            Ok::<_, Vec<String>>((base, matcher))
        })
        .await;
        let (base, matcher) = match loaded {
            Ok(Ok(loaded)) => loaded,
            Ok(Err(problems)) => {
                warn!(
                    "reload ({why}) refused, still serving the previous corpus: {}",
                    problems.join("; ")
                );
                old.metrics.reload(false);
                return Reloaded::Refused(problems);
            }
            Err(_) => {
                let refused = vec!["loading the corpus failed unexpectedly".to_string()];
                warn!("reload ({why}) refused: {}", refused[0]);
                old.metrics.reload(false);
                return Reloaded::Refused(refused);
            }
        };
        let change = change(old.matcher.corpus(), matcher.corpus());
        // Another reload cannot have swapped meanwhile (one at a time); updates only read.
        self.swap(Arc::new(old.with_matcher(matcher)));
        *self.base.lock().unwrap_or_else(|e| e.into_inner()) = (base, learnt);
        old.metrics.reload(true);
        info!("reloaded the corpus ({why}): {}", describe(&change));
        Reloaded::Swapped(change)
    }
}

/// The learnt phrasings in the database (none, if it cannot be read: logged).
fn learnt(app: &App) -> Vec<Learnt> {
    app.store.learnt_phrasings().unwrap_or_else(|e| {
        app.store.report(&e);
        Vec::new()
    })
}

/// A matcher for `base` with `learnt` added.
pub fn with_learnt(base: &Corpus, learnt: &[Learnt]) -> Matcher {
    let mut corpus = base.clone();
    corpus.learn(learnt);
    Matcher::new(corpus)
}

impl Live {
    /// Swaps in a matcher with the learnt phrasings as the database has them now, if
    /// they changed (a review decision, here or from `yibao-bot review`).
    pub async fn relearn(&self) {
        let _one_at_a_time = self.reloading.lock().await;
        let old = self.current();
        let learnt = learnt(&old);
        let base = {
            let base = self.base.lock().unwrap_or_else(|e| e.into_inner());
            if base.1 == learnt {
                return;
            }
            base.0.clone()
        };
        let learning = learnt.clone();
        let Ok(matcher) = tokio::task::spawn_blocking(move || with_learnt(&base, &learning)).await
        else {
            warn!("could not index the learnt phrasings; answering as before");
            return;
        };
        let count = learnt.len();
        self.swap(Arc::new(old.with_matcher(matcher)));
        self.base.lock().unwrap_or_else(|e| e.into_inner()).1 = learnt;
        info!("learnt phrasings from review: {count} in use");
    }

    /// Looks every `every` whether review decisions were made elsewhere (`yibao-bot
    /// review` beside the running bot), and learns them.
    pub async fn watch_learnt(self: Arc<Self>, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.relearn().await;
        }
    }
}

/// The folder's corpus, or its errors.
fn load(faq: &Path) -> Result<Corpus, Vec<String>> {
    match Corpus::load(faq) {
        Ok(corpus) => Ok(corpus),
        Err(CorpusError::Invalid(problems)) => Err(problems
            .iter()
            .filter(|p| !p.warning)
            .map(|p| p.to_string())
            .collect()),
        Err(e) => Err(vec![e.to_string()]),
    }
}

/// Entries added, removed and changed (any field) from `old` to `new`, by id.
pub fn change(old: &Corpus, new: &Corpus) -> Change {
    let fingerprint = |c: &Corpus| -> HashMap<String, String> {
        c.entries
            .iter()
            .map(|e| (e.id.clone(), format!("{e:?}")))
            .collect()
    };
    let (before, after) = (fingerprint(old), fingerprint(new));
    let mut change = Change {
        entries: new.entries.len(),
        ..Change::default()
    };
    for entry in &new.entries {
        match before.get(&entry.id) {
            None => change.added.push(entry.id.clone()),
            Some(was) if *was != after[&entry.id] => change.changed.push(entry.id.clone()),
            Some(_) => {}
        }
    }
    change.removed = old
        .entries
        .iter()
        .filter(|e| !after.contains_key(&e.id))
        .map(|e| e.id.clone())
        .collect();
    change
}

/// `71 entries: 1 added (a), 0 removed, 2 changed (b, c)`.
pub fn describe(change: &Change) -> String {
    let list = |ids: &[String], what: &str| match ids.len() {
        0 => format!("0 {what}"),
        n if n <= 5 => format!("{n} {what} ({})", ids.join(", ")),
        n => format!("{n} {what} ({}, …)", ids[..5].join(", ")),
    };
    format!(
        "{} entries: {}, {}, {}",
        change.entries,
        list(&change.added, "added"),
        list(&change.removed, "removed"),
        list(&change.changed, "changed")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::config::{FloodLimit, Token};
    use crate::bot::flood::FloodGuard;
    use crate::bot::outbox::{Outbox, Waiting};
    use crate::bot::{Store, api::Api};
    use crate::engine::Outcome;

    const ENTRY: &str = r#"[{"id": "a", "question": "异地就医怎么备案", "category": "测试",
        "answer": "旧的答案。", "source": {"file": "t.txt", "title": "t", "date": "2025-01-01"}}]"#;

    fn folder(answer: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("disclaimer.txt"), "仅供参考。").unwrap();
        std::fs::write(dir.path().join("decline.txt"), "回答不了。").unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            ENTRY.replace("旧的答案。", answer),
        )
        .unwrap();
        dir
    }

    fn app(dir: &Path, db: &Path) -> App {
        let store = Arc::new(Store::open(db, 90).unwrap());
        let (outbox, _letters) = Outbox::new(store.clone(), Arc::new(Waiting::default()));
        let me = serde_json::from_value(serde_json::json!({
            "id": 1, "is_bot": true, "first_name": "bot", "username": "bot",
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "can_connect_to_business": false,
            "has_main_web_app": false
        }))
        .unwrap();
        let matcher = Matcher::load(dir).unwrap();
        App {
            example: String::new(),
            matcher: Arc::new(matcher),
            store,
            outbox: Arc::new(outbox),
            api: Api::new(&Token::new("1:x"), None),
            request_timeout: std::time::Duration::from_secs(1),
            flood: Arc::new(FloodGuard::new(FloodLimit::default())),
            admins: Arc::default(),
            metrics: Arc::default(),
            me,
            retention_days: 90,
            group_backlog: 10,
            answered: Arc::default(),
            voters: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"k"),
        }
    }

    fn answer(app: &App) -> String {
        match app.matcher.ask("异地就医怎么备案") {
            Outcome::Answer(hit) => app.matcher.view(&hit).entry.answer.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_question_in_flight_keeps_the_corpus_it_started_with() {
        let dir = folder("旧的答案。");
        let db = tempfile::tempdir().unwrap();
        let app = app(dir.path(), &db.path().join("bot.db"));
        let base = app.matcher.corpus().clone();
        let live = Live::new(
            Arc::new(app),
            base,
            Vec::new(),
            Some(dir.path().to_path_buf()),
        );
        // An update being handled holds the app it started with.
        let in_flight = live.current();
        std::fs::write(
            dir.path().join("a.json"),
            ENTRY.replace("旧的答案。", "新的答案。"),
        )
        .unwrap();
        let Reloaded::Swapped(change) = live.reload("test").await else {
            panic!("refused")
        };
        assert_eq!(change.changed, ["a"]);
        assert_eq!(answer(&in_flight), "旧的答案。");
        assert_eq!(answer(&live.current()), "新的答案。");
        // What is shared stays shared: the same store, outbox and flood guard.
        assert!(Arc::ptr_eq(&in_flight.store, &live.current().store));
        assert!(Arc::ptr_eq(&in_flight.flood, &live.current().flood));

        // Refused: the current app is the one it was.
        std::fs::write(dir.path().join("a.json"), "[").unwrap();
        let before = live.current();
        assert!(
            matches!(live.reload("test").await, Reloaded::Refused(p) if p[0].contains("malformed JSON"))
        );
        assert!(Arc::ptr_eq(&before, &live.current()));
    }

    #[test]
    fn the_change_names_entries_added_removed_and_changed() {
        let (a, b) = (folder("一。"), folder("二。"));
        let old = Matcher::load(a.path()).unwrap();
        let new = Matcher::load(b.path()).unwrap();
        let change = change(old.corpus(), new.corpus());
        assert_eq!((change.added.len(), change.removed.len()), (0, 0));
        assert_eq!(change.changed, ["a"]);
        assert_eq!(
            describe(&change),
            "1 entries: 0 added, 0 removed, 1 changed (a)"
        );
    }
}
