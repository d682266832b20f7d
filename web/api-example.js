// The JS API, as a documentation site would use it (README, "The JS API").
import init, { examples, explain } from './peername-api.js';

await init();

// 1. A gallery example, as the page has it.
const fastmail = examples().find((e) => e.name === 'fastmail').scenario;
const report = explain(fastmail);
document.getElementById('fastmail').textContent =
  `${report.verdict.status} ${report.outcome.dsn}: ${report.verdict.headline}`;

// 2. A scenario written by hand: only the fields that matter; every other one has a default.
const custom = explain({
  postfix_version: '3.11.6',
  destination: 'user@fastmail.fm',
  main_cf: 'smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_CApath = /etc/ssl/certs\n',
  policy_table: 'fastmail.fm secure match=.messagingengine.com\n',
  mx: 'in1-smtp.messagingengine.com',
  certificates: fastmail.certificates,
  ca_trust: 'trusted',
  evaluated_at: '2026-11-23T04:07:48Z',
});
document.getElementById('custom').textContent =
  `${custom.verdict.status}: ${custom.trace.map((s) => `${s.number}. ${s.title} (${s.mark})`).join(' · ')}`;
document.getElementById('log').textContent = custom.log.map((l) => `${l.program}: ${l.text}`).join('\n');
