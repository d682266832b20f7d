//! Terminal colour: on for terminals (unless NO_COLOR), off for pipes and files.

use crate::args::ColorChoice;
use std::io::IsTerminal;

/// ANSI styling that can be switched off.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Decides from the choice, NO_COLOR and whether stdout is a terminal.
    pub fn new(choice: ColorChoice) -> Self {
        let on = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        Style { on }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Bold.
    pub fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    /// Red (failures).
    pub fn red(&self, t: &str) -> String {
        self.paint("31;1", t)
    }
    /// Green (passes).
    pub fn green(&self, t: &str) -> String {
        self.paint("32;1", t)
    }
    /// Yellow (warnings).
    pub fn yellow(&self, t: &str) -> String {
        self.paint("33;1", t)
    }
    /// Blue (locations, info).
    pub fn blue(&self, t: &str) -> String {
        self.paint("34;1", t)
    }
    /// Dim (secondary text).
    pub fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
}
