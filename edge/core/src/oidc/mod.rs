//! Every tenant an OpenID Connect provider. So far: its applications (the clients), registered
//! with exact redirect URIs, public or confidential, open to everyone or to assigned users and
//! groups, with client secrets kept as keyed hashes. The issuer, its keys and the authorization
//! and token endpoints build on these records.

pub mod application;

pub use application::ApplicationRecord;
