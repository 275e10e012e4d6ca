// The browser's WebAuthn calls for the app (wasm-bindgen imports this module). The edge speaks
// WebAuthn's JSON forms (Level 3 §5.1.8–§5.1.10: binary fields as base64url); the browser's
// `navigator.credentials` wants and gives ArrayBuffers. The conversion is done here, by hand,
// so it works in every browser with WebAuthn, not only in those that have
// `parseCreationOptionsFromJSON` and `toJSON()`; the wasm never decodes a ceremony.

const bytes = (base64url) =>
  Uint8Array.from(atob(base64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const base64url = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const credentialIds = (list) => (list || []).forEach((c) => (c.id = bytes(c.id)));

/** A credential's JSON form: the fields both ceremonies share, and the response's own. */
const credentialJson = (credential, response) =>
  JSON.stringify({
    id: credential.id,
    rawId: base64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    response: { clientDataJSON: base64url(credential.response.clientDataJSON), ...response },
  });

/** Whether this browser has WebAuthn at all. */
export function supported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

/** Whether the username field may offer passkeys through autofill (conditional mediation). */
export async function conditionalAvailable() {
  return (
    supported() &&
    typeof PublicKeyCredential.isConditionalMediationAvailable === "function" &&
    (await PublicKeyCredential.isConditionalMediationAvailable())
  );
}

/** `navigator.credentials.create` from `CreationOptions` JSON; resolves to `RegistrationResponseJSON` text. */
export async function create(optionsJson) {
  const options = JSON.parse(optionsJson);
  options.challenge = bytes(options.challenge);
  options.user.id = bytes(options.user.id);
  credentialIds(options.excludeCredentials);
  const credential = await navigator.credentials.create({ publicKey: options });
  const response = credential.response;
  return credentialJson(credential, {
    attestationObject: base64url(response.attestationObject),
    transports: typeof response.getTransports === "function" ? response.getTransports() : [],
  });
}

/**
 * `navigator.credentials.get` from `RequestOptions` JSON; resolves to `AuthenticationResponseJSON`
 * text. `conditional`: wait for the member to pick a passkey in the username field's autofill.
 */
export async function get(optionsJson, conditional, signal) {
  const options = JSON.parse(optionsJson);
  options.challenge = bytes(options.challenge);
  credentialIds(options.allowCredentials);
  const credential = await navigator.credentials.get({
    publicKey: options,
    mediation: conditional ? "conditional" : "optional",
    signal,
  });
  const response = credential.response;
  return credentialJson(credential, {
    authenticatorData: base64url(response.authenticatorData),
    signature: base64url(response.signature),
    userHandle: response.userHandle ? base64url(response.userHandle) : undefined,
  });
}

/** The name of a rejection (`NotAllowedError`, `AbortError`, …), or "" when it has none. */
export function errorName(error) {
  return (error && typeof error.name === "string" && error.name) || "";
}
