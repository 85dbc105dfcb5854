import { describe, expect, test } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
  test.each([
    ['plain text', [{ kind: 'text', text: 'plain text' }]],
    [
      'see https://example.com/a?b=1.',
      [
        { kind: 'text', text: 'see ' },
        { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
        { kind: 'text', text: '.' },
      ],
    ],
    [
      '(http://x.org/wiki/Foo_(bar))',
      [
        { kind: 'text', text: '(' },
        { kind: 'link', text: 'http://x.org/wiki/Foo_(bar)', href: 'http://x.org/wiki/Foo_(bar)' },
        { kind: 'text', text: ')' },
      ],
    ],
    ['javascript:alert(1)', [{ kind: 'text', text: 'javascript:alert(1)' }]],
    ['data:text/html,<b>x</b>', [{ kind: 'text', text: 'data:text/html,<b>x</b>' }]],
    ['<img src=x onerror=alert(1)>', [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]],
    ['www.example.com', [{ kind: 'text', text: 'www.example.com' }]],
    [
      'a http://a.io b https://b.io',
      [
        { kind: 'text', text: 'a ' },
        { kind: 'link', text: 'http://a.io', href: 'http://a.io/' },
        { kind: 'text', text: ' b ' },
        { kind: 'link', text: 'https://b.io', href: 'https://b.io/' },
      ],
    ],
    [
      'https://x.io/"onmouseover="alert(1)',
      [
        { kind: 'link', text: 'https://x.io/', href: 'https://x.io/' },
        { kind: 'text', text: '"onmouseover="alert(1)' },
      ],
    ],
  ])('%s', (input, expected) => {
    expect(linkify(input)).toEqual(expected);
  });

  test('parts join back to the original text', () => {
    const text = 'go to https://a.b/c, then http://d.e/f!';
    expect(
      linkify(text)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
  });
});
