//! The [`SignatureVerifier`] and [`TokenSigner`] ports on the runtime's WebCrypto
//! (`crypto.subtle`): ECDSA P-256, RSASSA-PKCS1-v1_5 and Ed25519 verification, ES256 and RS256
//! signing, RSA key generation and AES-256-GCM sealing, without a byte of crypto code in the
//! wasm. Keys are imported per call: from the stored COSE key (as JWK, or raw for Ed25519), a
//! tenant's derived private scalar or its opened RSA key (PKCS#8), or a sealing key (raw).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_core::oidc::signing::{RsaKeyPair, TokenSigner};
use guestpass_core::passkey::{CoseKey, PublicKey, SignatureVerifier};
use guestpass_core::DomainError;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = importKey, catch)]
    fn import_key(
        format: &str,
        key_data: &JsValue,
        algorithm: &JsValue,
        extractable: bool,
        usages: &JsValue,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = sign, catch)]
    fn sign(algorithm: &JsValue, key: &JsValue, data: &[u8]) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = exportKey, catch)]
    fn export_key(format: &str, key: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = generateKey, catch)]
    fn generate_key(
        algorithm: &JsValue,
        extractable: bool,
        usages: &JsValue,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = encrypt, catch)]
    fn encrypt(algorithm: &JsValue, key: &JsValue, data: &[u8]) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = decrypt, catch)]
    fn decrypt(algorithm: &JsValue, key: &JsValue, data: &[u8]) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = verify, catch)]
    fn verify(
        algorithm: &JsValue,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;
}

pub struct WebCrypto;

/// RSASSA-PKCS1-v1_5 with SHA-256 (RS256), as WebCrypto names it.
const RSA: &str = r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#;

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("literal JSON")
}

