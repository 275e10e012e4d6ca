//! Pieces every console page uses.

pub mod chart;
pub mod confirm;
pub mod layout;
pub mod outcome;
pub mod pager;
