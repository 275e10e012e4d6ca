//! Pieces every console page uses.

pub mod chart;
pub mod confirm;
pub mod layout;
pub mod mode_list;
pub mod outcome;
pub mod pager;
pub mod shown_once;
