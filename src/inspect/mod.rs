//! Inspecting a rule set: what each rule matched, kept, dropped and why,
//! what it is worth and what it costs, and what a change to the rules did.
//!
//! Everything here is built on the engine's `Observer` hook and
//! [`RuleSet::subset`](crate::RuleSet::subset); nothing here is on the
//! extraction path. The stage sits between evaluation and reports: it
//! runs rules over articles and judges the results against goldens, and
//! [`report`](crate::report) prints what it computed. It never reads files
//! or runs git: the command line hands it rule sets, articles and goldens.

pub mod compare;
pub mod explain;
pub mod lint;
pub mod profile;
pub(crate) mod sampling;
pub mod stats;
mod timing;
pub mod trace;
