//! In-memory ports for native tests (feature `test-support`): the same use cases as production,
//! on stores that obey the production stores' rules, under a clock the test advances.
//!
//! - [`MemoryKv`] is Workers KV: text values, a TTL of at least 60 s that expires on read, last
//!   write wins, keys listed in order, metadata of at most 1024 bytes — and a stale-read window a
//!   test can open ([`MemoryKv::open_stale_window`]) to see what another location may still see.
//! - [`MemoryGuard`] is the guard Durable Object: named instances running
//!   [`crate::guard::protocol::apply`], each command to completion before the next (one at a
//!   time, as input gates make it), on storage that round-trips through JSON.
//! - [`MemoryMailer`] keeps what was sent; [`MemoryLog`] keeps the log lines; [`SeededEntropy`]
//!   is deterministic, so a run can be repeated.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use guestpass_wire::{DirectoryAuditEntry, OutboxMessage, SignInLogEntry};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::DomainError;
use crate::guard::protocol::{apply, sweep, GuardStorage};
use crate::guard::{GuardCommand, GuardReply};
use crate::limits::GUARD_SWEEP_INTERVAL_MS;
use crate::mail::Email;
use crate::passkey::{CoseKey, PublicKey, SignatureVerifier};
use crate::ports::{
    AuditLog, Entropy, Guard, KeyValueStore, ListPage, ListedKey, Mailer, Ports, PutOptions,
    KV_BULK_READ, KV_LIST_PAGE,
};
use crate::storage_keys as keys;
use crate::time::{format_rfc3339, UnixMillis, SECOND};

/// Runs a future that never waits — every in-memory port answers at once — to its end.
///
/// Panics if the future does wait: that would mean a port that is not in memory.
pub fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("an in-memory port waited"),
    }
}

/// The test's clock, shared by the ports that need the time (KV expiry, outbox timestamps).
#[derive(Debug, Clone)]
pub struct Clock(Rc<Cell<UnixMillis>>);

impl Clock {
    pub fn at(now: UnixMillis) -> Clock {
        Clock(Rc::new(Cell::new(now)))
    }

    pub fn now(&self) -> UnixMillis {
        self.0.get()
    }

    pub fn advance(&self, ms: i64) {
        self.0.set(self.0.get() + ms);
    }
}

/// KV's rules, as Cloudflare documents them.
pub const KV_MIN_TTL_SECONDS: u64 = 60;
pub const KV_MAX_METADATA_BYTES: usize = 1024;
pub const KV_MAX_KEY_BYTES: usize = 512;
/// How stale a KV read may be: writes can take this long to reach other locations.
pub const KV_PROPAGATION_MS: i64 = 60 * SECOND;

#[derive(Debug, Clone)]
struct Stored {
    text: String,
    metadata: Option<serde_json::Value>,
    expires_at: Option<UnixMillis>,
}

/// One write to a key: a value, or a delete (`None`).
#[derive(Debug, Clone)]
struct Version {
    written_at: UnixMillis,
    value: Option<Stored>,
}

/// Workers KV in memory. Every write is kept as a version, so a stale read can be served.
pub struct MemoryKv {
    clock: Clock,
    keys: RefCell<BTreeMap<String, Vec<Version>>>,
    lag: Cell<i64>,
    reads: Cell<usize>,
    round_trips: Cell<usize>,
    page_limit: Cell<usize>,
    /// Fault injection: reads fail while set; writes fail once this many more have succeeded.
    failing_reads: Cell<bool>,
    writes_before_failure: Cell<Option<usize>>,
}

fn kv_refusal(why: String) -> DomainError {
    DomainError::StorageUnavailable(format!("kv refused: {why}"))
}

impl MemoryKv {
    pub fn new(clock: Clock) -> MemoryKv {
        MemoryKv {
            clock,
            keys: RefCell::new(BTreeMap::new()),
            lag: Cell::new(0),
            round_trips: Cell::new(0),
            reads: Cell::new(0),
            page_limit: Cell::new(KV_LIST_PAGE),
            failing_reads: Cell::new(false),
            writes_before_failure: Cell::new(None),
        }
    }

    /// From now on, reads (and lists) see the store as it was `ms` ago — what a location the
    /// latest writes have not reached yet sees. KV bounds this at 60 s.
    pub fn open_stale_window(&self, ms: i64) {
        assert!(
            (0..=KV_PROPAGATION_MS).contains(&ms),
            "KV propagates within {KV_PROPAGATION_MS} ms"
        );
        self.lag.set(ms);
    }

