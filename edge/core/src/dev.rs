//! `GET dev/outbox`: what a development deployment "sent". It does not exist elsewhere (404).

use guestpass_wire::{normalize_email, List, OutboxMessage};

use crate::context::Settings;
use crate::error::DomainError;
use crate::ports::{Mailer, Ports};

pub async fn outbox<P: Ports>(
    settings: &Settings,
    ports: &P,
    to: Option<&str>,
) -> Result<List<OutboxMessage>, DomainError> {
    if !settings.development {
        return Err(DomainError::RouteNotFound);
    }
    let to = match to {
        Some(address) => Some(normalize_email(address).map_err(DomainError::InvalidEmail)?),
        None => None,
    };
    let value = ports.mailer().outbox(to.as_deref()).await?;
    Ok(List::whole(value))
}