impl SignatureVerifier for WebCrypto {
    async fn verify(
        &self,
        key: &CoseKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, DomainError> {
        let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        // (import format, key data, import algorithm, verify algorithm)
        let (format, data, import_as, verify_as) = match &key.key {
            PublicKey::P256 { x, y } => (
                "jwk",
                json(&format!(
                    r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
                    b64(x),
                    b64(y)
                )),
                json(r#"{"name":"ECDSA","namedCurve":"P-256"}"#),
                json(r#"{"name":"ECDSA","hash":"SHA-256"}"#),
            ),
            PublicKey::Ed25519(x) => (
                "raw",
                Uint8Array::from(&x[..]).into(),
                json(r#"{"name":"Ed25519"}"#),
                json(r#"{"name":"Ed25519"}"#),
            ),
            PublicKey::Rsa { n, e } => (
                "jwk",
                json(&format!(
                    r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#,
                    b64(n),
                    b64(e)
                )),
                json(RSA),
                json(r#"{"name":"RSASSA-PKCS1-v1_5"}"#),
            ),
        };
        let usages = json(r#"["verify"]"#);
        // A key WebCrypto will not import (a point off the curve, say) verifies nothing.
        let imported = match import_key(format, &data, &import_as, false, &usages) {
            Ok(promise) => JsFuture::from(promise).await,
            Err(e) => Err(e),
        };
        let Ok(crypto_key) = imported else {
            return Ok(false);
        };
        // WebCrypto copies `signature` and `message` before the call returns.
        let verified = match verify(&verify_as, &crypto_key, signature, message) {
            Ok(promise) => JsFuture::from(promise).await,
            Err(e) => Err(e),
        };
        match verified {
            Ok(result) => Ok(result.as_bool() == Some(true)),
            Err(e) => Err(DomainError::Internal(format!(
                "crypto.subtle.verify failed: {e:?}"
            ))),
        }
    }
}

/// PKCS#8 (RFC 5208) around SEC 1's ECPrivateKey (RFC 5915) for a P-256 scalar, without the
/// optional public key: what `importKey("pkcs8")` takes. The 35 bytes before the scalar are
/// fixed: the lengths, version 0, id-ecPublicKey with prime256v1, version 1.
fn p256_pkcs8(scalar: &[u8; 32]) -> Vec<u8> {
    const PREFIX: [u8; 35] = [
        0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
        0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x27, 0x30, 0x25,
        0x02, 0x01, 0x01, 0x04, 0x20,
    ];
    [&PREFIX[..], &scalar[..]].concat()
}

async fn settle(promise: Result<Promise, JsValue>, what: &str) -> Result<JsValue, DomainError> {
    let settled = match promise {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    };
    settled.map_err(|e| DomainError::Internal(format!("crypto.subtle.{what} failed: {e:?}")))
}

async fn import_p256(scalar: &[u8; 32], usages: &str) -> Result<JsValue, DomainError> {
    let pkcs8 = Uint8Array::from(&p256_pkcs8(scalar)[..]);
    let algorithm = json(r#"{"name":"ECDSA","namedCurve":"P-256"}"#);
    // Extractable so that the public point can be read back as JWK.
    let imported = import_key("pkcs8", &pkcs8, &algorithm, true, &json(usages));
    settle(imported, "importKey").await
}

/// A raw AES-256-GCM key, for `usage`.
async fn import_aes(key: &[u8; 32], usage: &str) -> Result<JsValue, DomainError> {
    let raw = Uint8Array::from(&key[..]);
    let imported = import_key(
        "raw",
        &raw,
        &json(r#"{"name":"AES-GCM"}"#),
        false,
        &json(usage),
    );
    settle(imported, "importKey").await
}

/// AES-GCM's parameters with `nonce` (a 128-bit tag is the default).
fn aes_gcm(nonce: &[u8; 12]) -> Result<JsValue, DomainError> {
    let algorithm = json(r#"{"name":"AES-GCM"}"#);
    js_sys::Reflect::set(&algorithm, &"iv".into(), &Uint8Array::from(&nonce[..]))
        .map_err(|e| DomainError::Internal(format!("AES-GCM parameters: {e:?}")))?;
    Ok(algorithm)
}

impl TokenSigner for WebCrypto {
    async fn generate_rs256(&self) -> Result<RsaKeyPair, DomainError> {
        let algorithm =
            json(r#"{"name":"RSASSA-PKCS1-v1_5","modulusLength":2048,"hash":"SHA-256"}"#);
        // `publicExponent` (65537) must be a Uint8Array, which JSON cannot say.
        js_sys::Reflect::set(
            &algorithm,
            &"publicExponent".into(),
            &Uint8Array::from(&[1u8, 0, 1][..]),
        )
        .map_err(|e| DomainError::Internal(format!("RSA parameters: {e:?}")))?;
        let usages = json(r#"["sign","verify"]"#);
        let pair = settle(generate_key(&algorithm, true, &usages), "generateKey").await?;
        let half = |name: &str| {
            js_sys::Reflect::get(&pair, &name.into())
                .map_err(|e| DomainError::Internal(format!("generated pair: {e:?}")))
        };
        let (private, public) = (half("privateKey")?, half("publicKey")?);
        let pkcs8 = settle(export_key("pkcs8", &private), "exportKey").await?;
        let jwk = settle(export_key("jwk", &public), "exportKey").await?;
        let member = |name: &str| -> Option<Vec<u8>> {
            let text = js_sys::Reflect::get(&jwk, &name.into()).ok()?.as_string()?;
            URL_SAFE_NO_PAD.decode(text).ok()
        };
        match (member("n"), member("e")) {
            (Some(n), Some(e)) => Ok(RsaKeyPair {
                pkcs8: Uint8Array::new(&pkcs8).to_vec(),
                n,
                e,
            }),
            _ => Err(DomainError::Internal("exported JWK without n and e".into())),
        }
    }

    async fn sign_rs256(&self, pkcs8: &[u8], message: &[u8]) -> Result<Vec<u8>, DomainError> {
        let der = Uint8Array::from(pkcs8);
        let imported = import_key("pkcs8", &der, &json(RSA), false, &json(r#"["sign"]"#));
        let key = settle(imported, "importKey").await?;
        let signature = settle(sign(&json(RSA), &key, message), "sign").await?;
        Ok(Uint8Array::new(&signature).to_vec())
    }

    async fn seal(
        &self,
        key: &[u8; 32],
        nonce: &[u8; 12],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, DomainError> {
        let key = import_aes(key, r#"["encrypt"]"#).await?;
        let sealed = settle(encrypt(&aes_gcm(nonce)?, &key, plaintext), "encrypt").await?;
        Ok(Uint8Array::new(&sealed).to_vec())
    }

    async fn open(
        &self,
        key: &[u8; 32],
        nonce: &[u8; 12],
        sealed: &[u8],
    ) -> Result<Option<Vec<u8>>, DomainError> {
        let key = import_aes(key, r#"["decrypt"]"#).await?;
        // A tag that does not verify rejects the promise: the bytes were changed.
        Ok(settle(decrypt(&aes_gcm(nonce)?, &key, sealed), "decrypt")
            .await
            .ok()
            .map(|opened| Uint8Array::new(&opened).to_vec()))
    }

    async fn sign_es256(&self, scalar: &[u8; 32], message: &[u8]) -> Result<Vec<u8>, DomainError> {
        let key = import_p256(scalar, r#"["sign"]"#).await?;
        let algorithm = json(r#"{"name":"ECDSA","hash":"SHA-256"}"#);
        let signature = settle(sign(&algorithm, &key, message), "sign").await?;
        Ok(Uint8Array::new(&signature).to_vec())
    }

    async fn es256_public(&self, scalar: &[u8; 32]) -> Result<([u8; 32], [u8; 32]), DomainError> {
        let key = import_p256(scalar, r#"["sign"]"#).await?;
        let jwk = settle(export_key("jwk", &key), "exportKey").await?;
        let coordinate = |name: &str| -> Option<[u8; 32]> {
            let text = js_sys::Reflect::get(&jwk, &name.into()).ok()?.as_string()?;
            URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()
        };
        match (coordinate("x"), coordinate("y")) {
            (Some(x), Some(y)) => Ok((x, y)),
            _ => Err(DomainError::Internal("exported JWK without x and y".into())),
        }
    }
}
