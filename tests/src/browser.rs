//! Driving the real SPA in headless Chromium through chromedriver (`cargo xtask test` starts it
//! and a Worker of its own for browser tests, `GUESTPASS_BROWSER_URL`, `GUESTPASS_WEBDRIVER_URL`).
//!
//! Helpers wait for what a person would wait for (an element, a text), never for a fixed time:
//! the router renders asynchronously after wasm loads.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub use fantoccini::key::Key;

pub struct Browser {
    pub client: Client,
    pub base: String,
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the browser tests with `cargo xtask test`")
    })
}

/// A fresh browser profile whose preferred language is `language` (a BCP 47 tag).
pub async fn open(language: &str) -> Browser {
    let chromium =
        std::env::var("GUESTPASS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                // Without these Chromium floods a closed network with refused connections.
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1024,900", format!("--lang={language}"),
            ],
            "prefs": { "intl.accept_languages": language },
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&env("GUESTPASS_WEBDRIVER_URL"))
        .await
        .expect("a chromedriver session");
    Browser {
        client,
        base: env("GUESTPASS_BROWSER_URL"),
    }
}

/// [`open`], on `http://localhost:PORT` instead of the loopback address: WebAuthn needs a
/// secure context whose host can be an RP ID, and browsers refuse an IP address as one.
pub async fn open_on_localhost(language: &str) -> Browser {
    let mut browser = open(language).await;
    browser.base = browser.base.replace("127.0.0.1", "localhost");
    browser
}

/// One WebDriver extension command (WebAuthn §11, the virtual authenticator), which fantoccini
/// has no helper for: a path under the session and an optional JSON body.
#[derive(Debug)]
struct WebAuthnCommand {
    method: http::Method,
    path: String,
    body: Option<Value>,
}

impl fantoccini::wd::WebDriverCompatibleCommand for WebAuthnCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            self.method.clone(),
            self.body.as_ref().map(|body| body.to_string()),
        )
    }
}

/// A virtual authenticator in the browser: a platform authenticator (CTAP2, internal) with
/// resident keys and user verification, as a laptop's or a phone's.
pub struct Authenticator {
    id: String,
}

// An upper bound, not a timing: a loaded two-core CI machine runs four browsers at once, and the
// local KV simulator has been seen to hold one request for 30 s (a sign-in log read, which then
// answered 200).
pub const WAIT: Duration = Duration::from_secs(60);

