//! What an action says when it is done or has failed: one live region per form, and the copy for
//! each API error code a console action can meet.

use guestpass_app::api::Failure;
use guestpass_wire::ErrorCode;
use leptos::prelude::*;

use crate::copy::Key;
use crate::Texts;

/// The console's words for a failure: one exhaustive match, so a new code cannot go unsaid.
pub fn failure_key(failure: &Failure) -> Key {
    let Failure::Api { code, .. } = failure else {
        return Key::ErrNetwork;
    };
    match code {
        ErrorCode::Forbidden | ErrorCode::CrossSiteRequest => Key::ErrForbidden,
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
            .and_then(|(_, error)| {
                error
                    .downcast_ref::<crate::api::LoadError>()
                    .map(|e| failure_key(&e.0))
            })
            .unwrap_or(Key::ErrGeneric)
    };
    view! { <p class="message message-error" role="alert">{move || texts.t(key())}</p> }
}

/// A section of a page drawn from loaded data: the loading state while it comes (the previous
/// content stays during a reload), the failure if it does not come, else `render`'s view. One
/// component for every page, so each value type's loading code is compiled once.
#[component]
pub fn Data<T>(
    resource: LocalResource<crate::api::Loaded<T>>,
    #[prop(into)] render: Callback<T, AnyView>,
) -> impl IntoView
where
    T: Clone + 'static,
{
    view! {
        <Transition fallback=crate::pages::Loading>
            <ErrorBoundary fallback=|errors| view! { <LoadFailed errors /> }>
                {move || Suspend::new(async move { resource.await.map(|value| render.run(value)) })}
            </ErrorBoundary>
        </Transition>
    }
}
