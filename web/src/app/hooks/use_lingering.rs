//! A flag shown only once it has held for a while: "updating…" for an answer that is slow to
//! come, not a flicker on every keystroke.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// True once `flag` has been true for `delay_ms` without a break; false as soon as it is false.
/// A keystroke's answer usually comes within 20 ms, so marking the page stale at once would
/// change the DOM twice per keystroke and make the browser lay out and paint a frame that
/// delays the answer itself.
#[hook]
pub fn use_lingering(flag: bool, delay_ms: u32) -> bool {
    let shown = use_state_eq(|| false);
    {
        let shown = shown.clone();
        use_effect_with(flag, move |&flag| {
            let timer = if flag {
                let shown = shown.clone();
                Some(Timeout::new(delay_ms, move || shown.set(true)))
            } else {
                shown.set(false);
                None
            };
            // Dropping the Timeout cancels it: the answer came first.
            move || drop(timer)
        });
    }
    *shown && flag
}
