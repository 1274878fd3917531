//! The integration tests, linked as one binary.
mod cli;
