//! The [`Entropy`] port on the runtime's CSPRNG (`crypto.getRandomValues`).

use guestpass_core::ports::Entropy;
use guestpass_core::DomainError;

pub struct CryptoEntropy;

impl Entropy for CryptoEntropy {
    fn fill(&self, out: &mut [u8]) -> Result<(), DomainError> {
        getrandom::fill(out).map_err(|e| DomainError::Internal(format!("getrandom: {e}")))
    }
}

/// A fresh UUID straight from the CSPRNG, for adapter-side ids.
pub fn uuid() -> Result<String, DomainError> {
    CryptoEntropy.uuid()
}
