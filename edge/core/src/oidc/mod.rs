//! Every tenant an OpenID Connect provider. So far: its applications (the clients), registered
//! with exact redirect URIs, public or confidential, open to everyone or to assigned users and
//! groups, with client secrets kept as keyed hashes (`application`); and the authorization
//! request's rules — client and redirect URI, `response_type`, `scope`, PKCE S256, `prompt`,
//! `max_age`, assignment (`authorize`); and the token request's — client authentication and
//! whether a code may be exchanged (`token`); and what applications are told — the issuer and
//! its discovery document, the ID token's claims, userinfo (`claims`); and each tenant's ES256
//! keys, derived from the deployment's signing keys and rotated with them, with compact JWS
//! (`signing`); and its RS256 keys, generated, sealed and settled by the guard
//! (`stored_keys`). The endpoints (`provider`) build on these.

pub mod application;
pub mod authorize;
pub mod claims;
pub mod page;
pub mod provider;
pub mod signing;
pub mod stored_keys;
pub mod token;

pub use application::ApplicationRecord;
