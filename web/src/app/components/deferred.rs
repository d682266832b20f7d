//! The answer first: parts of the page below the verdict (the walk, the log lines, the fixes)
//! appear one painted frame after it when the page first shows a report, so opening a permalink
//! paints the verdict without waiting for the browser to lay out the whole walk. Later reports
//! (a keystroke, a fix) render everything at once.

use crate::app::js;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    /// What to show after the first paint.
    pub children: Html,
}

/// Shows its children from the frame after it was first painted.
#[function_component(Deferred)]
pub fn deferred(props: &DeferredProps) -> Html {
    let ready = use_state_eq(|| false);
    {
        let ready = ready.clone();
        use_effect_with((), move |()| js::after_next_paint(move || ready.set(true)));
    }
    if *ready {
        props.children.clone()
    } else {
        html! {}
    }
}
