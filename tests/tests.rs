//! The one integration-test binary (linking once is much cheaper on a small CI machine).
//! Topic files live in folders named after what they test.

mod bot;
mod common;
mod engine;