/// Waits until `probe` answers true (polling every 50 ms), and fails after [`WAIT`] naming
/// `what` never happened.
pub async fn until<F: std::future::Future<Output = bool>>(
    what: &str,
    mut probe: impl FnMut() -> F,
) {
    let deadline = Instant::now() + WAIT;
    while !probe().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Browser {
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigation");
    }

    /// Opens an absolute link (an invitation's) on this browser's Worker.
    pub async fn open_link(&self, url: &str) {
        let path = url
            .find("://")
            .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
            .unwrap_or("/");
        self.goto(path).await;
    }

    async fn webauthn(&self, method: http::Method, path: String, body: Option<Value>) -> Value {
        let command = WebAuthnCommand { method, path, body };
        let what = format!("{command:?}");
        self.client
            .issue_cmd(command)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// Adds a virtual authenticator that verifies its user: every WebAuthn request of the page
    /// goes to it from now on.
    pub async fn add_authenticator(&self) -> Authenticator {
        let options = json!({
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
            "hasUserVerification": true, "isUserVerified": true,
        });
        let id = self
            .webauthn(http::Method::POST, "authenticator".into(), Some(options))
            .await;
        Authenticator {
            id: id.as_str().expect("an authenticator id").to_string(),
        }
    }

    /// The credentials `authenticator` holds (with their private keys, as WebDriver gives them).
    pub async fn credentials(&self, authenticator: &Authenticator) -> Vec<Value> {
        let path = format!("authenticator/{}/credentials", authenticator.id);
        match self.webauthn(http::Method::GET, path, None).await {
            Value::Array(credentials) => credentials,
            other => panic!("credentials: {other}"),
        }
    }

    /// Takes `authenticator`'s credentials away (to be given back with [`Browser::add_credential`]).
    pub async fn remove_credentials(&self, authenticator: &Authenticator) {
        let path = format!("authenticator/{}/credentials", authenticator.id);
        self.webauthn(http::Method::DELETE, path, None).await;
    }

    /// Whether `authenticator` verifies its user (a fingerprint that matches) from now on.
    pub async fn set_user_verified(&self, authenticator: &Authenticator, verified: bool) {
        let path = format!("authenticator/{}/uv", authenticator.id);
        let body = json!({ "isUserVerified": verified });
        self.webauthn(http::Method::POST, path, Some(body)).await;
    }

    pub async fn add_credential(&self, authenticator: &Authenticator, credential: Value) {
        let path = format!("authenticator/{}/credential", authenticator.id);
        self.webauthn(http::Method::POST, path, Some(credential))
            .await;
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits for `css` to exist. A lookup that fails for another reason than absence (a
    /// navigation aborts it while the console sends a visitor to sign-in) is retried too.
    pub async fn element(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(element) => return element,
                Err(e) if Instant::now() >= deadline => panic!("no {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits for `css` to exist and returns its text.
    pub async fn text(&self, css: &str) -> String {
        let element = self.element(css).await;
        element.text().await.expect("text")
    }

    /// Waits until `css` exists and its text contains `expected`; returns the text.
    pub async fn wait_text(&self, css: &str, expected: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return text;
            }
            if Instant::now() >= deadline {
                // The whole page's text says why (an error message, a different screen).
                let page = match self.client.find(Locator::Css("body")).await {
                    Ok(body) => body.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!("{css} never said {expected:?}; it says {text:?}; the page says {page:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    pub async fn click(&self, css: &str) {
        let element = self.element(css).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types into `css` (after clearing it) as a keyboard would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css).await;
        element.clear().await.expect("clear");
        element.send_keys(text).await.expect("keys");
    }

    /// Keys sent to whatever has focus.
    pub async fn keys(&self, text: &str) {
        let element = self
            .client
            .active_element()
            .await
            .expect("a focused element");
        element.send_keys(text).await.expect("keys");
    }

    /// Presses Tab until the focused element matches `css`, as a keyboard user moves through a
    /// page; returns how many presses it took, and fails after 40, naming what focus passed.
    pub async fn tab_to(&self, css: &str) -> usize {
        let mut passed = Vec::new();
        for presses in 1..=40 {
            self.keys(&Key::Tab.to_string()).await;
            let here = self
                .client
                .execute(
                    "const e = document.activeElement; \
                     return [e.matches(arguments[0]), e.id || e.getAttribute('href') || e.tagName];",
                    vec![Value::String(css.to_string())],
                )
                .await
                .expect("script");
            if here[0].as_bool() == Some(true) {
                return presses;
            }
            passed.push(here[1].as_str().unwrap_or_default().to_string());
        }
        panic!("Tab never reached {css}; focus went through {passed:?}");
    }

    /// The `id` of the focused element.
    pub async fn focused_id(&self) -> String {
        let value = self
            .client
            .execute(
                "return document.activeElement && document.activeElement.id",
                vec![],
            )
            .await
            .expect("script");
        value.as_str().unwrap_or_default().to_string()
    }

    /// Waits until the element with `id` has focus (focus moves after the step renders).
    pub async fn wait_focused(&self, id: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let focused = self.focused_id().await;
            if focused == id {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "focus never reached #{id}; it is on #{focused}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn value(&self, css: &str) -> String {
        let element = self.element(css).await;
        element
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let element = self.element(css).await;
        element.attr(name).await.expect("attribute")
    }

    /// Waits until the button `css` is enabled or disabled.
    pub async fn wait_enabled(&self, css: &str, enabled: bool) {
        let deadline = Instant::now() + WAIT;
        while self.attr(css, "disabled").await.is_none() != enabled {
            assert!(
                Instant::now() < deadline,
                "{css} never became {}",
                if enabled { "enabled" } else { "disabled" }
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Chooses a language with the page's switcher.
    pub async fn choose_language(&self, tag: &str) {
        self.click(&format!("#language option[value='{tag}']"))
            .await;
        self.wait_lang(tag).await;
    }

    /// Waits until `<html lang>` is `tag`.
    pub async fn wait_lang(&self, tag: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let lang = self
                .client
                .execute("return document.documentElement.lang", vec![])
                .await
                .expect("script");
            if lang.as_str() == Some(tag) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page never switched to {tag} (it is {lang})"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Serious and critical WCAG 2.2 A/AA violations axe-core finds on the current page.
    pub async fn accessibility_violations(&self) -> Vec<Value> {
        let axe = std::fs::read_to_string(workspace().join("node_modules/axe-core/axe.min.js"))
            .expect("node_modules/axe-core (npm ci installs it)");
        self.client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .expect("axe-core loads");
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
              .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
              .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e) }]));";
        let found = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe.run");
        found
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect()
    }

    /// Fails the test when axe-core finds a serious or critical violation on `screen`.
    pub async fn assert_accessible(&self, screen: &str) {
        let violations = self.accessibility_violations().await;
        assert!(
            violations.is_empty(),
            "{screen}: accessibility violations: {}",
            serde_json::to_string_pretty(&violations).unwrap()
        );
    }

    /// Saves `tests/artifacts/{name}.png` and checks that it is not blank.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let colours = distinct_colours(&png);
        let dir = workspace().join("tests/artifacts");
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        std::fs::write(dir.join(format!("{name}.png")), &png).expect("write screenshot");
        // A blank page has one colour, the loading skeleton a handful; rendered text has many.
        assert!(
            colours >= 32,
            "{name}: the screenshot looks blank ({colours} colours)"
        );
    }

    /// The page's content width and viewport width, in CSS pixels: content wider than the
    /// viewport scrolls sideways (it must not, down to 320 CSS pixels).
    pub async fn widths(&self) -> (u64, u64) {
        let value = self
            .client
            .execute(
                "const e = document.documentElement; return [e.scrollWidth, e.clientWidth]",
                vec![],
            )
            .await
            .expect("script");
        (
            value[0].as_u64().unwrap_or(0),
            value[1].as_u64().unwrap_or(0),
        )
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// How many different colours a PNG uses (sampled on a grid, which is plenty to tell).
fn distinct_colours(png: &[u8]) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG frame");
    let channels = info.color_type.samples();
    let mut seen = std::collections::HashSet::new();
    for y in (0..info.height as usize).step_by(2) {
        for x in (0..info.width as usize).step_by(2) {
            let at = (y * info.width as usize + x) * channels;
            seen.insert(pixels[at..at + 3.min(channels)].to_vec());
        }
    }
    seen.len()
}
