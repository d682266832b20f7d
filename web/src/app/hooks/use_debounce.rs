//! Debouncing: a keystroke only restarts a timer; the pane is read and the state changed once
//! typing pauses, so the main thread's work per keystroke stays tiny whatever the input's size.

use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A callback that runs `callback` once no call came for `delay_ms` (0: at once, inside the
/// input event, so the request leaves for the worker before the browser paints the keystroke).
/// Each call notes the input for the `pn:update` measure.
#[hook]
pub fn use_debounce(delay_ms: u32, callback: Callback<()>) -> Callback<()> {
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let latest = use_mut_ref(|| callback.clone());
    *latest.borrow_mut() = callback;
    use_callback((), move |(), ()| {
        crate::app::js::note_input();
        if delay_ms == 0 {
            *timer.borrow_mut() = None;
            latest.borrow().emit(());
            return;
        }
        let latest = latest.clone();
        // Replacing the Timeout drops (cancels) the previous one.
        *timer.borrow_mut() = Some(Timeout::new(delay_ms, move || latest.borrow().emit(())));
    })
}
