//! yibao-bot (医保小助手): answers people's questions from an FAQ corpus, on the command
//! line and on Telegram.
//!
//! # Layout
//! - [`corpus`]: entries, sections, sources and data files, loaded from `faq/`;
//!   [`validate`] checks them and reports every problem.
//! - [`normalize`], [`synonyms`], [`typo`], [`segment`]: from what a person typed to the
//!   words the matcher compares ([`userdict`] and [`places`] feed the segmenter;
//!   [`places`] also says which city lies in which province).
//! - [`scope`]: kinds of question the corpus declines even when they share its words.
//! - [`index`] and [`matcher`]: the answer engine — a question in, an
//!   [`Outcome`](matcher::Outcome) out. Pure and synchronous; knows nothing of Telegram.
//! - [`render`]: the plain-text answer the command line prints.
//! - [`calibrate`]: chooses the thresholds from labelled questions.

pub mod bot;
pub mod calibrate;
pub mod corpus;
pub mod index;
pub mod matcher;
pub mod normalize;
pub mod places;
pub mod render;
pub mod scope;
pub mod segment;
pub mod synonyms;
pub mod typo;
pub mod userdict;
pub mod validate;

pub use corpus::{Corpus, CorpusError, Entry, Section};
pub use matcher::{Decline, Hit, Matcher, Outcome};
