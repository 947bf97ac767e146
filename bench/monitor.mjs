#!/usr/bin/env node
// A monitor for the overhead benchmarks: netladder's capture with every
// program, or without the DNS and TLS ones (--without-names), events
// counted and dropped. Prints "watching" on stderr once attached and a
// one-line summary when stopped with SIGINT.
import { Capture } from '../dist/kernel/capture.js';

export const NAME_PROGRAMS = [
  'nl_gai_enter', 'nl_gai_exit', 'nl_sendmmsg_enter', 'nl_recvmmsg_enter', 'nl_dns_send', 'nl_dns_recv',
  'nl_ssl_ctrl', 'nl_ssl_free', 'nl_ssl_verify_enter', 'nl_ssl_verify_exit',
];

const without = process.argv.includes('--without-names');
let events = 0;
const capture = Capture.start({ disable: without ? NAME_PROGRAMS : [], onEvents: (b) => (events += b.length) });
const attached = capture.programs().filter((p) => p.attached).length;
process.stderr.write(`watching (${attached} programs attached)\n`);
await new Promise((r) => process.once('SIGINT', r));
await capture.close();
process.stderr.write(`events ${events}\n`);
