import { describe, expect, it } from 'vitest';
import { kubeResources, parseKubeMilli, parseKubeQuantity } from './kube-quantity.js';

const Ki = 1024;
const Mi = 1024 ** 2;
const Gi = 1024 ** 3;

describe('parseKubeQuantity (Value(), rounded up)', () => {
  it.each([
    { name: 'zero', text: '0', value: 0 },
    { name: 'plain number', text: '128974848', value: 128_974_848 },
    { name: 'plus sign', text: '+5', value: 5 },
    { name: 'negative zero is zero', text: '-0', value: 0 },
    { name: 'leading zeros', text: '00012', value: 12 },
    // 100m = 0.1, rounded up to 1
    { name: 'milli rounds up', text: '100m', value: 1 },
    // 1500m = 1.5 -> 2
    { name: 'milli above one', text: '1500m', value: 2 },
    // 0.5 -> 1
    { name: 'fraction rounds up', text: '0.5', value: 1 },
    { name: 'fraction without whole part', text: '.5', value: 1 },
    { name: 'fraction without digits after the point', text: '1.', value: 1 },
    // a whole value written with a fraction is not rounded: 2.000 = 2
    { name: 'exact fraction', text: '2.000', value: 2 },
    // 1 + 10^-24 -> 2: the arithmetic is exact, not floating point
    { name: 'tiny excess still rounds up', text: '1.000000000000000000000001', value: 2 },
    { name: 'nano', text: '1n', value: 1 },
    { name: 'below nano', text: '0.1n', value: 1 },
    { name: 'micro', text: '1u', value: 1 },
    { name: 'kilo', text: '2k', value: 2_000 },
    { name: 'mega', text: '129M', value: 129_000_000 },
    { name: 'giga with a bare point (Kubernetes allows 1.G)', text: '1.G', value: 1e9 },
    { name: 'exa', text: '8E', value: 8e18 },
    { name: 'kibi', text: '1Ki', value: Ki },
    // 123 * 2^20 = 128974848
    { name: 'mebi', text: '123Mi', value: 123 * Mi },
    // 1.5 * 2^30 = 1610612736
    { name: 'fractional gibi', text: '1.5Gi', value: 1.5 * Gi },
    // 0.5Ki = 512
    { name: 'fractional kibi below one unit', text: '0.5Ki', value: 512 },
    // 7 * 2^60 = 8.07e18 < 2^63
    { name: 'largest binary unit', text: '7Ei', value: 7 * 2 ** 60 },
    { name: 'exponent', text: '1e3', value: 1_000 },
    { name: 'upper-case exponent', text: '2E6', value: 2_000_000 },
    { name: 'E followed by digits is an exponent, not exa', text: '1E3', value: 1_000 },
    { name: 'signed exponent', text: '1e+3', value: 1_000 },
    // 5e-3 = 0.005 -> 1
    { name: 'negative exponent rounds up', text: '5e-3', value: 1 },
    { name: 'fraction with exponent', text: '1.5e3', value: 1_500 },
    { name: 'huge negative exponent', text: '1e-999999999', value: 1 },
    { name: 'zero with a huge exponent', text: '0e999999999', value: 0 },
    { name: 'int64 max', text: '9223372036854775807', value: Number(2n ** 63n - 1n) },
  ])('$name: $text -> $value', ({ text, value }) => {
    expect(parseKubeQuantity(text)).toMatchObject({ ok: true, value });
  });

  it.each([
    { name: 'empty', text: '', reason: 'syntax' },
    { name: 'words', text: 'lots', reason: 'syntax' },
    { name: 'a point alone', text: '.', reason: 'syntax' },
    { name: 'a sign alone', text: '+', reason: 'syntax' },
    { name: 'two signs', text: '--1', reason: 'syntax' },
    { name: 'leading space (only JSON values are trimmed)', text: ' 1', reason: 'syntax' },
    { name: 'space before the unit', text: '1 Gi', reason: 'suffix' },
    { name: 'lower-case binary unit', text: '1ki', reason: 'suffix' },
    { name: 'upper-case K', text: '1K', reason: 'suffix' },
    { name: 'exponent without digits', text: '1e', reason: 'suffix' },
    { name: 'digits after a unit', text: '1Gi3', reason: 'suffix' },
    { name: 'two points', text: '1.2.3', reason: 'suffix' },
    { name: 'exponent beyond int32', text: '1e2147483648', reason: 'suffix' },
    { name: 'negative', text: '-1', reason: 'negative' },
    { name: 'negative with a unit', text: '-0.5Gi', reason: 'negative' },
    { name: 'int64 max + 1', text: '9223372036854775808', reason: 'overflow' },
    // 10E = 10^19 > 2^63 - 1 (Kubernetes would cap it silently)
    { name: 'overflow by decimal unit', text: '10E', reason: 'overflow' },
    // 8 * 2^60 = 2^63
    { name: 'overflow by binary unit', text: '8Ei', reason: 'overflow' },
    { name: 'overflow by exponent', text: '1e19', reason: 'overflow' },
    { name: 'huge exponent is decided without building the number', text: '1e999999999', reason: 'overflow' },
  ])('$name: $text is rejected ($reason)', ({ text, reason }) => {
    expect(parseKubeQuantity(text)).toMatchObject({ ok: false, reason });
  });

  it('marks values beyond 2^53 as inexact', () => {
    expect(parseKubeQuantity('7Pi')).toMatchObject({ ok: true, exact: true });
    expect(parseKubeQuantity('9E')).toMatchObject({ ok: true, exact: false });
  });
});

