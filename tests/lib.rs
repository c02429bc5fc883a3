//! The integration tests, as one binary.

mod analysis;
mod analysis_props;
mod builder;
mod chain;
#[cfg(feature = "cli")]
mod cli;
mod faithful;
mod generate;
#[cfg(feature = "serde")]
mod gmcr_files;
#[cfg(feature = "generate")]
mod handles;
#[cfg(feature = "serde")]
mod history;
#[cfg(feature = "serde")]
mod json;
mod moves;
mod picture;
mod props;
#[cfg(feature = "serde")]
mod reliability;
mod scenario;
mod seed;
mod strategy;
mod strategy_foreign;
mod strategy_hypergame;
mod strategy_inverse;
mod strategy_uncertain;
mod strict;
mod time;
mod time_props;

/// A date written as analysts write it, for tests.
fn date(text: &str) -> negotiation::Date {
    text.parse().unwrap()
}