    /// Reads see every write again.
    pub fn close_stale_window(&self) {
        self.lag.set(0);
    }

    /// The value of `key` a read would return now (stale window and expiry applied).
    fn visible(&self, versions: &[Version]) -> Option<Stored> {
        let now = self.clock.now();
        let horizon = now - self.lag.get();
        let version = versions.iter().rev().find(|v| v.written_at <= horizon)?;
        let stored = version.value.clone()?;
        match stored.expires_at {
            Some(at) if now >= at => None,
            _ => Some(stored),
        }
    }

    fn write(&self, key: &str, value: Option<Stored>) {
        let version = Version {
            written_at: self.clock.now(),
            value,
        };
        self.keys
            .borrow_mut()
            .entry(key.to_string())
            .or_default()
            .push(version);
    }

    /// Lists return at most `n` keys a call from now on (KV's is 1000): tests reach the paths
    /// that follow a list cursor without writing thousands of keys.
    pub fn limit_list_pages(&self, n: usize) {
        self.page_limit.set(n.clamp(1, KV_LIST_PAGE));
    }

    /// Fault injection: every read (get, list) fails until [`Self::heal`].
    pub fn fail_reads(&self) {
        self.failing_reads.set(true);
    }

    /// Fault injection: `n` more writes (put, delete) succeed, then every write fails until
    /// [`Self::heal`] — a store that goes away part-way through a change.
    pub fn fail_writes_after(&self, n: usize) {
        self.writes_before_failure.set(Some(n));
    }

    pub fn heal(&self) {
        self.failing_reads.set(false);
        self.writes_before_failure.set(None);
    }

    fn read_allowed(&self) -> Result<(), DomainError> {
        match self.failing_reads.get() {
            true => Err(DomainError::StorageUnavailable(
                "kv get: injected fault".into(),
            )),
            false => Ok(()),
        }
    }

