//! What an action says when it is done or has failed: one live region per form, and the copy for
//! each API error code a console action can meet.

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use guestpass_app::api::Failure;
use guestpass_wire::ErrorCode;
use leptos::prelude::*;

use crate::api::{LoadError, Loaded};
use crate::copy::Key;
use crate::Texts;

/// The console's words for a failure: one exhaustive match, so a new code cannot go unsaid.
pub fn failure_key(failure: &Failure) -> Key {
    let Failure::Api { code, .. } = failure else {
        return Key::ErrNetwork;
    };
    match code {
        ErrorCode::Forbidden | ErrorCode::CrossSiteRequest | ErrorCode::PasskeyNotAllowed => {
            Key::ErrForbidden
        }
        ErrorCode::Unauthorized => Key::ErrSessionEnded,
        ErrorCode::Conflict => Key::ErrConflict,
        ErrorCode::ValidationFailed
        | ErrorCode::InvalidRequest
        | ErrorCode::InvalidJson
        | ErrorCode::InvalidEmail => Key::ErrCheckInput,
        ErrorCode::UserNotFound | ErrorCode::NotFound | ErrorCode::TenantNotFound => {
            Key::ErrNotFound
        }
        ErrorCode::Throttled => Key::ErrThrottled,
        ErrorCode::DomainNotAllowed => Key::ErrDomainNotAllowed,
        ErrorCode::ServiceUnavailable => Key::ErrUnavailable,
        ErrorCode::InvalidCode
        | ErrorCode::CodeExpired
        | ErrorCode::CodeAlreadyUsed
        | ErrorCode::TooManyAttempts
        | ErrorCode::EmailOtpDisabled
        | ErrorCode::TenantMissing
        | ErrorCode::InvalidCredentials
        | ErrorCode::PasskeyNotAccepted
        | ErrorCode::PasskeyNotRecognized
        | ErrorCode::TemporaryAccessPassNotYetValid
        | ErrorCode::TemporaryAccessPassExpired
        | ErrorCode::TemporaryAccessPassDisabled
        | ErrorCode::TemporaryAccessPassBlocked
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::PayloadTooLarge
        | ErrorCode::MethodNotAllowed
        | ErrorCode::InternalError => Key::ErrGeneric,
    }
}

/// The result of the last action on a form: a notice, an error, or nothing yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done(Key),
    Failed(Key),
}

impl Outcome {
    pub fn of<T>(result: &Result<T, Failure>, done: Key) -> Outcome {
        match result {
            Ok(_) => Outcome::Done(done),
            Err(failure) => Outcome::Failed(failure_key(failure)),
        }
    }
}

/// A form's request, boxed: what the one `Action` type of every form runs. Taken once, when dispatched.
#[derive(Clone)]
struct Job(Rc<RefCell<Option<Request>>>);

type Request = Pin<Box<dyn Future<Output = Result<(), Failure>>>>;

/// A form's submission: one Leptos `Action` type for every form (its machinery compiled once),
/// whose `pending` state the submit button follows, and the outcome the form's live region says.
#[derive(Clone, Copy)]
pub struct Submit {
    action: Action<Job, Result<(), Failure>>,
    pub outcome: RwSignal<Option<Outcome>>,
}

impl Default for Submit {
    fn default() -> Self {
        Self::new()
    }
}

impl Submit {
    pub fn new() -> Self {
        Self {
            action: Action::new_local(|job: &Job| {
                let request = job.0.borrow_mut().take();
                async move {
                    match request {
                        Some(request) => request.await,
                        None => Ok(()),
                    }
                }
            }),
            outcome: RwSignal::new(None),
        }
    }

    pub fn pending(self) -> Memo<bool> {
        self.action.pending()
    }

    /// Sends `request`; a success says `done` and is handed to `then`, a failure says why.
    pub fn send<T: 'static>(
        self,
        done: Key,
        request: impl Future<Output = Result<T, Failure>> + 'static,
        then: impl FnOnce(T) + 'static,
    ) {
        self.start(done, Box::pin(async move { request.await.map(then) }));
    }

    fn start(self, done: Key, request: Request) {
        let outcome = self.outcome;
        let said = Box::pin(async move {
            let result = request.await;
            outcome.set(Some(Outcome::of(&result, done)));
            result
        });
        outcome.set(None);
        self.action
            .dispatch_local(Job(Rc::new(RefCell::new(Some(said)))));
    }
}

/// The live regions an action's outcome is announced in (always in the DOM, so a screen reader
/// hears each new message).
#[component]
pub fn OutcomeMessage(
    #[prop(into)] outcome: Signal<Option<Outcome>>,
    id: &'static str,
) -> impl IntoView {
    let texts = Texts::get();
    view! {
        <div id=id class="message" role="status" aria-live="polite" aria-atomic="true">
            {move || match outcome.get() {
                Some(Outcome::Done(key)) => Some(view! { <p class="message-notice">{texts.t(key)}</p> }.into_any()),
                Some(Outcome::Failed(key)) => Some(view! { <p class="message-error" role="alert">{texts.t(key)}</p> }.into_any()),
                None => None,
            }}
        </div>
    }
}

/// What a page shows when its data did not load.
#[component]
pub fn LoadFailed(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let texts = Texts::get();
    let key = move || {
        errors
            .get()
            .into_iter()
            .next()
            .and_then(|(_, error)| error.downcast_ref::<LoadError>().map(|e| failure_key(&e.0)))
            .unwrap_or(Key::ErrGeneric)
    };
    view! { <p class="message message-error" role="alert">{move || texts.t(key())}</p> }
}

/// A value of any type, behind one resource type.
type Erased = Rc<dyn Any>;
type ErasedLoad = Pin<Box<dyn Future<Output = Result<Erased, LoadError>>>>;

/// A section of a page drawn from loaded data: the loading state while it comes (the previous
/// content stays during a reload), the failure if it does not come, else `render`'s view. `load`
/// runs again when a signal it reads changes. Every section holds its value behind one erased
/// type, so Leptos's resource and suspense machinery is compiled once, not once per value type.
#[component]
pub fn Data<T, Fut>(
    load: impl Fn() -> Fut + 'static,
    #[prop(into)] render: Callback<T, AnyView>,
) -> impl IntoView
where
    T: Clone + 'static,
    Fut: Future<Output = Loaded<T>> + 'static,
{
    let load: Rc<dyn Fn() -> ErasedLoad> = Rc::new(move || {
        let loading = load();
        Box::pin(async move { loading.await.map(|value| Rc::new(value) as Erased) })
    });
    let render = Callback::new(move |value: Erased| match value.downcast_ref::<T>() {
        Some(value) => render.run(value.clone()),
        None => ().into_any(),
    });
    erased_data(load, render)
}

fn erased_data(load: Rc<dyn Fn() -> ErasedLoad>, render: Callback<Erased, AnyView>) -> AnyView {
    let resource = LocalResource::new(move || load());
    view! {
        <Transition fallback=crate::pages::Loading>
            <ErrorBoundary fallback=|errors| view! { <LoadFailed errors /> }>
                {move || Suspend::new(async move { resource.await.map(|value| render.run(value)) })}
            </ErrorBoundary>
        </Transition>
    }
    .into_any()
}
