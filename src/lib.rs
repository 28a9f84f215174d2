//! yibao-bot (医保小助手): answers people's questions from an FAQ corpus, on the command
//! line and on Telegram.
//!
//! # Layout
//! - `engine/`: the answer engine, pure and synchronous; it knows nothing of Telegram.
//!   - `corpus`, `load`, `validate`: entries, sections, sources and the data files of a
//!     corpus folder, loaded and checked (every problem reported); `datafile` reads the
//!     line-oriented files.
//!   - `normalize`, `synonyms`, `typo`, `segment` (fed by `userdict` and `places`): from
//!     what a person typed to the words the matcher compares; `scope`: kinds of question
//!     declined even when they share the corpus's words.
//!   - `index`, `query`, `score`, `decide`, `matcher`: a question in, an [`Outcome`] out;
//!     `tuning` holds every calibrated number.
//!   - `view`: a hit resolved to what is shown; `render`: the plain text the command
//!     line prints; `calibrate`: answer quality on labelled questions, and the threshold
//!     and weight search.
//! - `bot/`: the Telegram layer (teloxide), a thin renderer of what the engine returns;
//!   updates in one at a time, replies out through a persistent outbox.
//! - `src/cli/` (in the binary): one file per subcommand.

mod bot;
mod engine;

pub use bot::{
    Backoff, BotError, Choice, Config, FloodLimit, Mode, RateLimits, Reviewed, Store, StoreError,
    ToReview, Token, run as run_bot, run_reloading as run_bot_reloading,
};
pub use engine::{
    Analysis, AnswerView, Corpus, CorpusError, Decline, Entry, Hit, ImportError, ImportRow,
    Imported, Learnt, MAX_QUESTION_CHARS, Matcher, Outcome, Place, Problem, Role, Section, Shape,
    Source, Thresholds, Weights, calibrate, has_identifiers, import_table, mask_identifiers,
    normalize, render,
};
