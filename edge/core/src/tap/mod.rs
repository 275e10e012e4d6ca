//! The Temporary Access Pass (members only): the value and its keyed hash, the tenant's policy,
//! issuing, and signing in with one.

pub mod issue;
pub mod pass;
pub mod policy;
pub mod sign_in;

pub use sign_in::sign_in;

use guestpass_wire::UserType;

use crate::directory::UserRecord;
use crate::error::DomainError;

pub const GUEST_REFUSAL: &str = "Temporary Access Pass cannot be added to an external guest user.";

/// Guests never have a pass.
pub fn refuse_guest(target: &UserRecord) -> Result<(), DomainError> {
    match target.user_type {
        UserType::Guest => Err(DomainError::validation("userId", GUEST_REFUSAL)),
        UserType::Member => Ok(()),
    }
}
