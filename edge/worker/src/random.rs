//! Entropy for the core, from the runtime's CSPRNG (`crypto.getRandomValues`).

use guestpass_core::DomainError;

pub fn bytes<const N: usize>() -> Result<[u8; N], DomainError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| DomainError::Internal(format!("getrandom: {e}")))?;
    Ok(out)
}

pub fn uuid() -> Result<String, DomainError> {
    Ok(guestpass_core::ids::uuid_v4(bytes()?))
}
