//! Pieces every page uses.

pub mod code_input;
pub mod frame;
pub mod status;
