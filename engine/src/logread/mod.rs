//! Reading Postfix logs: from a pasted excerpt to the facts it shows, the era its wording
//! betrays, a scenario, the stage that failed, and a cross-check against the engine.
