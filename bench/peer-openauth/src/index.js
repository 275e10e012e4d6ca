// OpenAuth 0.4.3's email-code sign-in as its documentation sets it up on Workers: an issuer
// with one CodeProvider, its state in CloudflareStorage on a KV namespace. `cargo xtask bench
// --peer` drives it beside Guestpass (xtask/src/peer.rs).
//
// What differs from a deployment, and why:
// - `request` answers a small JSON body instead of OpenAuth's HTML screens, so the figures are
//   the flow's work, not its page rendering (this flatters OpenAuth).
// - `sendCode` keeps the code in this isolate's memory for the bench client to read at
//   `/bench/code` (untimed), where a deployment would await an email API inside the request.
// - `/health` answers without OpenAuth: the runtime's floor, like Guestpass's health route.
// - KV writes get at least the 60 s TTL KV requires: 0.4.3's CloudflareStorage rounds a 60 s
//   code's TTL down to 59 when a millisecond passes, and KV refuses the write (openauth#302; the
//   fix, #219, is merged but unreleased). This is that fix, outside the package.
// - The issuer is made once per isolate (OpenAuth's Workers example makes one per request), so
//   its keys are read from KV once, not on every request (this flatters OpenAuth too).
import { issuer } from "@openauthjs/openauth"
import { CodeProvider } from "@openauthjs/openauth/provider/code"
import { CloudflareStorage } from "@openauthjs/openauth/storage/cloudflare"
import { createSubjects } from "@openauthjs/openauth/subject"
import { object, string } from "valibot"

const subjects = createSubjects({ user: object({ email: string() }) })

/** The last code sent to each address (this isolate only; `wrangler dev` runs one). */
const sentCodes = new Map()

let made

/** `kv` with every `put`'s `expirationTtl` raised to KV's minimum of 60 s. */
function withMinimumTtl(kv) {
  return {
    get: (key, type) => kv.get(key, type),
    put: (key, value, options) =>
      kv.put(
        key,
        value,
        options?.expirationTtl === undefined
          ? options
          : { ...options, expirationTtl: Math.max(options.expirationTtl, 60) },
      ),
    delete: (key) => kv.delete(key),
    list: (options) => kv.list(options),
  }
}

function app(env) {
  made ??= issuer({
    subjects,
    storage: CloudflareStorage({ namespace: withMinimumTtl(env.AUTH_KV) }),
    providers: {
      code: CodeProvider({
        async request(_req, state, _form, error) {
          return Response.json({ state: state.type, error: error?.type ?? null })
        },
        async sendCode(claims, code) {
          sentCodes.set(claims.email, code)
        },
      }),
    },
    async success(ctx, value) {
      return ctx.subject("user", { email: value.claims.email })
    },
  })
  return made
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === "/health") return new Response("ok")
    if (url.pathname === "/bench/code") {
      const code = sentCodes.get(url.searchParams.get("email"))
      return code ? Response.json({ code }) : new Response("no code", { status: 404 })
    }
    return app(env).fetch(request, env, ctx)
  },
}
