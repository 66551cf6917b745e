import { describe, expect, it } from 'vitest';
import { parseAcl } from './names.js';

describe('parseAcl', () => {
  it.each([
    { name: 'empty allows no one', text: '', acl: { allowAll: false, users: [], groups: [] } },
    { name: 'wildcard', text: '*', acl: { allowAll: true, users: [], groups: [] } },
    { name: 'users only', text: 'john,bob', acl: { allowAll: false, users: ['john', 'bob'], groups: [] } },
    { name: 'users and groups', text: 'john admin,ops', acl: { allowAll: false, users: ['john'], groups: ['admin', 'ops'] } },
    { name: 'groups only (leading space)', text: ' sandbox', acl: { allowAll: false, users: [], groups: ['sandbox'] } },
    { name: 'trailing space', text: 'other-user ', acl: { allowAll: false, users: ['other-user'], groups: [] } },
    { name: 'wildcard group list', text: 'john *', acl: { allowAll: true, users: [], groups: [] } },
  ])('$name: "$text"', ({ text, acl }) => {
    expect(parseAcl(text)).toMatchObject({ ok: true, acl });
  });

  it.each([
    { name: 'three parts', text: 'a b c' },
    { name: 'two spaces between parts', text: 'a  b' },
    // YuniKorn's validator trims this, but building the queue splits on single spaces and fails
    { name: 'a wildcard between spaces', text: ' * ' },
  ])('rejects $name', ({ text }) => {
    expect(parseAcl(text).ok).toBe(false);
  });

  it('reports the names it ignores', () => {
    expect(parseAcl('bob,9lives ok,g@x')).toMatchObject({ ok: true, acl: { users: ['bob'], groups: ['ok'] }, ignored: ['9lives', 'g@x'] });
  });
});
