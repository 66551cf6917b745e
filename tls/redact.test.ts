import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT } from './redact.js';

describe('log redaction', () => {
  it('never writes tokens, authorization headers or private keys, at any of the first levels', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const log = pino({ redact: { ...REDACT, paths: [...REDACT.paths] } }, sink);
    log.info({ token: 'T1', headers: { authorization: 'Bearer T2' }, user: { kubeconfig: { token: 'T3' } }, secret: { 'tls.key': 'K1', privateKey: 'K2' }, setting: { key: 'admissionController.x' }, podName: 'p' }, 'hello');
    const text = lines.join('');
    for (const s of ['T1', 'T2', 'T3', 'K1', 'K2']) expect(text).not.toContain(s);
    expect(text).toContain('"podName":"p"');
    expect(text).toContain('"key":"admissionController.x"');
    expect(text).toContain('[redacted]');
  });
});