describe('parseKubeMilli (MilliValue(), rounded up)', () => {
  it.each([
    { text: '500m', value: 500 },
    { text: '1', value: 1_000 },
    { text: '0.5', value: 500 },
    { text: '0.1', value: 100 },
    { text: '2.5', value: 2_500 },
    // 1.0001 = 1000.1 milli -> 1001
    { text: '1.0001', value: 1_001 },
    // 1n = 10^-6 milli -> 1
    { text: '1n', value: 1 },
    // 250u = 0.25 milli -> 1
    { text: '250u', value: 1 },
    { text: '1k', value: 1_000_000 },
    { text: '1e-3', value: 1 },
    // 1Ki = 1024 -> 1,024,000 milli
    { text: '1Ki', value: 1_024_000 },
    // 9223372036854775 * 1000 < 2^63
    { text: '9223372036854775', value: 9_223_372_036_854_775_000 },
  ])('$text -> $value', ({ text, value }) => {
    expect(parseKubeMilli(text)).toMatchObject({ ok: true, value });
  });

  it.each([
    // 9223372036854776 * 1000 > 2^63 - 1 (Kubernetes' MilliValue() would wrap around)
    { text: '9223372036854776', reason: 'overflow' },
    { text: '-500m', reason: 'negative' },
    { text: '500 m', reason: 'suffix' },
  ])('$text is rejected ($reason)', ({ text, reason }) => {
    expect(parseKubeMilli(text)).toMatchObject({ ok: false, reason });
  });
});

describe('kubeResources', () => {
  it.each([
    {
      name: 'a pod request',
      list: { cpu: '500m', memory: '1Gi' },
      // cpu 500m -> vcore 500 millicores; memory 1Gi -> 2^30 bytes
      resources: { vcore: 500, memory: Gi },
    },
    {
      name: 'a node allocatable with every kind of resource',
      list: { cpu: '3920m', memory: '15Gi', pods: '110', 'ephemeral-storage': '95Gi', 'hugepages-2Mi': '1Gi', 'nvidia.com/gpu': '2' },
      // hugepages are bytes under their own name, as in YuniKorn; extended resources are counts
      resources: { vcore: 3_920, memory: 15 * Gi, pods: 110, 'ephemeral-storage': 95 * Gi, 'hugepages-2Mi': Gi, 'nvidia.com/gpu': 2 },
    },
    {
      name: 'whole cores',
      list: { cpu: '2' },
      // 2 cores = 2000 millicores
      resources: { vcore: 2_000 },
    },
    {
      name: 'JSON numbers',
      // 1e-7 is written '1e-7' by JavaScript, an exponent Kubernetes reads too: 10^-7, rounded up to 1
      list: { cpu: 0.5, memory: 1e9, 'nvidia.com/gpu': 1, 'example.com/tiny': 1e-7 },
      resources: { vcore: 500, memory: 1e9, 'nvidia.com/gpu': 1, 'example.com/tiny': 1 },
    },
    {
      name: 'JSON null is zero, as in Kubernetes',
      list: { memory: null },
      resources: { memory: 0 },
    },
    {
      name: 'surrounding white space in a JSON string',
      list: { memory: ' 64Mi ' },
      resources: { memory: 64 * Mi },
    },
    {
      name: 'zero entries are kept',
      list: { cpu: '0', memory: '0' },
      resources: { vcore: 0, memory: 0 },
    },
    {
      name: 'memory rounds up to a whole byte',
      list: { memory: '1.5' },
      resources: { memory: 2 },
    },
  ])('$name', ({ list, resources }) => {
    expect(kubeResources(list)).toEqual({ resources, problems: [] });
  });

  it('reports every bad entry and keeps the good ones', () => {
    const { resources, problems } = kubeResources({ cpu: '-1', memory: '4Gi', pods: true, 'nvidia.com/gpu': 'two', 'example.com/x': {}, 'example.com/y': Number.NaN });
    expect(resources).toEqual({ memory: 4 * Gi });
    expect(problems.map((p) => [p.name, p.reason])).toEqual([
      ['cpu', 'negative'],
      ['pods', 'type'],
      ['nvidia.com/gpu', 'syntax'],
      ['example.com/x', 'type'],
      ['example.com/y', 'type'],
    ]);
  });

  it('does not let a literal vcore entry overwrite cpu', () => {
    const { resources, problems } = kubeResources({ cpu: '1', vcore: '2' });
    expect(resources).toEqual({ vcore: 1_000 });
    expect(problems).toMatchObject([{ name: 'vcore', reason: 'duplicate' }]);
  });

  it('treats names such as __proto__ and constructor as plain names', () => {
    const list = JSON.parse('{"__proto__": "1", "constructor": "2", "toString": "3"}') as Record<string, unknown>;
    const { resources, problems } = kubeResources(list);
    expect(problems).toEqual([]);
    expect(Object.entries(resources)).toEqual([
      ['__proto__', 1],
      ['constructor', 2],
      ['toString', 3],
    ]);
    expect(Object.getPrototypeOf(resources)).toBe(Object.prototype);
  });

  it('never throws, whatever the text', () => {
    // A fixed pseudo-random walk over the grammar's alphabet (linear congruential, seed 1).
    const alphabet = '0123456789.+-eEinumkKMGTP ';
    let seed = 1;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 5_000; i++) {
      let text = '';
      const length = next() % 12;
      for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length] ?? '';
      for (const result of [parseKubeQuantity(text), parseKubeMilli(text)]) {
        if (result.ok) expect(Number.isInteger(result.value) && result.value >= 0).toBe(true);
        else expect(result.message).toContain(text);
      }
    }
  });
});
