//! One function component per file. Every component gets the page's language and the state's
//! dispatcher from [`Ctx`]; the ones that render the report take it as `Shared<Report>` props, so
//! an unchanged report never re-renders.

mod app;
mod cert_pane;
mod certificates;
mod changes_banner;
mod chain;
mod copy_button;
mod deferred;
mod diagnostics;
mod fixes;
mod gallery;
mod header;
mod held_text;
mod inputs;
mod ladder;
mod log_lines;
mod log_pane;
mod name_grid;
mod notices;
mod references;
mod server;
mod step;
mod text_pane;
mod trust_pane;
mod verdict;
mod version_pane;
mod walk;

pub use app::App;

use super::hooks::EngineHandle;
use super::i18n::Lang;
use super::shared::Shared;
use super::state::AppState;
use crate::view::{ConnectionView, DetailView, RefView, StepView};
use yew::prelude::*;

/// One step of a report, as a prop: shared, never copied into child components, and equal
/// only to itself (see the walk: an unchanged step keeps its identity across reports).
#[derive(Clone, PartialEq)]
pub struct StepRef {
    /// The step.
    pub step: Shared<StepView>,
}

impl StepRef {
    /// The references and connection of a server (or posttls-finger) step.
    pub fn server(&self) -> Option<(&[RefView], Option<&ConnectionView>)> {
        match &self.step.detail {
            DetailView::Server(s) => Some((&s.references, s.connection.as_ref())),
            DetailView::Finger { references, connection, .. } => Some((references, connection.as_deref())),
            _ => None,
        }
    }
}

/// What every component may use.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    /// The page's language.
    pub lang: Lang,
    /// Whether its words are loaded (else English shows): a change re-renders every component.
    pub words_ready: bool,
    /// Changes the state.
    pub dispatch: UseReducerDispatcher<AppState>,
    /// The engine worker.
    pub engine: EngineHandle,
}

/// A `class` value from its parts (empty parts are left out). Cheaper than `classes!`, which
/// builds a hashed set for every element.
pub fn class_list(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// The context (every component is rendered inside the App's provider).
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("components are rendered inside App's ContextProvider<Ctx>")
}
