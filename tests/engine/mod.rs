//! The answer engine and the command line around it.

mod chat;
mod cli;
mod import;
mod matching;
mod normalize;
mod quality;
mod validation;
