//! Pastes the page takes over: longer than a pane's limit (cut at whole lines) or too long for
//! a text field (held by the page instead, see `components::held_text`).

use js_sys::JsString;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::NodeRef;

/// Text longer than this is held by the page but not shown in a text field: Chromium lays out
/// a text field's whole value at once, about 100 ms for 256 KiB and 0.3–2 s for the policy
/// table's 2 MiB, longer than the page may stop answering (docs/LIMITS.md).
pub const EDITABLE_MAX: usize = 256 * 1024;

/// What a paste the page took over did.
pub struct Pasted {
    /// Bytes on the clipboard.
    pub size: usize,
    /// Bytes of it kept (whole lines within the pane's limit).
    pub kept: usize,
    /// The pane's new text, when it is too long for the text field (it was not put there).
    pub held: Option<String>,
}

/// Takes over a paste that is longer than `limit` bytes (keeping its first whole lines) or
/// that makes the text longer than [`EDITABLE_MAX`]: the new text replaces the selection as a
/// paste would, in the field or, when too long for one, only in what is returned. Other
/// pastes are left to the browser (`None`).
///
/// The clipboard's text stays a JavaScript string: only its first `limit` UTF-16 units (which
/// hold every prefix of at most `limit` bytes) are copied into Rust, so a 10 MB paste costs what
/// the pane keeps, not what was pasted.
pub fn take_over_paste(node: &NodeRef, e: &web_sys::Event, limit: usize) -> Option<Pasted> {
    let data = e.dyn_ref::<web_sys::ClipboardEvent>()?.clipboard_data()?;
    let get_data: js_sys::Function = js_sys::Reflect::get(&data, &"getData".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let text: JsString = get_data
        .call1(&data, &"text".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let element = node.get()?;
    let value: JsString = js_sys::Reflect::get(&element, &"value".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let (units, len) = (text.length() as usize, value.length());
    // The selection, in the UTF-16 units the element counts in.
    let (start, end) = if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        (
            area.selection_start().ok().flatten(),
            area.selection_end().ok().flatten(),
        )
    } else {
        let input = element.dyn_ref::<HtmlInputElement>()?;
        (
            input.selection_start().ok().flatten(),
            input.selection_end().ok().flatten(),
        )
    };
    let (start, end) = (start.unwrap_or(len).min(len), end.unwrap_or(len).min(len));
    let after_units = (len - (end - start)) as usize + units;
    // A UTF-16 unit is at most 3 bytes of UTF-8: within both limits whatever the text.
    if units * 3 <= limit && after_units * 3 <= EDITABLE_MAX {
        return None;
    }
    let head = String::from(text.slice(0, units.min(limit) as u32));
    let size = if units <= limit {
        head.len()
    } else {
        utf8_len(&text)
    };
    let kept = super::state::whole_lines(&head, limit);
    let before = String::from(value.slice(0, start));
    let rest = String::from(value.slice(end, len));
    if kept.len() == size && before.len() + size + rest.len() <= EDITABLE_MAX {
        return None;
    }
    e.prevent_default();
    if before.len() + kept.len() + rest.len() > EDITABLE_MAX {
        let held = [before.as_str(), kept, rest.as_str()].concat();
        return Some(Pasted {
            size,
            kept: kept.len(),
            held: Some(held),
        });
    }
    // Replaced as one new value (setRangeText on megabytes closed headless Chromium's page).
    let new_value = value
        .slice(0, start)
        .concat(&kept.into())
        .concat(&value.slice(end, len).into());
    js_sys::Reflect::set(&element, &"value".into(), &new_value).ok()?;
    Some(Pasted {
        size,
        kept: kept.len(),
        held: None,
    })
}

/// The UTF-8 length of a JavaScript string, measured by the browser (a Blob of it) without
/// copying it into Rust.
fn utf8_len(text: &JsString) -> usize {
    let parts = js_sys::Array::of1(text);
    web_sys::Blob::new_with_str_sequence(&parts)
        .map_or(text.length() as usize, |b| b.size() as usize)
}

/// Bytes with thousands separators (1,234,567).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
