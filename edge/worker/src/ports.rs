//! The Worker's ports, bundled for the core's use cases.

use guestpass_core::ports::Ports;
use guestpass_core::time::UnixMillis;
use guestpass_core::DomainError;
use worker::{Context, Env};

use crate::audit_log::KvAuditLog;
use crate::config::Config;
use crate::entropy::CryptoEntropy;
use crate::guard::DurableGuard;
use crate::kv::Kv;
use crate::mailer::WorkerMailer;
use crate::signatures::WebCrypto;

pub struct WorkerPorts<'a> {
    kv: Kv,
    guard: DurableGuard<'a>,
    mailer: WorkerMailer<'a>,
    log: KvAuditLog<'a>,
    entropy: CryptoEntropy,
    signatures: WebCrypto,
}

impl<'a> WorkerPorts<'a> {
    pub fn new(
        env: &'a Env,
        worker: &'a Context,
        config: &Config,
        now: UnixMillis,
    ) -> Result<WorkerPorts<'a>, DomainError> {
        let kv = Kv::from_env(env)?;
        Ok(WorkerPorts {
            guard: DurableGuard { env },
            mailer: WorkerMailer {
                worker,
                kv: kv.clone(),
                provider: config.provider.clone(),
                development: config.settings.development,
                now,
            },
            log: KvAuditLog {
                worker,
                kv: kv.clone(),
            },
            kv,
            entropy: CryptoEntropy,
            signatures: WebCrypto,
        })
    }
}

impl<'a> Ports for WorkerPorts<'a> {
    type Store = Kv;
    type Guard = DurableGuard<'a>;
    type Mailer = WorkerMailer<'a>;
    type Log = KvAuditLog<'a>;
    type Entropy = CryptoEntropy;
    type Signatures = WebCrypto;

    fn store(&self) -> &Kv {
        &self.kv
    }

    fn guard(&self) -> &DurableGuard<'a> {
        &self.guard
    }

    fn mailer(&self) -> &WorkerMailer<'a> {
        &self.mailer
    }

    fn log(&self) -> &KvAuditLog<'a> {
        &self.log
    }

    fn entropy(&self) -> &CryptoEntropy {
        &self.entropy
    }

    fn signatures(&self) -> &WebCrypto {
        &self.signatures
    }
}
