//! The answer engine: pure and synchronous, it knows nothing of Telegram. A corpus
//! folder is loaded and validated ([`load`]), indexed ([`index`]), and a question goes
//! normalise → out of scope? → synonyms → typos → segment → score → decide, giving an
//! [`Outcome`]; [`view`] resolves a hit to what is shown, and [`render`] prints it as
//! plain text.

pub mod calibrate;
mod corpus;
mod datafile;
mod decide;
mod import;
mod index;
mod learnt;
mod lexicon;
mod load;
mod matcher;
pub mod normalize;
mod places;
pub(crate) mod privacy;
mod query;
mod related;
pub mod render;
mod roles;
mod scope;
mod score;
mod segment;
mod separable;
mod smalltalk;
mod synonyms;
mod topics;
pub(crate) mod tuning;
mod typo;
mod userdict;
mod validate;
mod view;

pub use corpus::{Corpus, Entry, Section, Source};
pub use decide::{Decline, Hit, Outcome, Shape};
pub use import::{ImportError, Imported, Row as ImportRow, import as import_table};
pub use learnt::Learnt;
pub use load::CorpusError;
pub use matcher::{MAX_QUESTION_CHARS, Matcher};
pub use places::Place;
pub use privacy::{has_identifiers, mask_identifiers};
pub use roles::Role;
pub use segment::Analysis;
pub use tuning::{Thresholds, Weights};
pub use validate::Problem;
pub use view::AnswerView;
