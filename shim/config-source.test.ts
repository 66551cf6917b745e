import { describe, expect, it } from 'vitest';
import { placeholderImage } from './config-source.js';

describe('service.placeholderImage', () => {
  it.each([
    { name: 'absent: k8shim default', data: {}, image: 'registry.k8s.io/pause:3.7' },
    { name: 'blank: the default', data: { 'service.placeholderImage': '  ' }, image: 'registry.k8s.io/pause:3.7' },
    { name: 'a mirror', data: { 'service.placeholderImage': ' mirror.example/pause:3.9 ' }, image: 'mirror.example/pause:3.9' },
  ])('$name', ({ data, image }) => {
    expect(placeholderImage(data)).toBe(image);
  });
});
