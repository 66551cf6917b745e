/**
 * What pino must never write: tokens, passwords, private keys and authorization headers, wherever
 * they sit in a logged object (two levels deep: an error's request options, a kubeconfig user).
 */
const KEYS = ['token', 'authorization', 'password', 'privateKey', 'tls.key', 'ca.key', 'bearerToken'];

export const REDACT_PATHS: readonly string[] = KEYS.flatMap((k) => {
  const p = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const sub = p.startsWith('[') ? p : `.${p}`;
  return [p, `*${sub}`, `*.*${sub}`];
});

/** pino's `redact` option: the paths above, censored. */
export const REDACT = { paths: [...REDACT_PATHS], censor: '[redacted]' } as const;
