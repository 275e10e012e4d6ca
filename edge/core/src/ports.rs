//! The ports: what a use case needs from the world, as small capability traits. Each trait's doc
//! comment is its contract — what an implementation guarantees and what it may lose. The Worker
//! implements them on Workers KV, the guard Durable Object, the email provider and the runtime's
//! CSPRNG; `crate::memory` (feature `test-support`) implements them in memory, obeying the same
//! rules, so whole flows run natively with a clock the test advances.
//!
//! The traits use `async fn` without a `Send` bound: a Worker is single-threaded, and so are the
//! native tests.

#![allow(async_fn_in_trait)]

use guestpass_wire::{DirectoryAuditEntry, OutboxMessage, SignInLogEntry};

use crate::error::DomainError;
use crate::guard::{GuardCommand, GuardReply};
use crate::mail::Email;
use crate::time::UnixMillis;

/// Options of one [`KeyValueStore::put`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PutOptions {
    /// Seconds until the entry expires; KV refuses anything under 60.
    pub expiration_ttl: Option<u64>,
    /// Returned by [`KeyValueStore::list`] with the key (at most 1024 bytes of JSON), so a
    /// listing needs no read per key.
    pub metadata: Option<serde_json::Value>,
}

/// One page of [`KeyValueStore::list`]: keys in order, and where the next page starts (none when
/// this is the last).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    pub keys: Vec<ListedKey>,
    pub cursor: Option<String>,
}

/// KV returns at most this many keys per list call.
pub const KV_LIST_PAGE: usize = 1000;

/// A key listed by [`KeyValueStore::list`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListedKey {
    pub name: String,
    pub metadata: Option<serde_json::Value>,
}

/// The most keys one [`KeyValueStore::get_many`] reads (KV's bulk read limit).
pub const KV_BULK_READ: usize = 100;

/// The directory's store: Workers KV's model, five operations on text values.
///
/// Contract (KV's): eventually consistent. A read may return a value up to 60 s stale — a write
/// elsewhere, including a delete, may not be seen yet — and the last write to a key wins. An
/// entry with a TTL is gone once it expires (the TTL is at least 60 s). `list` returns keys in
/// ascending order, and may be just as stale. Nothing here can decide "once": that is the
/// [`Guard`]'s job. Errors are `StorageUnavailable`, so callers fail closed (the Worker's adapter
/// tries a failed call once more, 100 ms later, before it reports one).
pub trait KeyValueStore {
    async fn get(&self, key: &str) -> Result<Option<String>, DomainError>;
    /// Several keys' values in one call (KV's bulk read, at most [`KV_BULK_READ`] keys), in the
    /// order of `keys`: one round trip where one `get` each would make several.
    async fn get_many(&self, keys: &[&str]) -> Result<Vec<Option<String>>, DomainError>;
    async fn put(&self, key: &str, value: String, options: PutOptions) -> Result<(), DomainError>;
    async fn delete(&self, key: &str) -> Result<(), DomainError>;
    /// Keys starting with `prefix`, in key order, from `cursor` (a previous page's, opaque) on:
    /// at most `limit` (and at most [`KV_LIST_PAGE`]).
    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<ListPage, DomainError>;
}

/// The strongly consistent guard: named instances, each running one command at a time against
/// its own storage ([`crate::guard::protocol::apply`]).
///
/// Contract: a command's load → decide → store is atomic within its instance, and its effects
/// are seen by every later command, from anywhere — so a code or a one-time pass can succeed
/// once, and counters cannot be raced. An instance that cannot be reached is an error
/// (`StorageUnavailable`): nobody signs in on a guess.
pub trait Guard {
    async fn call(&self, instance: &str, command: GuardCommand) -> Result<GuardReply, DomainError>;
}

/// Outgoing email.
///
/// Contract: `send` queues the message and returns at once; it goes out after the response, so
/// the answer never depends on whether (or how slowly) it is delivered. Delivery failures are the
/// adapter's to log — with the recipient's domain only, never the body. In development the
/// message is also kept in an outbox that `outbox` reads (oldest first); elsewhere nothing is
/// kept, so it is empty.
pub trait Mailer {
    fn send(&self, email: Email);
    async fn outbox(&self, to: Option<&str>) -> Result<Vec<OutboxMessage>, DomainError>;
}

/// The tenant's sign-in and directory audit logs.
///
/// Contract: appends are queued and written after the response; a lost write is logged by the
/// adapter and never fails the request. A line is ordered by `at`, its instant to the
/// millisecond (the wire's `createdDateTime` has whole seconds only); a sign-in line with the
/// `at` and id of an earlier one replaces it (aggregate lines grow that way). Reads return a
/// tenant's entries newest first, a store page at a time with the cursor of the next, and may
/// miss entries written in the last moments (KV: up to 60 s). Entries never hold a code, a pass or a key.
pub trait AuditLog {
    fn append_sign_in(&self, tenant_id: &str, at: UnixMillis, entry: SignInLogEntry);
    fn append_directory(&self, tenant_id: &str, at: UnixMillis, entry: DirectoryAuditEntry);
    async fn sign_ins(
        &self,
        tenant_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<SignInLogEntry>, Option<String>), DomainError>;
    async fn directory_changes(
        &self,
        tenant_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<DirectoryAuditEntry>, Option<String>), DomainError>;
}

/// Cryptographically secure randomness.
///
/// Contract: fills `out` with unpredictable bytes, or fails (`Internal`) — never returns weak
/// bytes.
pub trait Entropy {
    fn fill(&self, out: &mut [u8]) -> Result<(), DomainError>;

    fn bytes<const N: usize>(&self) -> Result<[u8; N], DomainError> {
        let mut out = [0u8; N];
        self.fill(&mut out)?;
        Ok(out)
    }

    /// A fresh version-4 UUID.
    fn uuid(&self) -> Result<String, DomainError> {
        Ok(crate::ids::uuid_v4(self.bytes()?))
    }
}

/// Everything a use case reaches the world through, bundled so a use case names one type.
pub trait Ports {
    type Store: KeyValueStore;
    type Guard: Guard;
    type Mailer: Mailer;
    type Log: AuditLog;
    type Entropy: Entropy;
    /// Verifies passkey signatures and ID token hints; signs ID tokens.
    type Signatures: crate::passkey::SignatureVerifier + crate::oidc::signing::TokenSigner;

    fn store(&self) -> &Self::Store;
    fn guard(&self) -> &Self::Guard;
    fn mailer(&self) -> &Self::Mailer;
    fn log(&self) -> &Self::Log;
    fn entropy(&self) -> &Self::Entropy;
    fn signatures(&self) -> &Self::Signatures;
}
