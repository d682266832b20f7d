// Opening a permalink (#…s=…): starts the engine worker at once, while the page's own
// WebAssembly is still loading, so both load side by side. The build puts this text inline in
// index.html (scripts/externalize-inline-scripts.mjs, `data-inline`; the CSP allows it by its
// SHA-256), so it runs while <head> is parsed, without a request of its own. The page adopts this worker when it
// first needs one (web/src/app/hooks/use_engine.rs, EngineHandle::start) and replays the messages
// that came before it listened. Without a permalink the worker starts on first need, as before,
// so a plain visit does not download the engine.
(() => {
  if (!/(^#|&)s=/.test(location.hash)) return;
  try {
    // The fragment rides along in the worker's own URL (never sent to a server): the worker
    // reads the link and explains it while the page loads.
    const worker = new Worker(`./peername-api_loader.js${location.hash}`, { type: 'module' });
    const early = [];
    worker.onmessage = (e) => early.push(e.data);
    window.__peernameEarlyWorker = { worker, early, link: location.hash };
  } catch (_) {
    // The page starts its own worker.
  }
})();