    fn write_allowed(&self) -> Result<(), DomainError> {
        match self.writes_before_failure.get() {
            Some(0) => Err(DomainError::StorageUnavailable(
                "kv put: injected fault".into(),
            )),
            Some(n) => {
                self.writes_before_failure.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// How many values have been read so far (by `get` or within `get_many`): tests compare
    /// the work of two paths.
    pub fn reads(&self) -> usize {
        self.reads.get()
    }

    fn read_one(&self, key: &str) -> Option<String> {
        self.reads.set(self.reads.get() + 1);
        let keys = self.keys.borrow();
        keys.get(key)
            .and_then(|versions| self.visible(versions))
            .map(|stored| stored.text)
    }

    /// How many read calls have been made so far (a `get_many` is one).
    pub fn read_round_trips(&self) -> usize {
        self.round_trips.get()
    }

    /// Every key that currently holds a value (no stale window), for assertions.
    pub fn live_keys(&self) -> Vec<String> {
        let lag = self.lag.replace(0);
        let keys = self
            .keys
            .borrow()
            .iter()
            .filter(|(_, versions)| self.visible(versions).is_some())
            .map(|(k, _)| k.clone())
            .collect();
        self.lag.set(lag);
        keys
    }
}

impl KeyValueStore for MemoryKv {
    async fn get(&self, key: &str) -> Result<Option<String>, DomainError> {
        self.read_allowed()?;
        self.round_trips.set(self.round_trips.get() + 1);
        Ok(self.read_one(key))
    }

    async fn get_many(&self, keys: &[&str]) -> Result<Vec<Option<String>>, DomainError> {
        self.read_allowed()?;
        if keys.is_empty() || keys.len() > KV_BULK_READ {
            return Err(kv_refusal(format!("a bulk read of {} keys", keys.len())));
        }
        self.round_trips.set(self.round_trips.get() + 1);
        Ok(keys.iter().map(|key| self.read_one(key)).collect())
    }

    async fn put(&self, key: &str, value: String, options: PutOptions) -> Result<(), DomainError> {
        self.write_allowed()?;
        if key.is_empty() || key.len() > KV_MAX_KEY_BYTES {
            return Err(kv_refusal(format!("key of {} bytes", key.len())));
        }
        if let Some(ttl) = options.expiration_ttl.filter(|t| *t < KV_MIN_TTL_SECONDS) {
            return Err(kv_refusal(format!(
                "expiration_ttl {ttl} is under {KV_MIN_TTL_SECONDS} s"
            )));
        }
        if let Some(metadata) = &options.metadata {
            let size = metadata.to_string().len();
            if size > KV_MAX_METADATA_BYTES {
                return Err(kv_refusal(format!("metadata of {size} bytes")));
            }
        }
        let expires_at = options
            .expiration_ttl
            .map(|ttl| self.clock.now() + ttl as i64 * SECOND);
        let stored = Stored {
            text: value,
            metadata: options.metadata,
            expires_at,
        };
        self.write(key, Some(stored));
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), DomainError> {
        self.write_allowed()?;
        self.write(key, None);
        Ok(())
    }

    /// The cursor is the last key of the page (KV's is opaque; callers only hand it back).
    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<ListPage, DomainError> {
        self.read_allowed()?;
        let limit = limit.min(self.page_limit.get());
        let keys = self.keys.borrow();
        let mut listed = keys
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .filter(|(k, _)| cursor.is_none_or(|after| k.as_str() > after))
            .filter_map(|(name, versions)| {
                self.visible(versions).map(|stored| ListedKey {
                    name: name.clone(),
                    metadata: stored.metadata,
                })
            });
        let page: Vec<ListedKey> = listed.by_ref().take(limit).collect();
        let more = listed.next().is_some();
        let cursor = more.then(|| page.last().map(|k| k.name.clone())).flatten();
        Ok(ListPage { keys: page, cursor })
    }
}

/// The guard Durable Object in memory: one JSON map and one alarm per instance.
#[derive(Default)]
pub struct MemoryGuard {
    /// Fault injection: every call fails, as an unreachable Durable Object does.
    unreachable: Cell<bool>,
    instances: RefCell<HashMap<String, Instance>>,
    /// Commands each instance has run, for tests that count round trips.
    calls: RefCell<Vec<(String, GuardCommand)>>,
}

#[derive(Default)]
struct Instance {
    records: RefCell<BTreeMap<String, String>>,
    alarm: Cell<Option<UnixMillis>>,
}

struct InstanceStorage<'a> {
    records: &'a RefCell<BTreeMap<String, String>>,
    alarm: &'a Cell<Option<UnixMillis>>,
}

impl GuardStorage for InstanceStorage<'_> {
    async fn load<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, DomainError> {
        match self.records.borrow().get(key) {
            Some(json) => serde_json::from_str(json)
                .map(Some)
                .map_err(|e| DomainError::StorageUnavailable(e.to_string())),
            None => Ok(None),
        }
    }

    async fn store<T: Serialize>(&self, key: &str, value: &T) -> Result<(), DomainError> {
        let json =
            serde_json::to_string(value).map_err(|e| DomainError::Internal(e.to_string()))?;
        self.records.borrow_mut().insert(key.to_string(), json);
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), DomainError> {
        self.records.borrow_mut().remove(key);
        Ok(())
    }

    async fn keys(&self, prefix: &str) -> Result<Vec<String>, DomainError> {
        let records = self.records.borrow();
        Ok(records
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }

    async fn schedule_sweep(&self, at: UnixMillis) -> Result<(), DomainError> {
        if self.alarm.get().is_none_or(|set| at < set) {
            self.alarm.set(Some(at));
        }
        Ok(())
    }
}

impl MemoryGuard {
    /// The commands run so far, oldest first.
    pub fn calls(&self) -> Vec<(String, GuardCommand)> {
        self.calls.borrow().clone()
    }

    /// Fault injection: the guard cannot be reached (or can again).
    pub fn set_unreachable(&self, unreachable: bool) {
        self.unreachable.set(unreachable);
    }

    /// The keys an instance holds now.
    pub fn record_keys(&self, instance: &str) -> Vec<String> {
        self.instances
            .borrow()
            .get(instance)
            .map(|i| i.records.borrow().keys().cloned().collect())
            .unwrap_or_default()
    }

    /// When an instance's alarm is set for, if it is.
    pub fn alarm(&self, instance: &str) -> Option<UnixMillis> {
        self.instances
            .borrow()
            .get(instance)
            .and_then(|i| i.alarm.get())
    }

    /// Fires every alarm due at `now`, as the runtime would: each instance sweeps, and sets its
    /// next alarm while anything is left.
    pub fn run_due_alarms(&self, now: UnixMillis) {
        let instances = self.instances.borrow();
        for instance in instances.values() {
            if instance.alarm.get().is_some_and(|at| at <= now) {
                instance.alarm.set(None);
                let storage = InstanceStorage {
                    records: &instance.records,
                    alarm: &instance.alarm,
                };
                if run(sweep(&storage, now)).expect("an in-memory sweep") {
                    instance.alarm.set(Some(now + GUARD_SWEEP_INTERVAL_MS));
                }
            }
        }
    }
}

impl Guard for MemoryGuard {
    async fn call(&self, instance: &str, command: GuardCommand) -> Result<GuardReply, DomainError> {
        if self.unreachable.get() {
            return Err(DomainError::StorageUnavailable(
                "guard: injected fault".into(),
            ));
        }
        self.calls
            .borrow_mut()
            .push((instance.to_string(), command.clone()));
        // The instance is taken out for the whole command and put back after: one at a time.
        let taken = self
            .instances
            .borrow_mut()
            .remove(instance)
            .unwrap_or_default();
        let storage = InstanceStorage {
            records: &taken.records,
            alarm: &taken.alarm,
        };
        let reply = run(apply(&storage, command));
        self.instances
            .borrow_mut()
            .insert(instance.to_string(), taken);
        reply
    }
}

/// Mail in memory: everything sent, in order.
pub struct MemoryMailer {
    clock: Clock,
    sent: RefCell<Vec<OutboxMessage>>,
}

impl MemoryMailer {
    pub fn new(clock: Clock) -> MemoryMailer {
        MemoryMailer {
            clock,
            sent: RefCell::new(Vec::new()),
        }
    }

    /// Every message sent to `to`, oldest first.
    pub fn sent_to(&self, to: &str) -> Vec<OutboxMessage> {
        self.sent
            .borrow()
            .iter()
            .filter(|m| m.to == to)
            .cloned()
            .collect()
    }
}

impl Mailer for MemoryMailer {
    fn send(&self, email: Email) {
        self.sent.borrow_mut().push(OutboxMessage {
            to: email.to,
            subject: email.subject,
            text: email.text,
            sent_date_time: format_rfc3339(self.clock.now()),
        });
    }

    async fn outbox(&self, to: Option<&str>) -> Result<Vec<OutboxMessage>, DomainError> {
        Ok(match to {
            Some(to) => self.sent_to(to),
            None => self.sent.borrow().clone(),
        })
    }
}

/// Sign-in log lines per page, as a store would list them (small, so tests cross pages).
pub const MEMORY_LOG_PAGE: usize = 50;

/// The audit logs in memory, ordered as KV lists them: by the stores' own keys, newest first,
/// lines of the same millisecond by id.
#[derive(Default)]
pub struct MemoryLog {
    sign_ins: RefCell<BTreeMap<String, SignInLogEntry>>,
    directory: RefCell<BTreeMap<String, DirectoryAuditEntry>>,
}

fn newest_first<T: Clone>(lines: &BTreeMap<String, T>, prefix: &str) -> Vec<T> {
    lines
        .range(prefix.to_string()..)
        .take_while(|(key, _)| key.starts_with(prefix))
        .map(|(_, e)| e.clone())
        .collect()
}

/// The page of `all` that `cursor` (an offset) names, and the cursor of the next.
fn page_of<T: Clone>(all: Vec<T>, cursor: Option<&str>) -> (Vec<T>, Option<String>) {
    let from: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
    let to = (from + MEMORY_LOG_PAGE).min(all.len());
    let next = (to < all.len()).then(|| to.to_string());
    (all[from.min(to)..to].to_vec(), next)
}

impl AuditLog for MemoryLog {
    fn append_sign_in(&self, tenant_id: &str, at: UnixMillis, entry: SignInLogEntry) {
        self.sign_ins
            .borrow_mut()
            .insert(keys::sign_in_log(tenant_id, at, &entry.id), entry);
    }

    fn append_directory(&self, tenant_id: &str, at: UnixMillis, entry: DirectoryAuditEntry) {
        self.directory
            .borrow_mut()
            .insert(keys::directory_log(tenant_id, at, &entry.id), entry);
    }

    /// Pages of [`MEMORY_LOG_PAGE`]; the cursor is the offset of the next.
    async fn sign_ins(
        &self,
        tenant_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<SignInLogEntry>, Option<String>), DomainError> {
        let all = newest_first(
            &self.sign_ins.borrow(),
            &keys::sign_in_log_prefix(tenant_id),
        );
        Ok(page_of(all, cursor))
    }

    /// Pages of [`MEMORY_LOG_PAGE`]; the cursor is the offset of the next.
    async fn directory_changes(
        &self,
        tenant_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<DirectoryAuditEntry>, Option<String>), DomainError> {
        let all = newest_first(
            &self.directory.borrow(),
            &keys::directory_log_prefix(tenant_id),
        );
        Ok(page_of(all, cursor))
    }
}

/// Deterministic bytes: SHA-256 of a seed and a counter. For tests only — never for secrets.
pub struct SeededEntropy {
    seed: u64,
    counter: Cell<u64>,
}

impl SeededEntropy {
    pub fn new(seed: u64) -> SeededEntropy {
        SeededEntropy {
            seed,
            counter: Cell::new(0),
        }
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, out: &mut [u8]) -> Result<(), DomainError> {
        for chunk in out.chunks_mut(32) {
            let n = self.counter.get();
            self.counter.set(n + 1);
            let block = Sha256::new()
                .chain_update(self.seed.to_be_bytes())
                .chain_update(n.to_be_bytes())
                .finalize();
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

/// Verifies passkey signatures as the Worker's WebCrypto does, with RustCrypto (ES256 from raw
/// `r ‖ s`, RS256 PKCS#1 v1.5 with SHA-256, strict Ed25519).
#[derive(Default)]
pub struct RustCrypto;

impl crate::oidc::signing::TokenSigner for RustCrypto {
    async fn sign_es256(&self, scalar: &[u8; 32], message: &[u8]) -> Result<Vec<u8>, DomainError> {
        use p256::ecdsa::signature::Signer;
        let key = p256::ecdsa::SigningKey::from_slice(scalar)
            .map_err(|e| DomainError::Internal(format!("ES256 key: {e}")))?;
        let signature: p256::ecdsa::Signature = key.sign(message);
        Ok(signature.to_bytes().to_vec())
    }

    async fn es256_public(&self, scalar: &[u8; 32]) -> Result<([u8; 32], [u8; 32]), DomainError> {
        let key = p256::ecdsa::SigningKey::from_slice(scalar)
            .map_err(|e| DomainError::Internal(format!("ES256 key: {e}")))?;
        let point = key.verifying_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(DomainError::Internal("ES256 point at infinity".into()));
        };
        Ok(((*x).into(), (*y).into()))
    }

    async fn generate_rs256(&self) -> Result<crate::oidc::signing::RsaKeyPair, DomainError> {
        use rsa::pkcs8::EncodePrivateKey;
        use rsa::traits::PublicKeyParts;
        let failed = |e: &dyn std::fmt::Display| DomainError::Internal(format!("RSA key: {e}"));
        let key = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).map_err(|e| failed(&e))?;
        Ok(crate::oidc::signing::RsaKeyPair {
            pkcs8: key
                .to_pkcs8_der()
                .map_err(|e| failed(&e))?
                .as_bytes()
                .to_vec(),
            n: key.n().to_bytes_be(),
            e: key.e().to_bytes_be(),
        })
    }

    async fn sign_rs256(&self, pkcs8: &[u8], message: &[u8]) -> Result<Vec<u8>, DomainError> {
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::signature::{SignatureEncoding, Signer};
        let key = rsa::RsaPrivateKey::from_pkcs8_der(pkcs8)
            .map_err(|e| DomainError::Internal(format!("RS256 key: {e}")))?;
        let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
        Ok(key.sign(message).to_vec())
    }

    async fn seal(
        &self,
        key: &[u8; 32],
        nonce: &[u8; 12],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, DomainError> {
        use aes_gcm::aead::Aead;
        use aes_gcm::KeyInit;
        aes_gcm::Aes256Gcm::new(key.into())
            .encrypt(nonce.into(), plaintext)
            .map_err(|_| DomainError::Internal("AES-GCM seal".into()))
    }

    async fn open(
        &self,
        key: &[u8; 32],
        nonce: &[u8; 12],
        sealed: &[u8],
    ) -> Result<Option<Vec<u8>>, DomainError> {
        use aes_gcm::aead::Aead;
        use aes_gcm::KeyInit;
        Ok(aes_gcm::Aes256Gcm::new(key.into())
            .decrypt(nonce.into(), sealed)
            .ok())
    }
}

impl SignatureVerifier for RustCrypto {
    async fn verify(
        &self,
        key: &CoseKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, DomainError> {
        use p256::ecdsa::signature::Verifier;
        Ok(match &key.key {
            PublicKey::P256 { x, y } => {
                let point = p256::EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
                let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point);
                let signature = p256::ecdsa::Signature::from_slice(signature);
                match (key, signature) {
                    (Ok(key), Ok(signature)) => key.verify(message, &signature).is_ok(),
                    _ => false,
                }
            }
            PublicKey::Ed25519(x) => {
                let key = ed25519_dalek::VerifyingKey::from_bytes(x);
                let signature = ed25519_dalek::Signature::from_slice(signature);
                match (key, signature) {
                    (Ok(key), Ok(signature)) => key.verify_strict(message, &signature).is_ok(),
                    _ => false,
                }
            }
            PublicKey::Rsa { n, e } => {
                let key = rsa::RsaPublicKey::new(
                    rsa::BigUint::from_bytes_be(n),
                    rsa::BigUint::from_bytes_be(e),
                );
                let signature = rsa::pkcs1v15::Signature::try_from(signature);
                match (key, signature) {
                    (Ok(key), Ok(signature)) => {
                        rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                            .verify(message, &signature)
                            .is_ok()
                    }
                    _ => false,
                }
            }
        })
    }
}

/// All the in-memory ports, on one clock.
pub struct MemoryPorts {
    pub clock: Clock,
    pub kv: MemoryKv,
    pub guard: MemoryGuard,
    pub mailer: MemoryMailer,
    pub log: MemoryLog,
    pub entropy: SeededEntropy,
    pub signatures: RustCrypto,
}

impl MemoryPorts {
    pub fn new(clock: Clock) -> MemoryPorts {
        MemoryPorts {
            kv: MemoryKv::new(clock.clone()),
            guard: MemoryGuard::default(),
            mailer: MemoryMailer::new(clock.clone()),
            log: MemoryLog::default(),
            entropy: SeededEntropy::new(7),
            signatures: RustCrypto,
            clock,
        }
    }
}

impl Ports for MemoryPorts {
    type Store = MemoryKv;
    type Guard = MemoryGuard;
    type Mailer = MemoryMailer;
    type Log = MemoryLog;
    type Entropy = SeededEntropy;
    type Signatures = RustCrypto;

    fn store(&self) -> &MemoryKv {
        &self.kv
    }

    fn guard(&self) -> &MemoryGuard {
        &self.guard
    }

    fn mailer(&self) -> &MemoryMailer {
        &self.mailer
    }

    fn log(&self) -> &MemoryLog {
        &self.log
    }

    fn entropy(&self) -> &SeededEntropy {
        &self.entropy
    }

    fn signatures(&self) -> &RustCrypto {
        &self.signatures
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    const T0: UnixMillis = 1_795_348_800_000;

    fn kv() -> (Clock, MemoryKv) {
        let clock = Clock::at(T0);
        (clock.clone(), MemoryKv::new(clock))
    }

    fn ttl(seconds: u64) -> PutOptions {
        PutOptions {
            expiration_ttl: Some(seconds),
            metadata: None,
        }
    }

    #[test]
    fn a_bulk_read_answers_in_key_order_in_one_round_trip_and_refuses_over_a_hundred_keys() {
        let (_, kv) = kv();
        run(kv.put("a", "1".into(), PutOptions::default())).unwrap();
        run(kv.put("c", "3".into(), PutOptions::default())).unwrap();
        let values = run(kv.get_many(&["c", "b", "a"])).unwrap();
        assert_eq!(values, [Some("3".into()), None, Some("1".into())]);
        assert_eq!((kv.reads(), kv.read_round_trips()), (3, 1));
        let many: Vec<String> = (0..=KV_BULK_READ).map(|n| n.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(run(kv.get_many(&many)).is_err());
        assert!(run(kv.get_many(&many[..KV_BULK_READ])).is_ok());
        assert!(run(kv.get_many(&[])).is_err());
    }

    #[test]
    fn kv_refuses_a_ttl_under_sixty_seconds() {
        let (_, kv) = kv();
        assert!(run(kv.put("k", "v".into(), ttl(59))).is_err());
        assert!(run(kv.put("k", "v".into(), ttl(60))).is_ok());
    }

    #[test]
    fn kv_entries_expire_on_read_at_their_ttl() {
        let (clock, kv) = kv();
        run(kv.put("k", "v".into(), ttl(60))).unwrap();
        clock.advance(60 * SECOND - 1);
        assert_eq!(run(kv.get("k")).unwrap().as_deref(), Some("v"));
        clock.advance(1);
        assert_eq!(run(kv.get("k")).unwrap(), None);
        assert!(run(kv.list("", None, 10)).unwrap().keys.is_empty());
    }

    #[test]
    fn kv_last_write_wins() {
        let (_, kv) = kv();
        run(kv.put("k", "first".into(), PutOptions::default())).unwrap();
        run(kv.put("k", "second".into(), PutOptions::default())).unwrap();
        assert_eq!(run(kv.get("k")).unwrap().as_deref(), Some("second"));
    }

    #[test]
    fn a_stale_window_serves_what_another_location_may_still_see() {
        let (clock, kv) = kv();
        run(kv.put("k", "old".into(), PutOptions::default())).unwrap();
        clock.advance(5 * SECOND);
        run(kv.put("k", "new".into(), PutOptions::default())).unwrap();
        run(kv.put("fresh", "x".into(), PutOptions::default())).unwrap();
        kv.open_stale_window(5 * SECOND);
        assert_eq!(run(kv.get("k")).unwrap().as_deref(), Some("old"));
        assert_eq!(
            run(kv.get("fresh")).unwrap(),
            None,
            "a new key may not be seen yet"
        );
        clock.advance(5 * SECOND);
        assert_eq!(run(kv.get("k")).unwrap().as_deref(), Some("new"));
        kv.close_stale_window();
        assert_eq!(run(kv.get("fresh")).unwrap().as_deref(), Some("x"));
    }

    #[test]
    fn kv_lists_in_key_order_with_metadata_up_to_the_limit() {
        let (_, kv) = kv();
        for key in ["p:b", "p:a", "q:a", "p:c"] {
            let options = PutOptions {
                expiration_ttl: None,
                metadata: Some(serde_json::json!({ "k": key })),
            };
            run(kv.put(key, "v".into(), options)).unwrap();
        }
        run(kv.delete("p:c")).unwrap();
        let listed = run(kv.list("p:", None, 10)).unwrap().keys;
        let names: Vec<_> = listed.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["p:a", "p:b"]);
        assert_eq!(listed[0].metadata, Some(serde_json::json!({ "k": "p:a" })));
        let first = run(kv.list("p:", None, 1)).unwrap();
        assert_eq!(first.keys.len(), 1);
        let rest = run(kv.list("p:", first.cursor.as_deref(), 10)).unwrap();
        assert_eq!(rest.keys[0].name, "p:b");
        assert_eq!(rest.cursor, None, "the last page has no cursor");
    }

    #[test]
    fn kv_refuses_metadata_over_1024_bytes() {
        let (_, kv) = kv();
        let options = PutOptions {
            expiration_ttl: None,
            metadata: Some(serde_json::Value::String("x".repeat(1100))),
        };
        assert!(run(kv.put("k", "v".into(), options)).is_err());
    }

    #[test]
    fn the_guard_keeps_each_instance_apart() {
        let guard = MemoryGuard::default();
        let send = |at| GuardCommand::NetworkSend {
            network: Some("198.51.100.7".into()),
            per_network_per_hour: 1,
            now: at,
        };
        let first = run(guard.call("ip:a", send(T0))).unwrap();
        let second = run(guard.call("ip:a", send(T0 + MINUTE))).unwrap();
        let other = run(guard.call("ip:b", send(T0 + MINUTE))).unwrap();
        assert!(matches!(
            first,
            GuardReply::Send {
                outcome: crate::guard::SendOutcome::Accepted
            }
        ));
        assert!(matches!(
            second,
            GuardReply::Send {
                outcome: crate::guard::SendOutcome::Throttled { .. }
            }
        ));
        assert!(matches!(
            other,
            GuardReply::Send {
                outcome: crate::guard::SendOutcome::Accepted
            }
        ));
    }

    #[test]
    fn seeded_entropy_repeats_by_seed_and_never_within_a_run() {
        let (a, b) = (SeededEntropy::new(1), SeededEntropy::new(1));
        let first: [u8; 40] = a.bytes().unwrap();
        assert_eq!(first, b.bytes::<40>().unwrap());
        assert_ne!(first, a.bytes::<40>().unwrap());
    }
}
