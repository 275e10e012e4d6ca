//! The [`SignatureVerifier`] port on the runtime's WebCrypto (`crypto.subtle`): ECDSA P-256,
//! RSASSA-PKCS1-v1_5 and Ed25519 verification without a byte of crypto code in the wasm.
//! Keys are imported per call from the stored COSE key (as JWK, or raw for Ed25519).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
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

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = verify, catch)]
    fn verify(
        algorithm: &JsValue,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;
}

pub struct WebCrypto;

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
                json(r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#),
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
